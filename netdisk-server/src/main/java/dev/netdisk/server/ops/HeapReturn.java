package dev.netdisk.server.ops;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lets a running server give back heap it no longer uses. A burst (10,000 TLS handshakes, a large
 * listing) grows the G1 heap, and a JVM keeps what it committed: after 10,000 idle TLS connections
 * opened, the server held 132 MB live in a 456 MB heap. With a periodic collection when idle
 * (JEP 346) and tighter free-ratio bounds, G1 shrinks the heap back (docs/PERFORMANCE.md, "TLS:
 * idle connections").
 *
 * <p>The flags are HotSpot's manageable ones, set at run time so that {@code java -jar} gets them as
 * the launcher does; any of them the operator set on the command line is left as given.
 */
public final class HeapReturn {

    private static final System.Logger LOG = System.getLogger(HeapReturn.class.getName());

    /**
     * Flag values: a concurrent collection after 30,000 ms without one, and a heap shrunk to at most
     * 30% free (grown to keep at least 10% free) after a collection.
     */
    static final Map<String, String> FLAGS = Map.of(
            "G1PeriodicGCInterval", "30000",
            "MinHeapFreeRatio", "10",
            "MaxHeapFreeRatio", "30");

    private HeapReturn() {
    }

    /**
     * Sets {@link #FLAGS} that still have their default values, when the JVM runs G1; does nothing on
     * another JVM or collector.
     *
     * @return the names of the flags set
     */
    public static List<String> apply() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).anyMatch(n -> n.startsWith("G1"));
        if (!g1) {
            return List.of();
        }
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotspot == null) {
            return List.of();
        }
        // The minimum first: the JVM refuses a maximum below the current minimum (40 by default).
        List<String> set = new ArrayList<>();
        for (String name : List.of("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval")) {
            try {
                VMOption option = hotspot.getVMOption(name);
                if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
                    hotspot.setVMOption(name, FLAGS.get(name));
                    set.add(name);
                }
            } catch (IllegalArgumentException | SecurityException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "cannot set -XX:" + name + ": " + e.getMessage());
            }
        }
        return List.copyOf(set);
    }
}
