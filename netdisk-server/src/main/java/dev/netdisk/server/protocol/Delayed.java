package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Outcome;
import java.time.Duration;

/**
 * An outcome to be delivered only after {@code delay}: how a failed login is slowed down. The
 * connection stays busy meanwhile (its next command waits), but no thread sleeps: the selector
 * thread keeps a timer.
 */
public record Delayed(Outcome outcome, Duration delay) implements Outcome {
}
