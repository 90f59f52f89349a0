package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplyAssemblerTest {

    private final ReplyAssembler assembler = new ReplyAssembler();

    private Reply complete(String line) throws Exception {
        ReplyAssembler.Result r = assembler.accept(line);
        assertThat(r).isInstanceOf(ReplyAssembler.Completed.class);
        return ((ReplyAssembler.Completed) r).reply();
    }

    @Test
    void singleLineReply() throws Exception {
        Reply r = complete("220 netdisk 0.1.0 ready (protocol 1)");
        assertThat(r.code()).isEqualTo(220);
        assertThat(r.text()).isEqualTo("netdisk 0.1.0 ready (protocol 1)");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void multiLineReplyCollectsContinuationLines() throws Exception {
        assertThat(assembler.accept("212-d 0 2026-11-21T13:49:12.004Z - holiday photos")).isInstanceOf(ReplyAssembler.Pending.class);
        assertThat(assembler.accept("212-f 12 2026-11-21T13:50:00.123Z 6f5902ac237024bdd0c176cb93063dc4 notes.txt"))
                .isInstanceOf(ReplyAssembler.Pending.class);
        Reply r = complete("212 2 entries");
        assertThat(r.code()).isEqualTo(212);
        assertThat(r.body()).containsExactly("d 0 2026-11-21T13:49:12.004Z - holiday photos",
                "f 12 2026-11-21T13:50:00.123Z 6f5902ac237024bdd0c176cb93063dc4 notes.txt");
        assertThat(r.text()).isEqualTo("2 entries");
    }

    @Test
    void anInnerLineStartingWithAnotherCodeDoesNotEndTheReply() throws Exception {
        assembler.accept("214-Commands:");
        assertThat(assembler.accept("230 is not the end")).isInstanceOf(ReplyAssembler.Pending.class);
        Reply r = complete("214 end");
        assertThat(r.body()).containsExactly("Commands:", "230 is not the end");
    }

    @Test
    void eventsAreRecognisedBetweenReplies() throws Exception {
        ReplyAssembler.Result r = assembler.accept("* CHAT 3 2026-11-21T13:50:00.123Z alice bob lunch? \"at 12\"");
        assertThat(r).isEqualTo(new ReplyAssembler.Event("CHAT 3 2026-11-21T13:50:00.123Z alice bob lunch? \"at 12\""));
        assertThat(complete("250 delivered=1 message delivered").params()).containsEntry("delivered", "1");
    }

    @Test
    void paramsStopAtTheFirstWordWithoutEquals() throws Exception {
        Reply r = complete("350 ticket=5b0e8c2d9a7741f1a3c6e2b4d8f01a7c offset=0 size=1048576 send a=b");
        assertThat(r.params()).containsOnlyKeys("ticket", "offset", "size");
        assertThat(r.longParam("size")).isEqualTo(1_048_576L);
    }

    @Test
    void aMissingParamIsAProtocolError() throws Exception {
        Reply r = complete("350 offset=0");
        assertThatThrownBy(() -> r.param("ticket")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ticket");
    }

    @Test
    void expectTurnsAnotherCodeIntoAReplyException() throws Exception {
        Reply r = complete("550 no such file or directory: /docs/a.txt");
        assertThatThrownBy(() -> r.expect(212)).isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.code()).isEqualTo(550);
            assertThat(e.text()).isEqualTo("no such file or directory: /docs/a.txt");
            assertThat(e.getMessage()).isEqualTo("550 no such file or directory: /docs/a.txt");
        });
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> assembler.accept("hello")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> assembler.accept("12x nope")).isInstanceOf(ProtocolException.class);
    }
}
