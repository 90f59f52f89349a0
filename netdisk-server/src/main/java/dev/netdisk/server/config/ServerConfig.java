package dev.netdisk.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable server configuration, built from the command line ({@code netdisk-server}'s options) or by tests.
 *
 * @param bind               the address to listen on; {@code null} or empty means every interface
 * @param port               the TCP port; {@code 0} picks a free one (the running server's {@code port()} tells which)
 * @param dataDir            the directory holding {@code netdisk.db} and the blob files; created if missing
 * @param tokenTtl           how long a session token from {@code LOGIN} stays valid
 * @param ticketTtl          how long an unused data-connection ticket stays valid
 * @param partialTtl         how long the bytes of an interrupted upload are kept for resume
 * @param passwordIterations PBKDF2 iterations for new password hashes (stored with each hash, so it
 *                           can be raised later without breaking existing accounts)
 * @param workerThreads      size of the pool that runs blocking work (database, disk sync, hashing)
 * @param limits             connection, session, transfer and login limits and timeouts
 * @param storage            the default quota and how long the trash keeps deleted files
 * @param tls                whether and how the server offers TLS ({@code AUTH TLS})
 * @param masterKeyFile      the master key of encryption at rest (a Tink AEAD keyset, JSON), made on
 *                           first start; null means {@code DATA_DIR/keys/master.json}
 * @param database           the metadata database ({@code --database}): null means SQLite in
 *                           {@code DATA_DIR/netdisk.db}; {@code jdbc:postgresql://...} a PostgreSQL
 *                           database, which may carry its user and password (never logged)
 * @param blobStore          where file content goes: null for the {@code blobs/} directory under
 *                           {@code dataDir}, or {@code s3://BUCKET?endpoint=URL&region=R}
 *                           ({@link dev.netdisk.server.store.s3.S3Location})
 * @param proxyProtocolFrom  the proxies (HAProxy, a load balancer) whose PROXY protocol header names the
 *                           client of each of their connections; {@link AddressRanges#NONE}: none
 * @param uploadLease        how long a running transfer or an upload being received still counts once its
 *                           server stops renewing it (a killed server's kept upload is locked this long for
 *                           the others); {@link #MIN_UPLOAD_LEASE} to {@link #MAX_UPLOAD_LEASE}; renewed every
 *                           5 s, or every third of it when that is sooner
 */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        Duration tokenTtl,
        Duration ticketTtl,
        Duration partialTtl,
        int passwordIterations,
        int workerThreads,
        Limits limits,
        StoragePolicy storage,
        TlsSettings tls,
        Path masterKeyFile,
        String database,
        String blobStore,
        AddressRanges proxyProtocolFrom,
        Duration uploadLease) {

    /** The data directory of a server started without {@code --data-dir}, relative to the working directory. */
    public static final String DEFAULT_DATA_DIR = "netdisk-data";

    /** The protocol's default TCP port. */
    public static final int DEFAULT_PORT = 2121;

    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_PASSWORD_ITERATIONS = 600_000;

    /** The upload lease unless {@code upload-lease-seconds} sets another. */
    public static final Duration DEFAULT_UPLOAD_LEASE = Duration.ofSeconds(30);

    /** The shortest upload lease: renewed every second, a database write per second per server. */
    public static final Duration MIN_UPLOAD_LEASE = Duration.ofSeconds(3);

    /** The longest upload lease: a killed server's uploads wait at most an hour. */
    public static final Duration MAX_UPLOAD_LEASE = Duration.ofHours(1);

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(ticketTtl, "ticketTtl");
        Objects.requireNonNull(partialTtl, "partialTtl");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(proxyProtocolFrom, "proxyProtocolFrom");
        Objects.requireNonNull(uploadLease, "uploadLease");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (passwordIterations < 1_000) {
            throw new IllegalArgumentException("passwordIterations must be at least 1000: " + passwordIterations);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1: " + workerThreads);
        }
        if (uploadLease.compareTo(MIN_UPLOAD_LEASE) < 0 || uploadLease.compareTo(MAX_UPLOAD_LEASE) > 0) {
            throw new IllegalArgumentException("uploadLease must be " + MIN_UPLOAD_LEASE.toSeconds() + "-"
                    + MAX_UPLOAD_LEASE.toSeconds() + " seconds: " + uploadLease);
        }
    }

    /** A configuration with the default TLS settings ({@link TlsSettings#DEFAULTS}). */
    public ServerConfig(String bind, int port, Path dataDir, Duration tokenTtl, Duration ticketTtl, Duration partialTtl,
                        int passwordIterations, int workerThreads, Limits limits, StoragePolicy storage) {
        this(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads, limits, storage,
                TlsSettings.DEFAULTS, null, null, null, AddressRanges.NONE, DEFAULT_UPLOAD_LEASE);
    }

    /** A configuration with the default {@link Limits} and {@link StoragePolicy}. */
    public ServerConfig(String bind, int port, Path dataDir, Duration tokenTtl, Duration ticketTtl, Duration partialTtl,
                        int passwordIterations, int workerThreads) {
        this(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                Limits.defaults(), StoragePolicy.DEFAULTS);
    }

    /** The defaults of {@code netdisk-server} with the given data directory. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(null, DEFAULT_PORT, dataDir, Duration.ofDays(30), Duration.ofSeconds(60),
                Duration.ofHours(24), DEFAULT_PASSWORD_ITERATIONS, 4);
    }

    /**
     * A configuration for tests: loopback, a free port, and a cheap password hash so that a test
     * can log in many times. Everything else is as in production.
     */
    public static ServerConfig forTests(Path dataDir) {
        return defaults(dataDir).withBind("127.0.0.1").withPort(0).withPasswordIterations(1_000);
    }

    public ServerConfig withBind(String newBind) {
        return new ServerConfig(newBind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads, limits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bind, newPort, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads, limits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withTokenTtl(Duration ttl) {
        return new ServerConfig(bind, port, dataDir, ttl, ticketTtl, partialTtl, passwordIterations, workerThreads, limits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withTicketTtl(Duration ttl) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ttl, partialTtl, passwordIterations, workerThreads, limits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withPasswordIterations(int iterations) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, iterations, workerThreads, limits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                newLimits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withStorage(StoragePolicy newStorage) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, newStorage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withTls(TlsSettings newTls) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, storage, newTls, masterKeyFile, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withMasterKeyFile(Path file) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, storage, tls, file, database, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withDatabase(String url) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, storage, tls, masterKeyFile, url, blobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withBlobStore(String newBlobStore) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, storage, tls, masterKeyFile, database, newBlobStore, proxyProtocolFrom, uploadLease);
    }

    public ServerConfig withProxyProtocolFrom(AddressRanges proxies) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, storage, tls, masterKeyFile, database, blobStore, proxies, uploadLease);
    }

    public ServerConfig withUploadLease(Duration lease) {
        return new ServerConfig(bind, port, dataDir, tokenTtl, ticketTtl, partialTtl, passwordIterations, workerThreads,
                limits, storage, tls, masterKeyFile, database, blobStore, proxyProtocolFrom, lease);
    }

    /** Where the master key is: {@link #masterKeyFile}, or {@code DATA_DIR/keys/master.json}. */
    public Path masterKey() {
        return masterKeyFile != null ? masterKeyFile : dataDir.resolve("keys").resolve("master.json");
    }
}
