package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void aSingleLineReplyRendersAsCodeSpaceText() {
        assertThat(Reply.of(ReplyCode.OK, "OK").render()).isEqualTo("200 OK\n");
        assertThat(Reply.of(ReplyCode.NOT_LOGGED_IN).render()).isEqualTo("530 not logged in\n");
    }

    @Test
    void aMultiLineReplyMarksEveryLineButTheLastWithADash() {
        Reply r = Reply.multiline(ReplyCode.STATUS, List.of("friend bob online", "friend carol offline"), "2 friends");
        assertThat(r.render()).isEqualTo("211-friend bob online\n211-friend carol offline\n211 2 friends\n");
        assertThat(r.body()).containsExactly("friend bob online", "friend carol offline");
        assertThat(r.text()).isEqualTo("2 friends");
    }

    @Test
    void renderingAndParsingAgree() throws Exception {
        Reply sent = Reply.multiline(ReplyCode.DIRECTORY_STATUS, List.of("d 0 2026-11-21T13:49:12.004Z - docs"), "1 entry");
        ReplyAssembler assembler = new ReplyAssembler();
        ReplyAssembler.Result last = null;
        for (String line : sent.render().split("\n")) {
            last = assembler.accept(line);
        }
        assertThat(last).isEqualTo(new ReplyAssembler.Completed(sent));
    }

    @Test
    void theTextAfterTheParametersIsWhatFollowsTheLastKeyValueWord() {
        assertThat(Reply.of(213, "size=3 files=1 dirs=0 /docs/a b").textAfterParams()).isEqualTo("/docs/a b");
        assertThat(Reply.of(213, "size=3").textAfterParams()).isEmpty();
        assertThat(Reply.of(200, "no params here").textAfterParams()).isEqualTo("no params here");
    }

    @Test
    void onlyClosingRepliesCloseTheConnection() {
        assertThat(Reply.of(ReplyCode.CLOSING).closesConnection()).isTrue();
        assertThat(Reply.of(ReplyCode.SERVICE_CLOSING).closesConnection()).isTrue();
        assertThat(Reply.of(ReplyCode.FILE_UNAVAILABLE).closesConnection()).isFalse();
    }

    @Test
    void aReplyHasAThreeDigitCodeAndAtLeastOneLine() {
        assertThatThrownBy(() -> new Reply(99, List.of("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply(200, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void md5IsThirtyTwoLowerCaseHexDigits() {
        assertThat(Md5.hex(new byte[0])).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Md5.isHex("D41D8CD98F00B204E9800998ECF8427E")).isTrue();
        assertThat(Md5.isHex("d41d8cd98f00b204e9800998ecf8427")).isFalse();
    }
}
