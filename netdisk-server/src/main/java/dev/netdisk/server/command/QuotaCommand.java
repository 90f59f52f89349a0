package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.Quotas;
import java.util.Locale;

/**
 * {@code QUOTA}: {@code 211 used=BYTES trash=BYTES limit=BYTES free=BYTES ...}. {@code used} counts
 * every file the user owns, the trash included ({@code trash} is that part).
 */
final class QuotaCommand implements Command {

    private final Quotas quotas;

    QuotaCommand(Quotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public String verb() {
        return "QUOTA";
    }

    @Override
    public String syntax() {
        return "QUOTA";
    }

    @Override
    public String summary() {
        return "show the bytes used (trash included) and the quota";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs.exactly(request, this, 0);
        Quotas.Breakdown b = quotas.breakdown(session.requireUser().id());
        long free = Math.max(0, b.limit() - b.used());
        return Reply.of(ReplyCode.STATUS, "used=" + b.used() + " trash=" + b.trash() + " limit=" + b.limit()
                + " free=" + free + " files=" + b.files() + " uploads=" + b.uploads() + " chat=" + b.chat()
                + " chat-limit=" + b.chatLimit() + " entries=" + b.entries() + " max-entries=" + b.maxEntries()
                + " " + human(b.used()) + " of " + human(b.limit()) + " used, trash and unfinished uploads included");
    }

    /** Bytes for people: {@code 1.5 MiB}. */
    static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
