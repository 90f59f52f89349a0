package dev.netdisk.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Counts what a robustness test tries and prints one line per test class when it ends, for the
 * figures in docs/SECURITY.md ("Robustness figures"):
 * {@code robustness: FuzzTest tried=400 survived=400 lost=0 (garbage connections)}.
 *
 * <p>A test method counts its attempts with {@link #tried}; they count as survived when the method
 * passes and as lost when it fails (its assertions are what "survived" means: the server kept
 * serving, nothing escaped, nothing visible was lost). A method that counts nothing is one attempt
 * (a scenario). Registered on a top-level class with {@code @ExtendWith}, it covers its
 * {@code @Nested} classes too and prints once, after the last.
 *
 * <p>Costs a counter increment per attempt: it does not slow the tests it counts.
 */
public final class RobustnessTally implements BeforeEachCallback, TestWatcher, AfterAllCallback {

    private static final class Counts {
        final AtomicLong pending = new AtomicLong();
        final AtomicLong tried = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        volatile String what = "scenarios";
    }

    private static final Map<String, Counts> BY_CLASS = new ConcurrentHashMap<>();

    /** Counts {@code n} attempts of {@code what} (a plural noun) by the running method of {@code test}. */
    public static void tried(Class<?> test, String what, long n) {
        Counts counts = counts(top(test));
        counts.what = what;
        counts.pending.addAndGet(n);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        counts(top(context.getRequiredTestClass())).pending.set(0);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        Counts counts = counts(top(context.getRequiredTestClass()));
        counts.tried.addAndGet(Math.max(1, counts.pending.getAndSet(0)));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Counts counts = counts(top(context.getRequiredTestClass()));
        long n = Math.max(1, counts.pending.getAndSet(0));
        counts.tried.addAndGet(n);
        counts.lost.addAndGet(n);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        counts(top(context.getRequiredTestClass())).pending.set(0);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> test = context.getRequiredTestClass();
        if (test.getEnclosingClass() != null && test.isMemberClass() && !java.lang.reflect.Modifier.isStatic(test.getModifiers())) {
            return; // a @Nested class: the enclosing one prints
        }
        Counts counts = BY_CLASS.remove(test.getName());
        if (counts == null) {
            return;
        }
        long tried = counts.tried.get();
        long lost = counts.lost.get();
        System.out.println("robustness: " + test.getSimpleName() + " tried=" + tried + " survived=" + (tried - lost)
                + " lost=" + lost + " (" + counts.what + ")");
    }

    private static Counts counts(Class<?> top) {
        return BY_CLASS.computeIfAbsent(top.getName(), k -> new Counts());
    }

    /** The top-level class of {@code test} (a @Nested class's enclosing one). */
    private static Class<?> top(Class<?> test) {
        Class<?> c = test;
        while (c.getEnclosingClass() != null) {
            c = c.getEnclosingClass();
        }
        return c;
    }
}
