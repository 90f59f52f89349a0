package dev.netdisk.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.cli.session.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandSplitterTest {

    @Test
    void wordsAndCommands() {
        assertThat(CommandSplitter.split("makedir a; cd a;upload x.bin"))
                .containsExactly(List.of("makedir", "a"), List.of("cd", "a"), List.of("upload", "x.bin"));
        assertThat(CommandSplitter.split("ls\n\n  pwd  \n")).containsExactly(List.of("ls"), List.of("pwd"));
    }

    @Test
    void quotesAndEscapes() {
        assertThat(CommandSplitter.words("upload \"my file.txt\" 'it''s' back\\ slash \"a\\\"b\" \"\""))
                .containsExactly("upload", "my file.txt", "its", "back slash", "a\"b", "");
        assertThat(CommandSplitter.words("cd 'C:\\dir'")).containsExactly("cd", "C:\\dir");
    }

    @Test
    void commentsRunToTheEndOfTheLine() {
        assertThat(CommandSplitter.split("# set up\nmakedir a # the target\nls a#b"))
                .containsExactly(List.of("makedir", "a"), List.of("ls", "a#b"));
    }

    @Test
    void unclosedQuotesAreUsageErrors() {
        assertThatThrownBy(() -> CommandSplitter.split("ls \"open")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unclosed quote");
        assertThatThrownBy(() -> CommandSplitter.split("ls end\\")).isInstanceOf(UsageException.class);
    }

    @Test
    void everythingAfterTheChatTargetIsTheMessageAsTyped() {
        assertThat(CommandSplitter.split("chat bob don't forget"))
                .containsExactly(List.of("chat", "bob", "--text=don't forget"));
        assertThat(CommandSplitter.split("chat bob ok, will do; makedir /x"))
                .containsExactly(List.of("chat", "bob", "--text=ok, will do; makedir /x"));
        assertThat(CommandSplitter.split("msg   bob   path is C:\\temp \"quoted\" # not a comment\\"))
                .containsExactly(List.of("msg", "bob", "--text=path is C:\\temp \"quoted\" # not a comment\\"));
        assertThat(CommandSplitter.split("CHAT #team stand-up\r\nls"))
                .containsExactly(List.of("CHAT", "#team", "--text=stand-up"), List.of("ls"));
        assertThat(CommandSplitter.split("chat \"bob\"; ls")).containsExactly(List.of("chat", "bob"), List.of("ls"));
    }

    @Test
    void inTheInteractiveShellAMessageRunsOverSeveralLines() {
        assertThat(CommandSplitter.split("chat bob first line\nsecond; line", true))
                .containsExactly(List.of("chat", "bob", "--text=first line\nsecond; line"));
        assertThat(CommandSplitter.split("chat bob first line\nls", false))
                .containsExactly(List.of("chat", "bob", "--text=first line"), List.of("ls"));
    }

    @Test
    void aChatFileOptionIsWordsAndTheNoteAfterItIsAsTyped() {
        assertThat(CommandSplitter.split("chat bob --file \"my report.pdf\" see; this"))
                .containsExactly(List.of("chat", "bob", "--file", "my report.pdf", "--text=see; this"));
        assertThat(CommandSplitter.split("chat #team --remote-file=/a.txt"))
                .containsExactly(List.of("chat", "#team", "--remote-file=/a.txt"));
        assertThat(CommandSplitter.split("chat bob --filed is a word"))
                .containsExactly(List.of("chat", "bob", "--text=--filed is a word"));
    }

    @Test
    void quotedOrBackslashedWildcardsStayLiteralOnlyInCommandsThatExpandThem() {
        assertThat(CommandSplitter.split("ls 'photo [1].jpg' a* \\*b"))
                .containsExactly(List.of("ls", "photo \\[1\\].jpg", "a*", "\\*b"));
        assertThat(CommandSplitter.split("download \"x?\" dir"))
                .containsExactly(List.of("download", "x\\?", "dir"));
        assertThat(CommandSplitter.split("makedir 'a[1]'")).containsExactly(List.of("makedir", "a[1]"));
    }
}
