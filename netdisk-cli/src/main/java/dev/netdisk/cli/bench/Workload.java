package dev.netdisk.cli.bench;

import java.util.Map;

/**
 * One kind of load. The {@link Runner} calls {@link #setup} once, then {@link #op} from
 * {@link #threads} threads until the requests or the duration run out, then {@link #afterRun}, and
 * {@link #cleanup} always.
 *
 * <p>Threading: {@code op} runs concurrently, one thread per client index; everything it touches
 * for that index belongs to that thread.
 */
interface Workload {

    /** Creates users, connections and fixtures; the clock has not started. */
    void setup(Bench bench) throws Exception;

    /** How many threads run operations (one per client by default). */
    default int threads(int clients) {
        return clients;
    }

    /**
     * Runs one operation for {@code client} and returns its latency in nanoseconds (the workload
     * measures it itself, so that pacing or a wait for events is or is not counted, as it means).
     */
    long op(int client, long seq) throws Exception;

    /**
     * The latencies to report, in nanoseconds, when the workload measures them apart from
     * {@link #op}'s return values (an open-loop workload: a round trip ends after its op); null
     * to report what {@link #op} returned. Called once, after {@link #afterRun}.
     */
    default org.HdrHistogram.Histogram latency() {
        return null;
    }

    /** How many operations in all a warm-up of {@code warmup} (the {@code --warmup} option) runs. */
    default long warmupRequests(int warmup, int clients) {
        return (long) warmup * threads(clients);
    }

    /** Called between the warm-up and the timed run: forget what the warm-up recorded. */
    default void afterWarmup() throws Exception {
    }

    /** Bytes moved so far by the operations (for MiB/s); 0 when bytes do not matter. */
    default long bytes() {
        return 0;
    }

    /** Called after the timed run, before cleanup (the idle workload holds and measures here). */
    default void afterRun(Bench bench) throws Exception {
    }

    /** Workload-specific figures for the report, in the order to print them. */
    default Map<String, Object> extra(double seconds, long ops) {
        return Map.of();
    }

    /** Closes connections and removes what setup created; best effort, never throws. */
    void cleanup(Bench bench);
}
