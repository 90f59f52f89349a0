package dev.netdisk.server.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** {@code --blob-store} URLs: what is accepted, and the one-line refusals of what is not. */
class S3LocationTest {

    @Test
    void aBucketWithAnEndpointAndARegion() {
        S3Location at = S3Location.parse("s3://files?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-3");
        assertThat(at).isEqualTo(new S3Location("files", URI.create("http://127.0.0.1:9000"), "eu-west-3"));
        assertThat(S3Location.parse("s3://files?endpoint=https://minio.example:9000").endpoint())
                .isEqualTo(URI.create("https://minio.example:9000"));
        assertThat(S3Location.parse("s3://files")).isEqualTo(new S3Location("files", null, null));
    }

    @Test
    void anythingElseIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> S3Location.parse("/srv/blobs")).hasMessage(
                "not an s3://BUCKET?endpoint=URL&region=R blob store: /srv/blobs");
        assertThatThrownBy(() -> S3Location.parse("s3://files?endpont=http://x")).hasMessage(
                "unknown parameter endpont in s3://files?endpont=http://x (endpoint, region)");
        assertThatThrownBy(() -> S3Location.parse("s3://files?endpoint=nowhere")).hasMessage(
                "the endpoint of s3://files?endpoint=nowhere is not a URL: nowhere");
    }
}
