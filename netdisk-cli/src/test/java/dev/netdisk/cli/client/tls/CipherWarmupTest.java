package dev.netdisk.cli.client.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CipherWarmupTest {

    @Test
    void everyPieceComesBackAsItWentIn() {
        assertThat(CipherWarmup.run()).isTrue();
    }

    @Test
    void onlyLargeTransfersOverTlsStartIt() throws Exception {
        ClientTls tls = ClientTls.of(TlsOptions.defaults());
        assertThat(CipherWarmup.worthIt(tls, CipherWarmup.MIN_TRANSFER_BYTES)).isTrue();
        assertThat(CipherWarmup.worthIt(tls, CipherWarmup.MIN_TRANSFER_BYTES - 1)).isFalse();
        assertThat(CipherWarmup.worthIt(ClientTls.plainForBench(), 1L << 30)).isFalse();
        assertThat(CipherWarmup.worthIt(null, 1L << 30)).isFalse();
    }
}
