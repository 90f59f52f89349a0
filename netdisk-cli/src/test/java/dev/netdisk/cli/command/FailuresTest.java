package dev.netdisk.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.client.ChecksumMismatchException;
import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.session.NotLoggedInException;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.ReplyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void replyCodesMapToExitCodes() {
        assertThat(Failures.forReplyCode(530)).isEqualTo(ExitCode.AUTH);
        assertThat(Failures.forReplyCode(554)).isEqualTo(ExitCode.INTEGRITY);
        assertThat(Failures.forReplyCode(421)).isEqualTo(ExitCode.CONNECTION);
        assertThat(Failures.forReplyCode(450)).isEqualTo(ExitCode.TRANSIENT);
        assertThat(Failures.forReplyCode(452)).isEqualTo(ExitCode.TRANSIENT);
        assertThat(Failures.forReplyCode(521)).isEqualTo(ExitCode.REFUSED);
        assertThat(Failures.forReplyCode(550)).isEqualTo(ExitCode.REFUSED);
        assertThat(Failures.forReplyCode(501)).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void exceptionsMapToExitCodesAndOneLineMessages() {
        Failures.Failure f = Failures.of(new ReplyException(521, "already exists: /a.txt"));
        assertThat(f).isEqualTo(new Failures.Failure(ExitCode.REFUSED, "521 already exists: /a.txt"));
        assertThat(Failures.of(new ChecksumMismatchException("checksum mismatch", "a", "b")).code()).isEqualTo(ExitCode.INTEGRITY);
        assertThat(Failures.of(new NetdiskConnectionException("cannot connect")).code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(Failures.of(new TransferCancelledException("cancelled")).code()).isEqualTo(ExitCode.CANCELLED);
        assertThat(Failures.of(new NotLoggedInException("no")).code()).isEqualTo(ExitCode.AUTH);
        assertThat(Failures.of(new UsageException("bad")).code()).isEqualTo(ExitCode.USAGE);
        assertThat(Failures.of(new NoSuchFileException("/tmp/x")))
                .isEqualTo(new Failures.Failure(ExitCode.LOCAL, "no such local file or directory: /tmp/x"));
        assertThat(Failures.of(new FileAlreadyExistsException("/tmp/x", null, "use --overwrite")).message())
                .isEqualTo("local file already exists (use --overwrite): /tmp/x");
        assertThat(Failures.of(new IllegalStateException("bug")).code()).isEqualTo(ExitCode.FAILURE);
    }

    @Test
    void exitCodesAreDistinct() {
        assertThat(java.util.Arrays.stream(ExitCode.values()).map(ExitCode::value).distinct().count())
                .isEqualTo(ExitCode.values().length);
    }
}
