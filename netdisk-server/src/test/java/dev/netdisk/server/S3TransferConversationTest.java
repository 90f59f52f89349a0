package dev.netdisk.server;

/** Every conversation of {@link TransferConversationTest} again, with file content in an S3 bucket (s3proxy). */
class S3TransferConversationTest extends TransferConversationTest {

    @Override
    String blobStore() {
        return freshBucket();
    }
}
