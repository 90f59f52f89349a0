package dev.netdisk.cli.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one {@code netdisk bench} run was asked to do, resolved from the command line.
 *
 * @param workload   the load to generate
 * @param clients    concurrent clients (for {@code idle}: connections to hold)
 * @param requests   operations in all, or {@code 0} when {@code duration} bounds the run
 * @param duration   how long to run ({@code idle}: how long to hold), or {@code null}
 * @param size       bytes per file, or per chat message
 * @param rate       chat messages per second per sender
 * @param senders    group-chat members that send (the others only receive)
 * @param entries    entries of the directory the {@code ls} workload lists
 * @param file       an existing local file to upload instead of a generated one, or {@code null}
 * @param serverPid  the server's pid, to read its memory from /proc, or {@code 0}
 * @param tokenLogin the {@code login} workload logs in with {@code LOGIN TOKEN} instead of a password
 * @param localDir   where generated and downloaded files go
 */
record BenchOptions(BenchCommand.Kind workload, int clients, long requests, Duration duration, long size, double rate,
                    int senders, int entries, Path file, long serverPid, boolean tokenLogin, Path localDir) {
}
