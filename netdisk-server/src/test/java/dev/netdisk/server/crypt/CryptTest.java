package dev.netdisk.server.crypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master keyset, data keys and the parts format's sizes, on real files. */
class CryptTest {

    private static final String BLOB = "00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @Test
    void aWrappedKeyOpensOnlyForItsBlobAndWithItsKeyset() throws Exception {
        MasterKey master = MasterKey.loadOrCreate(dir.resolve("keys/master.json"));
        DataKey key = DataKey.generate();
        byte[] wrapped = master.wrap(key, BLOB);
        assertThat(MasterKey.keyIdOf(wrapped)).isEqualTo(master.primaryId());
        assertThat(master.unwrap(wrapped, BLOB)).hasSize(32);
        assertThatThrownBy(() -> master.unwrap(wrapped, "ffeeddccbbaa99887766554433221100"))
                .isInstanceOf(IntegrityException.class);
        MasterKey other = MasterKey.loadOrCreate(dir.resolve("other.json"));
        assertThatThrownBy(() -> other.unwrap(wrapped, BLOB)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("master key id " + Integer.toUnsignedString(master.primaryId()));
        // The same file loads the same keyset.
        assertThat(MasterKey.load(master.file()).unwrap(wrapped, BLOB)).isEqualTo(master.unwrap(wrapped, BLOB));
    }

    @Test
    void aRotatedKeysetOpensOldKeysUntilTheOldKeyIsDropped() throws Exception {
        MasterKey master = MasterKey.loadOrCreate(dir.resolve("master.json"));
        byte[] old = master.wrap(DataKey.generate(), BLOB);
        MasterKey rotated = master.rotated();
        assertThat(rotated.primaryId()).isNotEqualTo(master.primaryId());
        assertThat(rotated.keyIds()).containsExactly(rotated.primaryId(), master.primaryId());
        assertThat(MasterKey.keyIdOf(rotated.wrap(DataKey.generate(), BLOB))).isEqualTo(rotated.primaryId());
        assertThat(rotated.unwrap(old, BLOB)).hasSize(32);
        MasterKey dropped = rotated.without(master.primaryId());
        assertThat(MasterKey.load(dir.resolve("master.json")).keyIds()).containsExactly(rotated.primaryId());
        assertThatThrownBy(() -> dropped.unwrap(old, BLOB)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> dropped.without(dropped.primaryId())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSmallFileSealsUnderItsBlobIdAndAChangedByteDoesNotOpen() throws Exception {
        DataKey key = DataKey.generate();
        byte[] sealed = key.seal("hello".getBytes(StandardCharsets.UTF_8), BLOB);
        assertThat(sealed).hasSize(5 + 12 + 16);
        assertThat(key.open(sealed, BLOB)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        sealed[20] ^= 1;
        assertThatThrownBy(() -> key.open(sealed, BLOB)).isInstanceOf(IntegrityException.class);
    }

    @Test
    void onlyWholePartsOrAWholeSealedFileAreKept() {
        long part = DataKey.PART_BYTES;
        long partCiphertext = DataKey.PART_CIPHERTEXT_BYTES;
        // The 40-byte header takes room from the first 1 MiB segment: 9 segments, a 16-byte tag each.
        assertThat(partCiphertext).isEqualTo(part + 40 + 16L * 9);
        assertThat(DataKey.keptPlaintext(partCiphertext - 1)).isZero();
        assertThat(DataKey.keptPlaintext(2 * partCiphertext + 5)).isEqualTo(2 * part);
        long size = part + 100_000;
        assertThat(DataKey.keptPlaintext(DataKey.ciphertextSize(size), size)).isEqualTo(size);
        assertThat(DataKey.keptPlaintext(DataKey.ciphertextSize(size) - 1, size)).isEqualTo(part);
        // A last part of whole segments cannot be told from one cut short: it is sent again.
        long aligned = part + (1 << 20) - 40 - 16;
        assertThat(DataKey.keptPlaintext(DataKey.ciphertextSize(aligned), aligned)).isEqualTo(part);
        assertThat(Files.exists(dir)).isTrue();
    }
}
