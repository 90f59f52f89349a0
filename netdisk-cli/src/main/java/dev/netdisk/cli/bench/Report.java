package dev.netdisk.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one run, printed for people (redis-benchmark style) or as one JSON object
 * ({@code --json}). The JSON keys are documented in docs/CLI.md ("Benchmarks") and stay stable.
 */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Long> errorSamples;

    Report(BenchOptions o, String setup, Runner.Outcome outcome, long bytes, Map<String, Object> extra) {
        double s = Math.max(outcome.seconds(), 1e-9);
        fields.put("workload", o.workload().label());
        fields.put("clients", o.clients());
        fields.put("setup", setup);
        fields.put("requests", outcome.ops() + outcome.errors());
        fields.put("ops", outcome.ops());
        fields.put("errors", outcome.errors());
        fields.put("seconds", round(outcome.seconds(), 3));
        fields.put("ops_per_sec", round(outcome.ops() / s, 1));
        fields.put("bytes", bytes);
        fields.put("mib_per_sec", round(bytes / s / (1 << 20), 1));
        Histogram h = outcome.latency();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", ms(h, 50));
        latency.put("p90", ms(h, 90));
        latency.put("p99", ms(h, 99));
        latency.put("max", h.getTotalCount() == 0 ? 0.0 : round(h.getMaxValue() / 1e6, 3));
        latency.put("mean", h.getTotalCount() == 0 ? 0.0 : round(h.getMean() / 1e6, 3));
        fields.put("latency_ms", latency);
        fields.put("extra", extra);
        this.errorSamples = outcome.errorSamples();
        fields.put("error_samples", errorSamples);
    }

    long errors() {
        return (Long) fields.get("errors");
    }

    Map<String, Long> errorSamples() {
        return errorSamples;
    }

    void printJson(PrintWriter out) throws com.fasterxml.jackson.core.JsonProcessingException {
        out.println(JSON.writeValueAsString(fields));
    }

    @SuppressWarnings("unchecked")
    void printText(PrintWriter out) {
        Map<String, Object> latency = (Map<String, Object>) fields.get("latency_ms");
        out.printf(Locale.ROOT, "====== %s ======%n", fields.get("workload"));
        out.printf(Locale.ROOT, "  %s%n", fields.get("setup"));
        out.printf(Locale.ROOT, "  %d requests in %.3f s by %d clients, %d errors%n", (Long) fields.get("requests"),
                (Double) fields.get("seconds"), (Integer) fields.get("clients"), (Long) fields.get("errors"));
        out.printf(Locale.ROOT, "  throughput: %.1f ops/s, %.1f MiB/s%n", (Double) fields.get("ops_per_sec"),
                (Double) fields.get("mib_per_sec"));
        out.printf(Locale.ROOT, "  latency (ms): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f%n", latency.get("p50"),
                latency.get("p90"), latency.get("p99"), latency.get("max"));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) fields.get("extra")).entrySet()) {
            out.printf(Locale.ROOT, "  %s: %s%n", e.getKey().replace('_', ' '), e.getValue());
        }
        for (Map.Entry<String, Long> e : errorSamples.entrySet()) {
            out.printf(Locale.ROOT, "  error x%d: %s%n", e.getValue(), e.getKey());
        }
        out.flush();
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0.0 : round(h.getValueAtPercentile(percentile) / 1e6, 3);
    }

    static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
