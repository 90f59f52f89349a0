package dev.netdisk.server.crypt;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The master key: a Tink AEAD keyset (AES256_GCM keys, one of them primary) kept as JSON in one
 * file, by default {@code DATA_DIR/keys/master.json} (mode 0600, directory 0700), or wherever
 * {@code --master-key-file} says. It never encrypts file content: it wraps each file's data key
 * ({@link DataKey}), the envelope. A wrapped key starts with Tink's 5-byte prefix (0x01 and the
 * 32-bit id of the master key that wrapped it), which {@link #keyIdOf} reads, so {@code keys
 * status} and {@code keys rotate} know which master key each data key needs.
 *
 * <p>Immutable and thread-safe; {@link #rotated} and {@link #without} write a new file and return a
 * new instance. Loading and saving block (disk).
 */
public final class MasterKey {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink's AEAD key types could not be registered", e);
        }
    }

    /** The file name under {@code DATA_DIR/keys/} when no {@code --master-key-file} is given. */
    public static final String DEFAULT_FILE = "keys/master.json";

    private final Path file;
    private final KeysetHandle keyset;
    private final Aead aead;

    private MasterKey(Path file, KeysetHandle keyset) throws GeneralSecurityException {
        this.file = file;
        this.keyset = keyset;
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    /** Where the master key of {@code dataDir} is when no file is named. */
    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve(DEFAULT_FILE);
    }

    /**
     * The keyset in {@code file}, made (one new AES256_GCM key) when the file does not exist: what a
     * server does at start.
     *
     * @throws IOException when it cannot be read, made, or parsed
     */
    public static MasterKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            save(file, keyset);
            return new MasterKey(file, keyset);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a master key: " + e.getMessage(), e);
        }
    }

    /**
     * The keyset in {@code file}, which must exist.
     *
     * @throws NoSuchFileException when it does not
     * @throws IOException         when it cannot be read or is not a Tink JSON keyset
     */
    public static MasterKey load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no master key file");
        }
        try {
            String json = Files.readString(file, StandardCharsets.UTF_8);
            return new MasterKey(file, TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("not a master key (a Tink JSON keyset): " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file the keyset is kept in. */
    public Path file() {
        return file;
    }

    /** The id of the primary key: what new data keys are wrapped with. */
    public int primaryId() {
        return keyset.getPrimary().getId();
    }

    /** The ids of every key of the keyset, primary first. */
    public List<Integer> keyIds() {
        List<Integer> ids = new ArrayList<>();
        ids.add(primaryId());
        for (int i = 0; i < keyset.size(); i++) {
            int id = keyset.getAt(i).getId();
            if (id != primaryId()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Wraps a data key with the primary key; {@code blobId} is its associated data, so a wrapped
     * key moved to another blob's row does not open.
     *
     * @return Tink's ciphertext: 5-byte prefix, 12-byte nonce, the key, 16-byte tag
     */
    public byte[] wrap(byte[] dataKey, String blobId) {
        try {
            return aead.encrypt(dataKey, blobId.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to encrypt", e);
        }
    }

    /** {@link #wrap(byte[], String)} of a data key. */
    public byte[] wrap(DataKey key, String blobId) {
        return wrap(key.raw(), blobId);
    }

    /**
     * Unwraps a data key wrapped by {@link #wrap} with any key of the keyset.
     *
     * @throws IntegrityException when no key of this keyset opens it (another master key, or changed bytes)
     */
    public byte[] unwrap(byte[] wrapped, String blobId) throws IntegrityException {
        try {
            return aead.decrypt(wrapped, blobId.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IntegrityException("the data key of blob " + blobId + " does not open with the master key "
                    + file + " (master key id " + Integer.toUnsignedString(keyIdOf(wrapped))
                    + " missing, or the key was changed)", e);
        }
    }

    /** The id of the master key that wrapped {@code wrapped} (Tink's output prefix), or 0 if it has none. */
    public static int keyIdOf(byte[] wrapped) {
        if (wrapped.length < 5 || wrapped[0] != 1) {
            return 0;
        }
        return ((wrapped[1] & 0xff) << 24) | ((wrapped[2] & 0xff) << 16) | ((wrapped[3] & 0xff) << 8) | (wrapped[4] & 0xff);
    }

    /**
     * Adds a new AES256_GCM key as the primary one and saves the keyset: new and re-wrapped data
     * keys use it; the old keys stay until {@link #without} drops them.
     */
    public MasterKey rotated() throws IOException {
        try {
            KeysetHandle next = KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            save(file, next);
            return new MasterKey(file, next);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot add a master key: " + e.getMessage(), e);
        }
    }

    /**
     * Drops the (non-primary) key {@code keyId} and saves the keyset; the caller has checked that no
     * data key is wrapped with it.
     */
    public MasterKey without(int keyId) throws IOException {
        if (keyId == primaryId()) {
            throw new IllegalArgumentException("the primary master key cannot be dropped");
        }
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            // The builder's entries are in the keyset's order.
            for (int i = 0; i < keyset.size(); i++) {
                if (keyset.getAt(i).getId() == keyId) {
                    builder.deleteAt(i);
                    break;
                }
            }
            KeysetHandle next = builder.build();
            save(file, next);
            return new MasterKey(file, next);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot drop master key " + Integer.toUnsignedString(keyId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the keyset to {@code target} (0600), for a backup that carries its key or a restore
     * given one.
     */
    public void copyTo(Path target) throws IOException {
        save(target, keyset);
    }

    /** Writes the keyset to a private temporary file, syncs it, and renames it over {@code file}. */
    private static void save(Path file, KeysetHandle keyset) throws IOException {
        String json;
        try {
            json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot serialize the master key: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try (OutputStream out = PrivateFiles.createNew(tmp)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        dev.netdisk.server.store.LocalBlobStore.syncDirectory(dir);
    }
}
