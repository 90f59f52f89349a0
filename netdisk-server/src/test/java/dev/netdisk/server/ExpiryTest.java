package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tickets and session tokens past their time to live are refused like unknown ones. */
class ExpiryTest extends ServerTestSupport {

    @Override
    ServerConfig config() {
        // Tickets and tokens expire the moment they are issued.
        return super.config().withTicketTtl(Duration.ZERO).withTokenTtl(Duration.ZERO);
    }

    @Test
    void anExpiredTicketIs425() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.of("x");
        Reply ticket = alice.command("UPLOAD f 1 " + content.md5());
        assertThat(ticket.code()).isEqualTo(350);
        ProtocolClient data = connect();
        assertThat(data.command("DATA " + ticket.param("ticket"))).hasToString("425 unknown or expired ticket");
        assertThat(data.isClosedByServer()).isTrue();
        assertThat(alice.command("STAT f").code()).isEqualTo(550);
    }

    @Test
    void anExpiredTokenIs530() throws IOException {
        register("alice");
        ProtocolClient c = connect();
        String token = c.command("LOGIN alice " + PASSWORD).param("token");
        assertThat(connect().command("LOGIN TOKEN " + token)).hasToString("530 reason=revoked token unknown, expired or revoked");
    }
}
