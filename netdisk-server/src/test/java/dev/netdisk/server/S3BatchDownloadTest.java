package dev.netdisk.server;

/** Every conversation of {@link BatchDownloadTest} again, with file content in an S3 bucket (s3proxy). */
class S3BatchDownloadTest extends BatchDownloadTest {

    @Override
    String blobStore() {
        return freshBucket();
    }
}
