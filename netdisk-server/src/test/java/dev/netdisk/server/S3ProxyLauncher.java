package dev.netdisk.server;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * s3proxy by hand, for measuring a server on S3 ({@code docs/perf}): the {@code filesystem}
 * provider in {@code DIR}, on {@code 127.0.0.1:PORT}, with the credentials of {@link S3Fixture},
 * and the bucket {@code BUCKET} made (a directory). Runs until killed.
 *
 * <pre>java -cp TEST_CLASSPATH dev.netdisk.server.S3ProxyLauncher PORT DIR BUCKET</pre>
 */
public final class S3ProxyLauncher {

    private S3ProxyLauncher() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir.resolve(args[2]));
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3Fixture.ACCESS_KEY, S3Fixture.SECRET_KEY)
                .build();
        proxy.start();
        System.out.println("s3proxy on http://127.0.0.1:" + proxy.getPort() + " bucket " + args[2]
                + " (AWS_ACCESS_KEY_ID=" + S3Fixture.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY=" + S3Fixture.SECRET_KEY + ")");
        Thread.currentThread().join();
    }
}
