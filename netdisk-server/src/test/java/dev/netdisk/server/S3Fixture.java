package dev.netdisk.server;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One real S3 API per test JVM: s3proxy in this JVM, its {@code filesystem} provider in a temp
 * directory, on a loopback port chosen by the system, signature checks on (AWS v2 or v4). Started
 * on first use and stopped when the JVM exits; every test takes a fresh bucket
 * ({@link #newBucket}). The server under test finds the credentials where the AWS SDK's default
 * chain looks first, the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties.
 */
public final class S3Fixture {

    static final String ACCESS_KEY = "netdisk-test";
    static final String SECRET_KEY = "netdisk-test-secret";

    private static S3Fixture shared;

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private final AtomicInteger buckets = new AtomicInteger();

    private S3Fixture() throws Exception {
        Path dir = Files.createTempDirectory("netdisk-s3proxy");
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception ignored) {
                // the JVM is going anyway
            }
        }, "s3proxy-stop"));
    }

    /** The s3proxy of this JVM, started on first use. */
    public static synchronized S3Fixture shared() {
        if (shared == null) {
            try {
                shared = new S3Fixture();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start s3proxy", e);
            }
        }
        return shared;
    }

    /** The S3 API's base URL. */
    public URI endpoint() {
        return endpoint;
    }

    /** A client of the proxy, to look at or change what the server stored. */
    public S3Client client() {
        return client;
    }

    /** A new empty bucket; returns its name. */
    public String newBucketName() {
        String bucket = "netdisk-" + ProcessHandle.current().pid() + "-" + buckets.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** A new empty bucket, as a {@code --blob-store} URL. */
    public String newBucket() {
        return blobStoreUrl(newBucketName());
    }

    /** The {@code --blob-store} URL of {@code bucket} on this proxy. */
    public String blobStoreUrl(String bucket) {
        return "s3://" + bucket + "?endpoint=" + endpoint + "&region=us-east-1";
    }

    /** The bucket of a {@code --blob-store} URL. */
    public static String bucketOf(String blobStoreUrl) {
        return URI.create(blobStoreUrl).getHost();
    }

    /** How many objects the bucket holds. */
    public int objectCount(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().mapToInt(o -> 1).sum();
    }
}
