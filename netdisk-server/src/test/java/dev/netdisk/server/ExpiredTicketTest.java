package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.server.ProtocolClient.Reply;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A ticket past its time to live is refused like an unknown one. */
class ExpiredTicketTest extends ServerTestSupport {

    @Override
    ServerConfig config() {
        // Tickets expire the moment they are issued.
        return super.config().withTicketTtl(Duration.ZERO);
    }

    @Test
    void anExpiredTicketIs425() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.of("x");
        Reply ticket = alice.command("UPLOAD f 1 " + content.md5());
        assertThat(ticket.code()).isEqualTo(350);
        ProtocolClient data = connect();
        assertThat(data.command("DATA " + ticket.value("ticket"))).hasToString("425 unknown or expired ticket");
        assertThat(data.isClosedByServer()).isTrue();
        assertThat(alice.command("STAT f").code()).isEqualTo(550);
    }
}
