package dev.netdisk.cli.bench;

import dev.netdisk.protocol.ProtocolClient;
import java.util.List;
import java.util.Map;

/**
 * {@code login}: an operation is a whole short session on a new connection: connect, read the
 * greeting, {@code LOGIN user password}, {@code LOGOUT} (which revokes the token that login made),
 * {@code QUIT}. With {@code --token-login}: connect, {@code LOGIN TOKEN}, {@code QUIT}: no
 * password hash, no new token. Plain sockets, so the client library's reader thread per
 * connection is not part of the measurement.
 */
final class LoginWorkload implements Workload {

    private Bench bench;
    private Bench.User user;

    @Override
    public void setup(Bench b) {
        bench = b;
        user = b.createUsers(1).get(0);
    }

    @Override
    public long op(int client, long seq) throws Exception {
        long t0 = System.nanoTime();
        try (ProtocolClient c = bench.rawConnection()) {
            if (bench.options().tokenLogin()) {
                c.command("LOGIN TOKEN " + user.token()).expect(230);
            } else {
                c.command("LOGIN " + user.name() + " " + user.password()).expect(230);
                c.command("LOGOUT").expect(200);
            }
        }
        return System.nanoTime() - t0;
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        return Map.of("login", bench.options().tokenLogin() ? "LOGIN TOKEN" : "LOGIN with password, then LOGOUT");
    }

    @Override
    public void cleanup(Bench b) {
        b.cleanupUsers(List.of());
    }
}
