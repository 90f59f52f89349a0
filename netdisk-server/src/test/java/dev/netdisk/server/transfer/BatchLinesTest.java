package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ReplyCode;
import org.junit.jupiter.api.Test;

/**
 * The lines of a batch data connection, parsed without a connection: each good form, and each
 * malformed one with the reply {@code docs/PROTOCOL.md} section 6 gives it (an item refused, the
 * batch going on; or the end of the batch, when the stream cannot be followed past the line).
 */
class BatchLinesTest {

    private static final String MD5 = "6f5902ac237024bdd0c176cb93063dc4";

    @Test
    void anUploadLineGivesAnItemToReceive() {
        DataItem item = item("UPLOAD /photos/a.jpg 4096 " + MD5.toUpperCase());
        assertThat(item.download).isFalse();
        assertThat(item.path).hasToString("/photos/a.jpg");
        assertThat(item.size).isEqualTo(4096);
        assertThat(item.md5).isEqualTo(MD5);
        assertThat(item.overwrite).isFalse();
        assertThat(item.reply).isNull();
    }

    @Test
    void anUploadOfAnySizeMayDeferItsMd5ToATrailer() {
        DataItem item = item("UPLOAD /iso/big.iso 10737418240 -");
        assertThat(item.size).isEqualTo(10737418240L);
        assertThat(item.md5).as("the trailer line after the bytes gives it").isNull();
        assertThat(item.reply).isNull();
    }

    @Test
    void aRelativeQuotedPathIsTakenFromTheRootAndOverwriteIsAnOption() {
        DataItem item = item("upload \"my docs/b c.txt\" 0 " + MD5 + " --overwrite");
        assertThat(item.path).hasToString("/my docs/b c.txt");
        assertThat(item.overwrite).isTrue();
        assertThat(item.reply).isNull();
    }

    @Test
    void aDownloadLineGivesAnItemToLookUp() {
        DataItem item = item("DOWNLOAD /notes/todo.txt");
        assertThat(item.download).isTrue();
        assertThat(item.path).hasToString("/notes/todo.txt");
        assertThat(item.size).isEqualTo(-1);
        assertThat(item.reply).isNull();
        assertThat(item.offset).isZero();
        assertThat(item("DOWNLOAD /notes/todo.txt 1048576").offset).isEqualTo(1048576);
    }

    @Test
    void quitEndsTheBatch() {
        assertThat(BatchLines.parse("QUIT")).isEqualTo(new BatchLines.End(ReplyCode.CLOSING, "bye"));
    }

    @Test
    void anUploadWithoutASizeToFollowTheStreamByEndsTheBatch() {
        BatchLines.End usage = new BatchLines.End(ReplyCode.ARGUMENT_ERROR,
                "usage: UPLOAD path size md5|- [mtime=MS] [--overwrite] (size a number of bytes)");
        assertThat(BatchLines.parse("UPLOAD /a.txt")).isEqualTo(usage);
        assertThat(BatchLines.parse("UPLOAD /a.txt ten " + MD5)).isEqualTo(usage);
        assertThat(BatchLines.parse("UPLOAD /a.txt -1 " + MD5)).isEqualTo(usage);
    }

    @Test
    void anotherVerbEndsTheBatch() {
        assertThat(BatchLines.parse("LIST /")).isEqualTo(new BatchLines.End(ReplyCode.BAD_SEQUENCE,
                "a batch takes only UPLOAD path size md5|- [mtime=MS] [--overwrite], DOWNLOAD path [offset] or QUIT"));
    }

    @Test
    void malformedQuotingEndsTheBatch() {
        BatchLines.Parsed parsed = BatchLines.parse("UPLOAD \"/a.txt 1 " + MD5);
        assertThat(parsed).isInstanceOf(BatchLines.End.class);
        assertThat(((BatchLines.End) parsed).code()).isEqualTo(ReplyCode.ARGUMENT_ERROR);
    }

    @Test
    void anUploadRefusedByItsLineIsStillFollowedByItsBytes() {
        String usage = "501 usage: UPLOAD path size md5|- [mtime=MS] [--overwrite] (md5 32 hex digits, or - for the line"
                + " MD5 <md5> after the bytes): /a.txt";
        assertThat(refused("UPLOAD /a.txt 5 not-an-md5")).isEqualTo(usage);
        assertThat(refused("UPLOAD /a.txt 5")).isEqualTo(usage);
        assertThat(refused("UPLOAD /a.txt 5 " + MD5 + " --keep")).isEqualTo("501 unknown option: --keep");
        assertThat(refused("UPLOAD / 5 " + MD5)).isEqualTo("550 is a directory: /");
        assertThat(refused("UPLOAD /shared/bob/a.txt 5 " + MD5))
                .isEqualTo("550 read-only: shared by bob: /shared/bob/a.txt");
        assertThat(refused("UPLOAD ../../etc/passwd 5 " + MD5)).startsWith("553 ");
        DataItem refused = item("UPLOAD /a.txt 5 " + MD5 + " --keep");
        assertThat(refused.size).isEqualTo(5);
        assertThat(refused.incoming).as("its bytes are dropped, not held").isNull();
        assertThat(refused.dropping).isEqualTo(5);
        assertThat(refused.dropTrailer).as("no trailer follows an md5 given on the line").isFalse();
        assertThat(item("UPLOAD /shared/bob/a.txt 5 - --overwrite").dropTrailer)
                .as("a refused line that said - is followed by its trailer, dropped too").isTrue();
    }

    @Test
    void aDownloadRefusedByItsLineLeavesTheBatchGoingOn() {
        assertThat(refused("DOWNLOAD /a.txt 100 200")).isEqualTo("501 usage: DOWNLOAD path [offset]");
        assertThat(refused("DOWNLOAD")).isEqualTo("501 usage: DOWNLOAD path [offset]");
        assertThat(refused("DOWNLOAD /a.txt -5")).isEqualTo("501 offset must be a non-negative number of bytes: -5");
        assertThat(refused("DOWNLOAD /a.txt --offset")).isEqualTo("501 unknown option: --offset");
        assertThat(refused("DOWNLOAD ../../x")).startsWith("553 ");
    }

    private static DataItem item(String line) {
        BatchLines.Parsed parsed = BatchLines.parse(line);
        assertThat(parsed).as(line).isInstanceOf(DataItem.class);
        return (DataItem) parsed;
    }

    private static String refused(String line) {
        DataItem item = item(line);
        assertThat(item.reply).as(line).isNotNull();
        return item.reply.toString();
    }
}
