package dev.netdisk.server.store;

/**
 * An account.
 *
 * @param id   the user id
 * @param name the user name, lower case
 */
public record User(long id, String name) {
}
