package dev.netdisk.server;

/** Every conversation of {@link SharingConversationTest} again, with file content in an S3 bucket (s3proxy). */
class S3SharingConversationTest extends SharingConversationTest {

    @Override
    String blobStore() {
        return freshBucket();
    }
}
