package dev.netdisk.server.cluster;

import java.util.function.Consumer;

/**
 * The bus of a server alone on its database (SQLite): nobody else to tell, so publishing is a
 * no-op and chat is delivered in the process exactly as before the bus existed. Thread-safe.
 */
public final class LocalEventBus implements EventBus {

    private final String origin;

    public LocalEventBus(String origin) {
        this.origin = origin;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public void publish(ClusterEvent event) {
        // one server: its own sessions were served in the process
    }

    @Override
    public void start(Consumer<ClusterEvent> handler) {
        // no other server sends anything
    }

    @Override
    public boolean onlineElsewhere(long userId) {
        return false;
    }

    @Override
    public void close() {
    }
}
