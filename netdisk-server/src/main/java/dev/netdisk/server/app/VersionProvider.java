package dev.netdisk.server.app;

import dev.netdisk.server.ops.Version;
import picocli.CommandLine;

/** {@code netdisk-server --version}: the version from the jar's manifest. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"netdisk-server " + Version.version()};
    }
}
