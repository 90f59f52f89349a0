package dev.netdisk.cli.bench;

import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TransferOptions;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The file workloads, all as one user with one client-library connection per client:
 * {@code stat} (one file), {@code ls} (a directory of {@code --entries} entries made with
 * server-side {@code COPY}), {@code upload} and {@code small-files} (a new file per operation), and
 * {@code download} (one file of {@code --size}, downloaded again and again).
 */
final class FileWorkload implements Workload {

    private static final String STAT_FILE = Bench.DIR + "/stat.bin";
    private static final String LS_DIR = Bench.DIR + "/ls";
    private static final String UP_DIR = Bench.DIR + "/up";
    private static final String DL_FILE = Bench.DIR + "/download.bin";

    private final BenchCommand.Kind kind;
    private final LongAdder bytes = new LongAdder();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private NetdiskClient[] clients = new NetdiskClient[0];
    private Path local;
    private Path scratch;
    private long size;
    private int entriesExpected = -1;

    FileWorkload(BenchCommand.Kind kind) {
        this.kind = kind;
    }

    @Override
    public void setup(Bench bench) throws Exception {
        BenchOptions o = bench.options();
        Bench.User user = bench.createUsers(1).get(0);
        clients = new NetdiskClient[o.clients()];
        for (int i = 0; i < clients.length; i++) {
            try {
                clients[i] = bench.client(user, null);
            } catch (IOException e) {
                throw BenchAbort.of("opening connection " + (i + 1) + " of " + clients.length, e);
            }
        }
        scratch = bench.scratch();
        local = o.file() != null ? o.file() : generate(scratch.resolve("source.bin"), o.size());
        size = Files.size(local);
        NetdiskClient c = clients[0];
        c.files().makedir(Bench.DIR, true);
        switch (kind) {
            case STAT -> c.upload(local, STAT_FILE, TransferOptions.DEFAULTS, null);
            case LS -> fillDirectory(bench, user, o.entries());
            case UPLOAD, SMALL_FILES -> c.files().makedir(UP_DIR, true);
            case DOWNLOAD -> {
                long start = System.nanoTime();
                c.upload(local, DL_FILE, TransferOptions.DEFAULTS, null);
                bench.progress("uploaded the %s fixture in %.1f s", Sizes.human(size), (System.nanoTime() - start) / 1e9);
            }
            default -> throw new IllegalStateException(kind.label());
        }
    }

    /** {@code entries} files in {@link #LS_DIR}: one upload, then pipelined server-side copies. */
    private void fillDirectory(Bench bench, Bench.User user, int entries) throws IOException {
        entriesExpected = entries;
        clients[0].files().makedir(LS_DIR, true);
        String first = LS_DIR + "/" + name(0);
        clients[0].upload(local, first, TransferOptions.DEFAULTS, null);
        List<String> copies = new ArrayList<>(entries);
        for (int i = 1; i < entries; i++) {
            copies.add("COPY " + first + " " + LS_DIR + "/" + name(i));
        }
        long start = System.nanoTime();
        try (ProtocolClient raw = bench.raw(user)) {
            for (Reply r : raw.pipeline(copies, 128)) {
                r.expect(250);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        extra.put("setup_copies_per_sec", Report.round(copies.size() / Math.max(seconds, 1e-9), 1));
        bench.progress("made %d entries with COPY in %.1f s (%.0f copies/s)", entries, seconds, copies.size() / seconds);
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "f%06d", i);
    }

    @Override
    public long op(int client, long seq) throws Exception {
        NetdiskClient c = clients[client];
        long t0 = System.nanoTime();
        switch (kind) {
            case STAT -> c.files().stat(STAT_FILE);
            case LS -> {
                List<Entry> entries = c.files().ls(LS_DIR);
                if (entries.size() != entriesExpected) {
                    throw new IOException("LS listed " + entries.size() + " entries, expected " + entriesExpected);
                }
            }
            case UPLOAD, SMALL_FILES -> {
                c.upload(local, UP_DIR + "/c" + client + "-" + seq, TransferOptions.DEFAULTS, null);
                bytes.add(size);
            }
            case DOWNLOAD -> {
                c.download(DL_FILE, scratch.resolve("download-" + client + ".bin"),
                        TransferOptions.DEFAULTS.withOverwrite(true), null);
                bytes.add(size);
            }
            default -> throw new IllegalStateException(kind.label());
        }
        return System.nanoTime() - t0;
    }

    @Override
    public long bytes() {
        return bytes.sum();
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        switch (kind) {
            case LS -> {
                m.put("entries_per_listing", entriesExpected);
                m.put("entries_per_sec", Report.round(ops * (double) entriesExpected / Math.max(seconds, 1e-9), 1));
            }
            case UPLOAD, SMALL_FILES, DOWNLOAD, STAT -> m.put("file_size", size + " bytes (" + Sizes.human(size) + ")");
            default -> {
            }
        }
        return m;
    }

    @Override
    public void cleanup(Bench bench) {
        for (NetdiskClient c : clients) {
            if (c != null) {
                c.close();
            }
        }
        bench.cleanupUsers(List.of());
        deleteScratch(scratch);
    }

    static void deleteScratch(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // best effort: a scratch file left in the temp directory harms nobody
        }
    }

    /** A file of {@code size} pseudo-random bytes (incompressible enough; not for cryptography). */
    static Path generate(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return file;
    }
}
