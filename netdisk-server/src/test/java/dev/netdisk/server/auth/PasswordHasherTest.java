package dev.netdisk.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        PasswordHasher.Hash stored = hasher.hash("correct-horse");
        assertThat(hasher.verify("correct-horse", stored)).isTrue();
        assertThat(hasher.verify("correct-horsf", stored)).isFalse();
        assertThat(hasher.verify("", stored)).isFalse();
        assertThat(hasher.verify("Correct-Horse", stored)).isFalse();
    }

    @Test
    void everyHashHasItsOwnSalt() {
        PasswordHasher.Hash a = hasher.hash("correct-horse");
        PasswordHasher.Hash b = hasher.hash("correct-horse");
        assertThat(a.salt()).hasSize(16).isNotEqualTo(b.salt());
        assertThat(a.hash()).hasSize(32).isNotEqualTo(b.hash());
        assertThat(hasher.verify("correct-horse", b)).isTrue();
    }

    @Test
    void theIterationCountIsStoredSoAnOldHashStillVerifiesAfterItIsRaised() {
        PasswordHasher.Hash old = hasher.hash("p\u00e4ssw\u00f6rd \u65e5\u672c");
        assertThat(old.iterations()).isEqualTo(1_000);
        PasswordHasher stronger = new PasswordHasher(2_000);
        assertThat(stronger.verify("p\u00e4ssw\u00f6rd \u65e5\u672c", old)).isTrue();
        assertThat(stronger.hash("x").iterations()).isEqualTo(2_000);
    }

    @Test
    void byteLengthCountsUtf8Bytes() {
        assertThat(PasswordHasher.byteLength("abc")).isEqualTo(3);
        assertThat(PasswordHasher.byteLength("\u00e9\u65e5")).isEqualTo(5);
    }
}
