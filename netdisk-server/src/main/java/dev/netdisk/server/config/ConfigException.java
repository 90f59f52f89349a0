package dev.netdisk.server.config;

/** A configuration file that cannot be used: unreadable, an unknown key, or a bad value. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
