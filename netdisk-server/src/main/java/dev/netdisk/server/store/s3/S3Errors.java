package dev.netdisk.server.store.s3;

import dev.netdisk.server.store.BlobStoreUnavailableException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place that turns the AWS SDK's exceptions into the store's: a missing object is a
 * {@link NoSuchFileException} (a file replaced meanwhile: {@code 450}); an unreachable endpoint,
 * a missing bucket, refused credentials or throttling are a {@link BlobStoreUnavailableException}
 * ({@code 451}, one log line); anything else an {@link IOException} naming the operation, the
 * status and S3's error code.
 */
final class S3Errors {

    private S3Errors() {
    }

    /** {@code e}, thrown by {@code what} (an operation and its key) against {@code location}, as the store's exception. */
    static IOException translate(S3Location location, String what, SdkException e) {
        if (e instanceof NoSuchKeyException) {
            return new NoSuchFileException(what);
        }
        if (e instanceof NoSuchBucketException) {
            return unavailable(location, what, "the bucket " + location.bucket() + " does not exist", e);
        }
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorCode() : null;
            if (status == 404 && "NoSuchKey".equals(code)) {
                return new NoSuchFileException(what);
            }
            if (status == 404 && (code == null || "NoSuchBucket".equals(code))) {
                return unavailable(location, what, "the bucket " + location.bucket() + " does not exist", e);
            }
            if (status == 401 || status == 403) {
                return unavailable(location, what, "access denied (" + code + "): check the credentials", e);
            }
            if (status == 429 || status == 503 || "SlowDown".equals(code)) {
                return unavailable(location, what, "throttled (" + status + " " + code + ")", e);
            }
            if (status >= 500) {
                return unavailable(location, what, "the store failed (" + status + " " + code + ")", e);
            }
            return new IOException(what + " failed on " + location + ": " + status + " " + code, e);
        }
        if (e instanceof SdkClientException) {
            // No answer at all: refused, timed out, no credentials anywhere in the chain.
            return unavailable(location, what, firstLine(e.getMessage()), e);
        }
        return new IOException(what + " failed on " + location + ": " + firstLine(e.getMessage()), e);
    }

    private static BlobStoreUnavailableException unavailable(S3Location location, String what, String why,
                                                             SdkException e) {
        return new BlobStoreUnavailableException("content store " + location + " unavailable (" + what + "): " + why, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
