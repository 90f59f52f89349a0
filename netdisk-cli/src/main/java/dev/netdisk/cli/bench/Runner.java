package dev.netdisk.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Runs a workload's operations from its threads until the requests are used up or the duration
 * is over, recording each successful operation's latency in a per-thread HdrHistogram (merged at
 * the end) and counting failures by message.
 *
 * <p>The clock starts when every thread is ready and stops when the last one finishes.
 */
final class Runner {

    /** Distinct error messages kept for the report. */
    private static final int ERROR_SAMPLES = 5;

    /** What the timed part of a run produced. */
    record Outcome(long ops, long errors, double seconds, Histogram latency, Map<String, Long> errorSamples) {
    }

    private Runner() {
    }

    /**
     * Runs {@code requests} operations in all (or, when 0, until {@code duration} is over) on
     * {@code threads} threads; each thread numbers its operations from {@code firstSeq}, so a
     * measured run after a warm-up of {@code k} operations in all starts at {@code k} and never
     * reuses a warm-up's name.
     */
    static Outcome run(Workload workload, int threads, long requests, java.time.Duration duration, long firstSeq)
            throws InterruptedException {
        AtomicLong remaining = new AtomicLong(requests > 0 ? requests : Long.MAX_VALUE);
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<String, Long> samples = new LinkedHashMap<>();
        List<Histogram> histograms = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] startAndDeadline = new long[2];
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Histogram h = new Histogram(3);
            histograms.add(h);
            int client = t;
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = startAndDeadline[1];
                long seq = firstSeq;
                while (System.nanoTime() < end && remaining.getAndDecrement() > 0) {
                    try {
                        long nanos = workload.op(client, seq++);
                        h.recordValue(Math.max(1, nanos));
                        ok.increment();
                    } catch (Exception e) {
                        errors.increment();
                        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                        synchronized (samples) {
                            if (samples.containsKey(message) || samples.size() < ERROR_SAMPLES) {
                                samples.merge(message, 1L, Long::sum);
                            }
                        }
                    }
                }
            }, "bench-" + t);
            thread.setDaemon(true);
            list.add(thread);
            thread.start();
        }
        ready.await();
        long start = System.nanoTime();
        startAndDeadline[0] = start;
        startAndDeadline[1] = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        go.countDown();  // happens-before every thread's read of startAndDeadline
        for (Thread thread : list) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(3);
        for (Histogram h : histograms) {
            all.add(h);
        }
        return new Outcome(ok.sum(), errors.sum(), seconds, all, samples);
    }
}
