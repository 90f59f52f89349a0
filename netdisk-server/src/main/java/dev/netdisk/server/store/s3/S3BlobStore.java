package dev.netdisk.server.store.s3;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.BlobSource;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.BlobUpload;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * File content in an S3 bucket ({@code --blob-store s3://BUCKET?endpoint=URL&region=R}): a
 * complete blob is the object {@code blobs/<blob id>}, its encrypted parts end to end as on disk
 * ({@link DataKey}); an upload in progress is an S3 multipart upload to that key ({@link S3Upload},
 * its id and progress in the kept upload's row: {@link MultipartRows}); a download reads ranged
 * GETs ({@link S3Source}). S3 holds only ciphertext: blobs stored before encryption at rest stay
 * on the local store. {@code COPY} shares the blob id, as locally, so it copies no bytes.
 *
 * <p>Credentials come from the AWS SDK's default chain (environment variables, system properties,
 * profiles, container and instance roles). With an endpoint, requests are path-style (MinIO,
 * Ceph RGW, s3proxy).
 *
 * <p>Thread-safe (the SDK's sync client); blocking (network): workers, lanes and the committer.
 */
public final class S3BlobStore implements BlobStore {

    /** How old an unreferenced object or multipart upload must be before the sweep removes it. */
    static final Duration SWEEP_GRACE = Duration.ofHours(1);

    private final S3Location location;
    private final S3Client client;
    private final MultipartRows rows;

    private final Path stagingDir;

    private S3BlobStore(S3Location location, S3Client client, Database db, Path stagingDir) {
        this.location = location;
        this.client = client;
        this.rows = new MultipartRows(db);
        this.stagingDir = stagingDir;
    }

    /** Where an upload keeps the part it is filling ({@link S3Upload}): a private directory of this server's. */
    Path stagingDir() {
        return stagingDir;
    }

    /**
     * Connects to {@code location} and checks that its bucket exists and answers (HeadBucket).
     *
     * @param credentials the credentials, or null for the SDK's default provider chain
     * @param stagingDir  where each upload keeps the part it is filling, at most 8 MiB of ciphertext
     *                    (created 0700 if missing; {@code DATA_DIR/partial}); what a crash left there is deleted
     * @throws dev.netdisk.server.store.BlobStoreUnavailableException when the endpoint cannot be
     *         reached, the bucket does not exist, or the credentials are refused (the message says which)
     */
    public static S3BlobStore connect(S3Location location, AwsCredentialsProvider credentials, Database db,
                                      Path stagingDir) throws IOException {
        PrivateFiles.createDirectories(stagingDir);
        // Parts a crash left half-filled: this server's own directory, and no upload runs yet.
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(stagingDir, "s3-part-*.bin")) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
                // Checksums only where S3 requires them: the parts are AEAD ciphertext, checked on
                // every read, and not every S3-compatible store takes the SDK's trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(Duration.ofSeconds(60))
                        .apiCallTimeout(Duration.ofMinutes(3)));
        if (location.region() != null) {
            builder.region(Region.of(location.region()));
        } else if (location.endpoint() != null) {
            builder.region(Region.US_EAST_1);
        }
        if (location.endpoint() != null) {
            builder.endpointOverride(location.endpoint()).forcePathStyle(true);
        }
        S3Client client;
        try {
            client = builder.build();
        } catch (SdkException e) {
            throw S3Errors.translate(location, "connect", e);
        }
        try {
            client.headBucket(b -> b.bucket(location.bucket()));
        } catch (SdkException e) {
            client.close();
            throw S3Errors.translate(location, "HeadBucket", e);
        }
        return new S3BlobStore(location, client, db, stagingDir);
    }

    /** The object key of blob {@code blobId}. */
    static String key(String blobId) {
        return "blobs/" + blobId;
    }

    S3Client client() {
        return client;
    }

    /** Where the store is. */
    public S3Location location() {
        return location;
    }

    MultipartRows rows() {
        return rows;
    }

    @Override
    public long keptPlaintext(String blobId, long size) throws IOException {
        Optional<MultipartRows.Kept> kept = row(blobId);
        if (kept.isEmpty() || kept.get().uploadId() == null || kept.get().keptParts() == 0) {
            return 0;
        }
        long parts = kept.get().keptParts();
        List<Part> stored = listParts(key(blobId), kept.get().uploadId());
        if (stored == null || !contiguous(stored, parts, size)) {
            return 0; // aborted or lost meanwhile: start again
        }
        return Math.min(parts * DataKey.PART_BYTES, size);
    }

    /** Whether parts 1 to {@code parts} are among {@code stored}, each of its right size. */
    private static boolean contiguous(List<Part> stored, long parts, long size) {
        long found = stored.stream().filter(p -> p.partNumber() <= parts
                && p.size() == S3Upload.partBytes(p.partNumber() - 1, size)).count();
        return found == parts;
    }

    @Override
    public BlobUpload openUpload(String blobId, DataKey key, long offset, long size) throws IOException {
        MultipartRows.Kept kept = row(blobId).orElseThrow(() -> new IOException("no kept upload for blob " + blobId));
        String objectKey = key(blobId);
        if (offset == 0) {
            if (kept.uploadId() != null) {
                abort(objectKey, kept.uploadId());
            }
            String uploadId;
            try {
                uploadId = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey)).uploadId();
            } catch (SdkException e) {
                throw S3Errors.translate(location, "CreateMultipartUpload " + objectKey, e);
            }
            try {
                if (!rows.start(blobId, uploadId)) {
                    abort(objectKey, uploadId);
                    throw new IOException("the kept upload of blob " + blobId + " was dropped meanwhile");
                }
            } catch (SQLException e) {
                abort(objectKey, uploadId);
                throw new IOException("cannot record the multipart upload of blob " + blobId + ": " + e.getMessage(), e);
            }
            return new S3Upload(this, blobId, uploadId, key, 0, size, new ResumableMd5());
        }
        long parts = S3Upload.partCount(offset);
        if (kept.uploadId() == null || kept.keptParts() != parts || kept.md5State() == null) {
            throw new IOException("the kept parts of blob " + blobId + " changed since the offset was given");
        }
        return new S3Upload(this, blobId, kept.uploadId(), key, offset, size, ResumableMd5.restore(kept.md5State()));
    }

    private Optional<MultipartRows.Kept> row(String blobId) throws IOException {
        try {
            return rows.find(blobId);
        } catch (SQLException e) {
            throw new IOException("cannot read the kept upload of blob " + blobId + ": " + e.getMessage(), e);
        }
    }

    /** The parts of a multipart upload, or null when it is gone (completed or aborted). */
    private List<Part> listParts(String objectKey, String uploadId) throws IOException {
        try {
            List<Part> parts = new ArrayList<>();
            client.listPartsPaginator(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId))
                    .parts().forEach(parts::add);
            return parts;
        } catch (NoSuchUploadException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw S3Errors.translate(location, "ListParts " + objectKey, e);
        } catch (SdkException e) {
            throw S3Errors.translate(location, "ListParts " + objectKey, e);
        }
    }

    /** Commit: completes the multipart upload with its {@code parts} parts, checked first (ListParts). */
    void complete(String objectKey, String uploadId, long parts, long size) throws IOException {
        List<Part> stored = listParts(objectKey, uploadId);
        if (stored == null || !contiguous(stored, parts, size)) {
            throw new IOException("the parts of " + objectKey + " are not all stored: cannot complete it");
        }
        List<CompletedPart> completed = stored.stream().filter(p -> p.partNumber() <= parts)
                .sorted((a, b) -> Integer.compare(a.partNumber(), b.partNumber()))
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build()).toList();
        try {
            client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "CompleteMultipartUpload " + objectKey, e);
        }
    }

    private void abort(String objectKey, String uploadId) throws IOException {
        try {
            client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // gone already
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.translate(location, "AbortMultipartUpload " + objectKey, e);
            }
        } catch (SdkException e) {
            throw S3Errors.translate(location, "AbortMultipartUpload " + objectKey, e);
        }
    }

    @Override
    public BlobSource open(String blobId) throws IOException {
        String objectKey = key(blobId);
        HeadObjectResponse head;
        try {
            head = client.headObject(b -> b.bucket(location.bucket()).key(objectKey));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new java.nio.file.NoSuchFileException(objectKey);
            }
            throw S3Errors.translate(location, "HeadObject " + objectKey, e);
        } catch (SdkException e) {
            throw S3Errors.translate(location, "HeadObject " + objectKey, e);
        }
        return new S3Source(this, objectKey, head.contentLength());
    }

    @Override
    public void delete(String blobId) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(location.bucket()).key(key(blobId)));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "DeleteObject " + key(blobId), e);
        }
    }

    @Override
    public void deletePartial(String blobId) throws IOException {
        String objectKey = key(blobId);
        for (MultipartUpload upload : uploads(objectKey)) {
            if (upload.key().equals(objectKey)) {
                abort(objectKey, upload.uploadId());
            }
        }
    }

    private List<MultipartUpload> uploads(String prefix) throws IOException {
        try {
            List<MultipartUpload> out = new ArrayList<>();
            client.listMultipartUploadsPaginator(b -> b.bucket(location.bucket()).prefix(prefix))
                    .uploads().forEach(out::add);
            return out;
        } catch (SdkException e) {
            throw S3Errors.translate(location, "ListMultipartUploads " + prefix, e);
        }
    }

    /**
     * Deletes the objects and aborts the multipart uploads under {@code blobs/} that nothing refers
     * to and that are older than {@link #SWEEP_GRACE}: other servers on the same bucket may be
     * between completing an upload and committing it, which takes seconds, never an hour.
     */
    @Override
    public int sweep(Set<String> referencedBlobs, Set<String> referencedPartials) throws IOException {
        Instant cutoff = Instant.now().minus(SWEEP_GRACE);
        int deleted = 0;
        List<S3Object> objects = new ArrayList<>();
        try {
            client.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix("blobs/")).contents()
                    .forEach(objects::add);
        } catch (SdkException e) {
            throw S3Errors.translate(location, "ListObjectsV2 blobs/", e);
        }
        for (S3Object o : objects) {
            String blobId = o.key().substring("blobs/".length());
            if (!referencedBlobs.contains(blobId) && o.lastModified().isBefore(cutoff)) {
                delete(blobId);
                deleted++;
            }
        }
        for (MultipartUpload u : uploads("blobs/")) {
            String blobId = u.key().substring("blobs/".length());
            if (!referencedPartials.contains(blobId) && u.initiated().isBefore(cutoff)) {
                abort(u.key(), u.uploadId());
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
