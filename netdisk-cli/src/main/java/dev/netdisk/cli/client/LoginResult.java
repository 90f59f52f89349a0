package dev.netdisk.cli.client;

import java.time.Instant;

/**
 * A successful login.
 *
 * @param user    the logged-in user (lower case)
 * @param token   the session token (64 hex digits) for {@link NetdiskClient#loginWithToken(String)},
 *                or {@code null} when the login itself used a token
 * @param expires when the token stops working, or {@code null} if not told
 */
public record LoginResult(String user, String token, Instant expires) {
}
