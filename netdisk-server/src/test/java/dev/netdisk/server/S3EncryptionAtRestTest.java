package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@link EncryptionAtRestTest} with file content in an S3 bucket: the bucket holds ciphertext
 * only (no object holds the marker), and a byte flipped in an object fails the download.
 */
class S3EncryptionAtRestTest extends EncryptionAtRestTest {

    @Override
    String blobStore() {
        return freshBucket();
    }

    @Override
    void assertContentStoreHasNoMarker(List<Path> scanned) {
        var s3 = S3Fixture.shared().client();
        String bucket = S3Fixture.bucketOf(blobStore());
        var objects = s3.listObjectsV2(b -> b.bucket(bucket)).contents();
        assertThat(objects).isNotEmpty().allSatisfy(o -> assertThat(o.key()).startsWith("blobs/"));
        for (var o : objects) {
            byte[] stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray();
            assertThat(indexOf(stored, MARKER)).as("marker in object %s", o.key()).isEqualTo(-1);
        }
        // The upload cut short is a multipart upload (S3 cannot read its parts back; they went
        // through the same encrypter as the objects above).
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(1);
        assertThat(scanned).map(Path::toString).noneMatch(p -> p.startsWith("blobs/") || p.startsWith("partial/"));
    }

    @Override
    void flipStoredByte(String blobId, long at) {
        var s3 = S3Fixture.shared().client();
        String bucket = S3Fixture.bucketOf(blobStore());
        String key = "blobs/" + blobId;
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        stored[(int) at] ^= 0x01;
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(stored));
    }
}
