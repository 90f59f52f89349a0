package dev.netdisk.server;

/** Every conversation of {@link BatchUploadTest} again, with file content in an S3 bucket (s3proxy). */
class S3BatchUploadTest extends BatchUploadTest {

    @Override
    String blobStore() {
        return freshBucket();
    }
}
