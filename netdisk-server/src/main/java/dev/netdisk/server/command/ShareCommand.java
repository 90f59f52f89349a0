package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.IsDirectoryException;
import dev.netdisk.server.store.ShareGrants;
import dev.netdisk.server.store.ShareLinks;
import dev.netdisk.server.store.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SHARE path WITH user | SHARE LIST | SHARE LINK path [--expires DURATION] | SHARE LINKS}.
 *
 * <p>Exactly three arguments with {@code WITH} in the middle share {@code path} with a friend;
 * otherwise the first argument is the action (a file called {@code LIST} is shared as {@code
 * ./LIST}, which the rule needs no exception for).
 */
final class ShareCommand implements Command {

    /** A link's lifetime: a positive number and a unit (s, m, h, d, w). */
    static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhdw])");

    /** The longest link lifetime accepted: ten years. */
    static final Duration MAX_EXPIRY = Duration.ofDays(3650);

    private final ShareGrants grants;
    private final ShareLinks links;
    private final Clock clock;

    ShareCommand(ShareGrants grants, ShareLinks links, Clock clock) {
        this.grants = grants;
        this.links = links;
        this.clock = clock;
    }

    @Override
    public String verb() {
        return "SHARE";
    }

    @Override
    public String syntax() {
        return "SHARE path WITH user | SHARE LIST | SHARE LINK path [--expires DURATION] | SHARE LINKS";
    }

    @Override
    public String summary() {
        return "share read-only with a friend (seen as /shared/<you>/<name>), or by a link code; list shares and links";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        List<String> args = request.args();
        User user = session.requireUser();
        if (args.size() == 3 && args.get(1).equalsIgnoreCase("WITH")) {
            return shareWith(session, user, args.get(0), args.get(2));
        }
        String action = args.isEmpty() ? "" : args.get(0).toUpperCase(Locale.ROOT);
        switch (action) {
            case "LIST" -> {
                usage(args.size() == 1);
                List<String> lines = new ArrayList<>();
                for (ShareGrants.Share s : grants.given(user)) {
                    lines.add("out " + s.recipient() + " " + s.path());
                }
                for (ShareGrants.Share s : grants.received(user)) {
                    lines.add("in " + s.owner() + " " + s.path());
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + (lines.size() == 1 ? " share" : " shares"));
            }
            case "LINKS" -> {
                usage(args.size() == 1);
                List<String> lines = new ArrayList<>();
                for (ShareLinks.Link link : links.links(user.id())) {
                    lines.add(link.code() + " " + expiry(link.expiresAt()) + " " + link.path());
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + (lines.size() == 1 ? " link" : " links"));
            }
            case "LINK" -> {
                return link(session, user, args.subList(1, args.size()));
            }
            default -> throw new CommandException(ReplyCode.ARGUMENT_ERROR, "usage: " + syntax());
        }
    }

    private Reply shareWith(Session session, User user, String pathArg, String recipient) throws Exception {
        RemotePath path = RemotePath.resolve(session.cwd(), pathArg);
        if (path.isRoot()) {
            throw new CommandException(ReplyCode.NAME_NOT_ALLOWED, "cannot share the root: share a directory in it");
        }
        ShareGrants.Share share;
        try {
            share = grants.share(user, path, recipient);
        } catch (ShareGrants.RefusedException e) {
            String to = recipient.toLowerCase(Locale.ROOT);
            throw switch (e.refusal()) {
                case NO_SUCH_USER -> new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + to);
                case YOURSELF -> new CommandException(ReplyCode.ARGUMENT_ERROR, "you cannot share with yourself");
                case NOT_FRIENDS -> new CommandException(ReplyCode.FILE_UNAVAILABLE, to
                        + " is not your friend; FRIEND ADD " + to + " first");
                case ALREADY_SHARED -> new CommandException(ReplyCode.ALREADY_EXISTS, "already shared with " + to
                        + ": " + path);
                case NAME_TAKEN -> new CommandException(ReplyCode.ALREADY_EXISTS, to + " already has a share named "
                        + Arguments.forceQuote(path.name()) + " from you");
            };
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "shared " + Arguments.forceQuote(share.path()) + " with "
                + share.recipient() + " as " + Arguments.forceQuote("/shared/" + user.name() + "/" + share.name()));
    }

    private Reply link(Session session, User user, List<String> args) throws Exception {
        String pathArg = null;
        Optional<Instant> expires = Optional.empty();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && arg.equals("--expires")) {
                if (i + 1 >= args.size()) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR, "--expires needs a duration such as 7d");
                }
                expires = Optional.of(clock.instant().plus(duration(args.get(++i))));
            } else if (!optionsEnded && arg.length() > 1 && arg.startsWith("-")) {
                throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown option " + arg + "; usage: SHARE LINK path"
                        + " [--expires DURATION]");
            } else if (pathArg == null) {
                pathArg = arg;
            } else {
                throw new CommandException(ReplyCode.ARGUMENT_ERROR, "too many arguments; usage: SHARE LINK path"
                        + " [--expires DURATION]");
            }
        }
        if (pathArg == null) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "missing argument; usage: SHARE LINK path"
                    + " [--expires DURATION]");
        }
        RemotePath path = RemotePath.resolve(session.cwd(), pathArg);
        ShareLinks.Link link;
        try {
            link = links.link(user.id(), path, expires);
        } catch (IsDirectoryException e) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + path
                    + " (links are for files; SHARE path WITH a friend shares a directory)");
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "code=" + link.code() + " expires=" + expiry(link.expiresAt())
                + " link to " + Arguments.forceQuote(link.path()) + "; anyone logged in can FETCH " + link.code());
    }

    static String expiry(Optional<Instant> at) {
        return at.map(i -> Entries.TIMESTAMP.format(i)).orElse("never");
    }

    static Duration duration(String text) throws CommandException {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "bad duration " + text
                    + ": a positive number and s, m, h, d or w (7d)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        if (d.compareTo(MAX_EXPIRY) > 0) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "duration too long (max 3650d): " + text);
        }
        return d;
    }

    private void usage(boolean ok) throws CommandException {
        if (!ok) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "usage: " + syntax());
        }
    }
}
