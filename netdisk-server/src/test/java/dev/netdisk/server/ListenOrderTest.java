package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a recipient sees chat messages in strictly growing id order, each once, even when live
 * messages flood in while {@code LISTEN} replays a backlog. Before the fix a message stored just
 * after the connection subscribed was pushed at once, ahead of the older backlog still being read.
 */
class ListenOrderTest extends ServerTestSupport {

    private static final int BACKLOG = 3_000;
    private static final int LIVE_AFTER_LISTEN = 500;
    private static final int WINDOW = 32;

    @Override
    ServerConfig config() {
        return super.config().withLimits(Limits.defaults().withChatRate(0, 1));
    }

    @Test
    void liveMessagesFloodingInDuringTheBacklogFollowItInIdOrder() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
        assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);

        List<Long> sent = Collections.synchronizedList(new ArrayList<>());
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add("CHAT bob kept " + i);
        }
        for (Reply r : alice.pipeline(backlog, WINDOW)) {
            assertThat(r.code()).isEqualTo(250);
            sent.add(Long.parseLong(r.param("id")));
        }

        // A second connection of alice floods bob while his LISTEN reads the backlog.
        ProtocolClient flooder = loggedIn("alice");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch flooding = new CountDownLatch(1);
        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            try {
                int outstanding = 0;
                for (; outstanding < WINDOW; outstanding++) {
                    flooder.send("CHAT bob live " + outstanding);
                }
                while (outstanding > 0) {
                    Reply r = flooder.reply();
                    outstanding--;
                    assertThat(r.code()).as("%s", r).isEqualTo(250);
                    sent.add(Long.parseLong(r.param("id")));
                    answered.incrementAndGet();
                    flooding.countDown();
                    if (!stop.get()) {
                        flooder.send("CHAT bob live more");
                        outstanding++;
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(flooding.await(30, TimeUnit.SECONDS)).isTrue();

        bob.send("LISTEN");
        List<Long> received = new ArrayList<>();
        String line;
        while (!(line = bob.readLine()).startsWith("250 ")) {
            received.add(chatId(line));  // before the fix: a live message ahead of the reply
        }
        assertThat(line).contains("listening for events");
        int atReply = answered.get();
        // Keep flooding until well after the reply, then stop and collect everything.
        while (answered.get() < atReply + LIVE_AFTER_LISTEN && !flood.isDone()) {
            received.add(chatId(bob.readLine()));
        }
        stop.set(true);
        flood.get(60, TimeUnit.SECONDS);
        long newest = Collections.max(sent);
        while (received.isEmpty() || received.get(received.size() - 1) < newest) {
            received.add(chatId(bob.readLine()));
        }

        for (int i = 1; i < received.size(); i++) {
            assertThat(received.get(i)).as("message %d of %d after %d", i, received.size(), received.get(i - 1))
                    .isGreaterThan(received.get(i - 1));
        }
        List<Long> expected = new ArrayList<>(sent);
        Collections.sort(expected);
        assertThat(received).isEqualTo(expected);
        assertThat(received.size()).isGreaterThan(BACKLOG + LIVE_AFTER_LISTEN);
    }

    private static long chatId(String line) {
        assertThat(line).startsWith("* CHAT ");
        return Long.parseLong(line.split(" ", 4)[2]);
    }
}
