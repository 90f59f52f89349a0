package dev.netdisk.cli.bench;

import dev.netdisk.protocol.ProtocolClient;
import java.util.List;
import java.util.Map;

/**
 * {@code noop}: the server's reply latency with nothing to do. Each client holds one logged-in
 * plain-socket connection and an operation is one {@code NOOP} round trip, paced to {@code --rate}
 * per client (0: as fast as the replies come). {@code NOOP} runs on the selector thread itself
 * (docs/ARCHITECTURE.md), so this is the probe for "a transfer never stalls anyone else": run it
 * while another bench process uploads, and compare its p99 with the same run on an idle server.
 */
final class NoopWorkload implements Workload {

    private ProtocolClient[] connections;
    private Pacer[] pacers;

    @Override
    public void setup(Bench bench) throws Exception {
        int clients = bench.options().clients();
        Bench.User user = bench.createUsers(1).get(0);
        connections = new ProtocolClient[clients];
        pacers = Pacer.spread(clients, bench.options().rate());
        for (int i = 0; i < clients; i++) {
            connections[i] = bench.raw(user);
        }
    }

    @Override
    public long op(int client, long seq) throws Exception {
        pacers[client].await();
        long t0 = System.nanoTime();
        connections[client].command("NOOP").expect(200);
        return System.nanoTime() - t0;
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        return Map.of("probe", "NOOP round trip on a logged-in connection");
    }

    @Override
    public void cleanup(Bench bench) {
        if (connections != null) {
            for (ProtocolClient c : connections) {
                if (c != null) {
                    c.quit();
                }
            }
        }
        bench.cleanupUsers(List.of());
    }
}
