package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each limit of {@link Limits}, hit on purpose against a real server configured with small values:
 * the precise reply (docs/PROTOCOL.md section 10), and everyone else still served.
 */
@ExtendWith(RobustnessTally.class)
class LimitsTest {

    @Nested
    class ChatRate extends ServerTestSupport {
        @Override
        ServerConfig config() {
            return super.config().withLimits(Limits.defaults().withChatRate(0, 1));
        }

        @Test
        void chatPerSecondZeroLiftsTheRateLimit() throws IOException {
            ProtocolClient alice = loggedIn("alice");
            int flood = Limits.defaults().chatBurst() * 3;
            for (int i = 0; i < flood; i++) {
                alice.send("CHAT alice flood " + i);
            }
            for (int i = 0; i < flood; i++) {
                assertThat(alice.reply().code()).as("message %d", i).isEqualTo(250);
            }
        }
    }

    @Nested
    class Timeouts extends ServerTestSupport {
        @Override
        ServerConfig config() {
            return super.config().withLimits(Limits.defaults().withTimeouts(
                    Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2)));
        }

        @Test
        void aLineBegunAndNeverFinishedIsCutOff() throws IOException {
            ProtocolClient slow = loggedIn("alice");
            slow.sendRaw("NOO".getBytes(StandardCharsets.UTF_8));
            Reply reply = slow.reply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).startsWith("line not finished within 1 seconds");
            assertThat(slow.isClosedByServer()).isTrue();
        }

        @Test
        void aConnectionThatNeverLogsInIsClosed() throws IOException {
            ProtocolClient silent = connect();
            assertThat(silent.reply().text()).isEqualTo("no login within 2 seconds");
            assertThat(silent.isClosedByServer()).isTrue();
        }

        @Test
        void anIdleSessionIsClosed() throws IOException {
            ProtocolClient idle = loggedIn("alice");
            Reply reply = idle.reply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).isEqualTo("idle for 2 seconds");
            assertThat(idle.isClosedByServer()).isTrue();
        }

        @Test
        void aStalledUploadIsDroppedAndKeptForResume() throws Exception {
            ProtocolClient alice = loggedIn("alice");
            Payload content = Payload.random(3, DataKey.PART_BYTES + (1 << 20));
            Reply ticket = uploadTicket(alice, "stalled.bin", content);
            ProtocolClient data = openData(ticket.param("ticket"));
            data.sendBytes(content, 0, DataKey.PART_BYTES + 1000);
            // The server says why and closes the silent data connection; the bytes it got are kept.
            assertThat(data.reply()).hasToString("421 transfer stalled: no bytes for 2 seconds;"
                    + " the bytes received are kept for resume");
            assertThat(data.isClosedByServer()).isTrue();
            ProtocolClient again = loggedIn("alice");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                Reply r = again.command("UPLOAD stalled.bin " + content.size() + " " + content.md5());
                // Whole encrypted parts are kept (crypt/DataKey): the 1000 bytes after the first are sent again.
                return r.code() == 350 && r.longParam("offset") == DataKey.PART_BYTES;
            });
        }

        @Test
        void aChecksumTrailerThatNeverComesIs421AndTheBytesAreKept() throws Exception {
            ProtocolClient alice = loggedIn("alice");
            // Over ProtocolLimits.SMALL_FILE_BYTES: only such files are kept for resume.
            Payload content = Payload.random(4, 100_000);
            Reply ticket = alice.command("UPLOAD late.bin " + content.size() + " -");
            ProtocolClient data = openData(ticket.param("ticket"));
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply()).hasToString("421 transfer stalled: no checksum trailer for 2 seconds;"
                    + " the bytes received are kept for resume");
            assertThat(data.isClosedByServer()).isTrue();
            ProtocolClient again = loggedIn("alice");
            assertThat(again.command("STAT late.bin").code()).isEqualTo(550);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                Reply r = again.command("UPLOAD late.bin " + content.size() + " -");
                return r.code() == 350 && r.longParam("offset") == content.size();
            });
        }

        @Test
        void aSmallFileWhoseTrailerNeverComesIsNotKept() throws Exception {
            ProtocolClient alice = loggedIn("alice");
            Payload content = Payload.random(5, 5000);
            Reply ticket = alice.command("UPLOAD late.bin " + content.size() + " -");
            ProtocolClient data = openData(ticket.param("ticket"));
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply()).hasToString("421 transfer stalled: no checksum trailer for 2 seconds;"
                    + " nothing was kept (a small file is sent whole again)");
            assertThat(data.isClosedByServer()).isTrue();
            ProtocolClient again = loggedIn("alice");
            assertThat(again.command("STAT late.bin").code()).isEqualTo(550);
            assertThat(again.command("UPLOAD late.bin " + content.size() + " -").longParam("offset")).isZero();
        }
    }

    @Nested
    class Counts extends ServerTestSupport {
        @Override
        ServerConfig config() {
            return super.config().withLimits(Limits.defaults().withCounts(0, 6, 2, 2, 1));
        }

        @Test
        void connectionsFromOneAddressAreCapped() throws IOException {
            for (int i = 0; i < 6; i++) {
                connect();
            }
            ProtocolClient refused = ProtocolClient.connectWithoutGreeting(server.port());
            Reply reply = refused.reply();
            refused.close();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).isEqualTo("too many connections from your address (max 6)");
        }

        @Test
        void sessionsPerUserAreCapped() throws IOException {
            loggedIn("alice");
            loggedIn("alice");
            ProtocolClient third = connect();
            Reply reply = third.command("LOGIN alice " + PASSWORD);
            assertThat(reply.code()).isEqualTo(530);
            assertThat(reply.text()).isEqualTo("too many sessions for alice (max 2)");
        }

        @Test
        void unusedTicketsPerUserAreCapped() throws IOException {
            ProtocolClient alice = loggedIn("alice");
            assertThat(upload(alice, "f", Payload.of("x")).code()).isEqualTo(226);
            assertThat(alice.command("DOWNLOAD f").code()).isEqualTo(350);
            assertThat(alice.command("DOWNLOAD f").code()).isEqualTo(350);
            Reply third = alice.command("DOWNLOAD f");
            assertThat(third.code()).isEqualTo(450);
            assertThat(third.text()).startsWith("too many unused tickets (max 2)");
        }

        @Test
        void transfersPerUserAreCappedAndFreedWhenOneEnds() throws IOException {
            ProtocolClient alice = loggedIn("alice");
            Payload content = Payload.random(5, 1 << 20);
            Reply first = uploadTicket(alice, "a.bin", content);
            Reply second = uploadTicket(alice, "b.bin", content);
            ProtocolClient running = openData(first.param("ticket"));
            ProtocolClient refused = connect();
            Reply reply = refused.command("DATA " + second.param("ticket"));
            assertThat(reply.code()).isEqualTo(450);
            assertThat(reply.text()).isEqualTo("too many transfers in progress (max 1)");

            running.sendBytes(content, 0, content.size());
            assertThat(running.reply().code()).isEqualTo(226);
            assertThat(upload(alice, "c.bin", content).code()).isEqualTo(226);
        }
    }

    @Nested
    class UnreadOutput extends ServerTestSupport {
        @Override
        ServerConfig config() {
            return super.config().withLimits(Limits.defaults().withMaxQueuedOutputBytes(64 << 10)
                    .withRegistration(true, 0));
        }

        @Test
        void aReplyLongerThanTheLimitIsDeliveredWhole() throws Exception {
            try (ProtocolClient carol = loggedIn("carol")) {
                String prefix = "a-directory-with-a-rather-long-name-number-";
                for (int i = 0; i < 2_000; i++) {
                    carol.send("MAKEDIR " + prefix + i);
                }
                for (int i = 0; i < 2_000; i++) {
                    assertThat(carol.reply().code()).isEqualTo(257);
                }
                // 2,000 entry lines of about 90 bytes: nearly three times the 64 KiB limit on events.
                Reply listing = carol.command("LS");
                assertThat(listing.code()).as(listing.text()).isEqualTo(212);
                assertThat(listing.lines()).filteredOn(line -> line.contains(prefix)).hasSize(2_000);
                assertThat(carol.command("NOOP").code()).isEqualTo(200);
            }
        }

        @Test
        void aClientThatNeverReadsItsEventsIsDroppedPastTheLimit() throws Exception {
            register("bob");
            java.net.Socket deaf = new java.net.Socket();
            deaf.setReceiveBufferSize(4096);
            deaf.setSoTimeout(20_000);
            deaf.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            ProtocolClient bob = track(ProtocolClient.wrap(deaf));
            bob.reply();
            assertThat(bob.command("LOGIN bob " + PASSWORD).code()).isEqualTo(230);
            assertThat(bob.command("LISTEN").code()).isEqualTo(250);

            assertThat(bob.command("GROUP CREATE flood").code()).isEqualTo(250);
            bob.command("GROUP SET flood public");  // invite-only by default
            String message = "x".repeat(4_000);
            // 80 senders of 20 messages: 6.4 MB, more than the kernel's socket buffers can hide.
            for (int sender = 0; sender < 80; sender++) {
                try (ProtocolClient s = loggedIn("sender" + sender)) {
                    s.command("GROUP JOIN flood");
                    for (int i = 0; i < Limits.defaults().chatBurst(); i++) {
                        s.send("CHAT #flood " + message);
                    }
                    for (int i = 0; i < Limits.defaults().chatBurst(); i++) {
                        assertThat(s.reply().code()).isEqualTo(250);
                    }
                }
            }
            // bob's queue passed 64 KiB: the server dropped him. What he reads ends in end-of-stream
            // (or a reset, as he left bytes unread); a read that times out would mean he is still on.
            java.io.InputStream in = deaf.getInputStream();
            byte[] buf = new byte[64 << 10];
            try {
                while (in.read(buf) >= 0) {
                    // drain what was delivered before the drop
                }
            } catch (java.net.SocketException reset) {
                assertThat(reset.getMessage()).contains("reset");
            }
            assertThat(loggedIn("bystander").command("NOOP").code()).isEqualTo(200);
        }
    }

    @Nested
    class LoginThrottling extends ServerTestSupport {
        @Override
        ServerConfig config() {
            return super.config().withLimits(Limits.defaults()
                    .withLoginThrottle(1, Duration.ofMillis(200), 3, Duration.ofMinutes(5)));
        }

        @Test
        void repeatedFailuresLockTheNameOutWithTheSameReplyForRealAndUnknownNames() throws IOException {
            register("alice");
            ProtocolClient c = connect();
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("LOGIN alice wrong-password").text()).isEqualTo("login incorrect");
            }
            Reply locked = c.command("LOGIN alice " + PASSWORD);
            assertThat(locked.code()).isEqualTo(530);
            assertThat(locked.text()).isEqualTo("reason=locked too many failed logins; try again later");

            // The address is locked too, for any name, real or not: nothing tells them apart.
            Reply unknown = c.command("LOGIN nobody whatever-pw");
            assertThat(unknown).hasToString(locked.toString());
            // Commands after a delayed reply still come back in order.
            c.send("NOOP");
            c.send("NOOP");
            assertThat(c.reply().code()).isEqualTo(200);
            assertThat(c.reply().code()).isEqualTo(200);
        }
    }

    @Nested
    class Registration extends ServerTestSupport {
        @Test
        void registrationCanBeClosed() throws Exception {
            server.close();
            server = NetdiskServer.start(config().withLimits(Limits.defaults().withRegistration(false, 0)));
            Reply reply = connect().command("REGISTER alice " + PASSWORD);
            assertThat(reply.code()).isEqualTo(550);
            assertThat(reply.text()).isEqualTo("registration is closed on this server");
        }

        @Test
        void registrationsPerAddressAreRateLimited() throws Exception {
            server.close();
            server = NetdiskServer.start(config().withLimits(Limits.defaults().withRegistration(true, 2)));
            ProtocolClient c = connect();
            assertThat(c.command("REGISTER alice " + PASSWORD).code()).isEqualTo(200);
            assertThat(c.command("REGISTER bob " + PASSWORD).code()).isEqualTo(200);
            Reply third = c.command("REGISTER carol " + PASSWORD);
            assertThat(third.code()).isEqualTo(450);
            assertThat(third.text()).isEqualTo("too many registrations from your address; try again later");
        }
    }
}
