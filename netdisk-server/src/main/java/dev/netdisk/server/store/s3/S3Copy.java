package dev.netdisk.server.store.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts blobs that already exist elsewhere (their ciphertext, as stored) into the bucket of an
 * {@link S3BlobStore} under their own blob ids, for {@code netdisk-server migrate}: one PutObject
 * for a blob of one part, an S3 multipart upload of its encrypted parts for a larger one. Nothing
 * is visible under {@code blobs/<id>} until the whole blob is: a failure while reading or checking
 * a part aborts the multipart upload. Unlike {@link S3Upload}, it keeps no resume state in the
 * database: a blob is either entirely there (right size) or put again.
 *
 * <p>Thread-safe; blocking (network).
 */
public final class S3Copy {

    /** The stored bytes of part {@code k} (from 0), read and checked by the caller. */
    @FunctionalInterface
    public interface Parts {
        byte[] part(int k) throws IOException;
    }

    private final S3BlobStore store;

    public S3Copy(S3BlobStore store) {
        this.store = store;
    }

    /** The stored size of the object of {@code blobId} in bytes, or -1 when there is none. */
    public long storedSize(String blobId) throws IOException {
        String key = S3BlobStore.key(blobId);
        try {
            return store.client().headObject(b -> b.bucket(store.location().bucket()).key(key)).contentLength();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw S3Errors.translate(store.location(), "HeadObject " + key, e);
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "HeadObject " + key, e);
        }
    }

    /**
     * Aborts the incomplete multipart uploads of the blobs {@code blobIds} (left by an earlier run
     * that was killed), so that they do not hold storage.
     *
     * @return how many were aborted
     */
    public int abortIncomplete(Set<String> blobIds) throws IOException {
        List<MultipartUpload> uploads = new ArrayList<>();
        try {
            store.client().listMultipartUploadsPaginator(b -> b.bucket(store.location().bucket()).prefix("blobs/"))
                    .uploads().forEach(uploads::add);
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "ListMultipartUploads blobs/", e);
        }
        int aborted = 0;
        for (MultipartUpload u : uploads) {
            if (blobIds.contains(u.key().substring("blobs/".length()))) {
                abort(u.key(), u.uploadId());
                aborted++;
            }
        }
        return aborted;
    }

    /**
     * Puts the blob {@code blobId} of {@code partCount} parts (at least 1), asking {@code parts}
     * for each in order. When {@code parts} throws, nothing is stored under the blob's key.
     *
     * @throws IOException from {@code parts}, or when S3 refuses
     */
    public void put(String blobId, int partCount, Parts parts) throws IOException {
        String key = S3BlobStore.key(blobId);
        String bucket = store.location().bucket();
        if (partCount <= 1) {
            byte[] bytes = parts.part(0);
            try {
                store.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
            } catch (SdkException e) {
                throw S3Errors.translate(store.location(), "PutObject " + key, e);
            }
            return;
        }
        String uploadId;
        try {
            uploadId = store.client().createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "CreateMultipartUpload " + key, e);
        }
        try {
            List<CompletedPart> completed = new ArrayList<>();
            for (int k = 0; k < partCount; k++) {
                byte[] bytes = parts.part(k);
                int number = k + 1;
                String etag;
                try {
                    etag = store.client().uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                            RequestBody.fromBytes(bytes)).eTag();
                } catch (SdkException e) {
                    throw S3Errors.translate(store.location(), "UploadPart " + number + " of " + key, e);
                }
                completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            try {
                store.client().completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (SdkException e) {
                throw S3Errors.translate(store.location(), "CompleteMultipartUpload " + key, e);
            }
        } catch (IOException | RuntimeException e) {
            try {
                abort(key, uploadId);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void abort(String key, String uploadId) throws IOException {
        try {
            store.client().abortMultipartUpload(b -> b.bucket(store.location().bucket()).key(key).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.translate(store.location(), "AbortMultipartUpload " + key, e);
            }
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "AbortMultipartUpload " + key, e);
        }
    }
}
