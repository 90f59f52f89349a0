package dev.netdisk.server;

/** Every conversation of {@link DeferredChecksumTest} again, with file content in an S3 bucket (s3proxy). */
class S3DeferredChecksumTest extends DeferredChecksumTest {

    @Override
    String blobStore() {
        return freshBucket();
    }
}
