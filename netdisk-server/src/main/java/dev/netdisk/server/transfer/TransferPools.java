package dev.netdisk.server.transfer;

import dev.netdisk.protocol.ProtocolLimits;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The two bounded pools that run the blocking work of transfers. Thread-safe.
 *
 * @param workers the pool for blocking work of commands (JDBC, disk); never the selector thread
 * @param bulk    the pool for the bytes of big transfers (hashing and writing uploads, sending
 *                downloads; see {@link #forBytes}): its threads have the lowest priority, so
 *                commands and replies run ahead of bulk bytes when the CPUs are busy (with
 *                -XX:ThreadPriorityPolicy=1)
 */
public record TransferPools(ExecutorService workers, ExecutorService bulk) {

    /**
     * Where the byte work of a transfer of {@code bytes} runs: {@link #bulk} for one of
     * {@link ProtocolLimits#BULK_MIN_BYTES} or more; the workers for a smaller one, which is part
     * of a request's round trip, not bulk: at nice 10 the sends of a {@code download -r} of small
     * files waited in the run queue behind the client's own threads.
     */
    public Executor forBytes(long bytes) {
        return bytes >= ProtocolLimits.BULK_MIN_BYTES ? bulk : workers;
    }
}
