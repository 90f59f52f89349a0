/**
 * The one mapping from a failure to its reply ({@link dev.netdisk.server.errors.ErrorReplies}):
 * between the protocol, which knows replies, and the stores, whose exceptions it maps, so that
 * neither depends on the other and both the dispatcher and the transfers can use it.
 */
package dev.netdisk.server.errors;
