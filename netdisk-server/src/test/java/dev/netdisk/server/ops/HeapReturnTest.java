package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapReturnTest {

    @Test
    void setsEachFlagTheCommandLineLeftAtItsDefault() {
        HeapReturn.apply();
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(b -> b.getName().startsWith("G1"));
        HeapReturn.FLAGS.forEach((name, value) -> {
            VMOption option = hotspot.getVMOption(name);
            if (g1 && option.getOrigin() != VMOption.Origin.VM_CREATION) {
                assertThat(option.getValue()).as(name).isEqualTo(value);
                assertThat(option.getOrigin()).isEqualTo(VMOption.Origin.MANAGEMENT);
            }
        });
    }

    @Test
    void applyingTwiceChangesNothingMore() {
        HeapReturn.apply();
        assertThat(HeapReturn.apply()).isEmpty();
    }
}
