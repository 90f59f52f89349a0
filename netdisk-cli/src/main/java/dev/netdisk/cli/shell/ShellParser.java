package dev.netdisk.cli.shell;

import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * JLine's default parser (the words {@link CommandSplitter} reads back), whose completion also
 * backslashes the wildcard characters {@code [ ] * ?} of a completed name: without it, a name such
 * as {@code photo [1].jpg} completed into {@code ls} or {@code download} would be taken as a
 * pattern ({@link dev.netdisk.cli.client.RemoteGlob}). Inside quotes nothing more is added: there
 * the splitter keeps them literal already. Stateless.
 */
final class ShellParser extends DefaultParser {

    private static final String WILDCARDS = "[]*?";

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        ParsedLine parsed = super.parse(line, cursor, context);
        return parsed instanceof CompletingParsedLine c ? new WildcardEscaping(c) : parsed;
    }

    /** {@code escaped} with a backslash before each wildcard, unless it holds a quote. */
    static CharSequence escapeWildcards(CharSequence escaped) {
        String s = escaped.toString();
        if (s.indexOf('"') >= 0 || s.indexOf('\'') >= 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(c).append(s.charAt(++i));  // already escaped by JLine (a space, a backslash)
                continue;
            }
            if (WILDCARDS.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out;
    }

    /** The default parser's line, with {@link #escapeWildcards} after its own escaping. */
    private record WildcardEscaping(CompletingParsedLine parsed) implements CompletingParsedLine {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return escapeWildcards(parsed.escape(candidate, complete));
        }

        @Override
        public int rawWordCursor() {
            return parsed.rawWordCursor();
        }

        @Override
        public int rawWordLength() {
            return parsed.rawWordLength();
        }

        @Override
        public String word() {
            return parsed.word();
        }

        @Override
        public int wordCursor() {
            return parsed.wordCursor();
        }

        @Override
        public int wordIndex() {
            return parsed.wordIndex();
        }

        @Override
        public List<String> words() {
            return parsed.words();
        }

        @Override
        public String line() {
            return parsed.line();
        }

        @Override
        public int cursor() {
            return parsed.cursor();
        }
    }
}
