package dev.netdisk.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code netdisk --version}: the version from the jar manifest. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"netdisk " + (v == null ? "(development build)" : v) + ", protocol 1",
                "Java ${java.version} (${java.vendor}) on ${os.name} ${os.arch}"};
    }
}
