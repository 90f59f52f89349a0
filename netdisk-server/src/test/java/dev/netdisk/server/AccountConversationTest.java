package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** REGISTER, LOGIN, LOGOUT, QUIT, NOOP and HELP over a raw socket (docs/PROTOCOL.md section 4). */
class AccountConversationTest extends ServerTestSupport {

    @Test
    void theGreetingNamesTheProtocolVersion() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.greeting()).startsWith("netdisk ").endsWith(" ready (protocol 1)");
    }

    @Test
    void aClientMaySendItsFirstCommandBeforeReadingTheGreeting() throws IOException {
        ProtocolClient c = track(ProtocolClient.connectWithoutGreeting(server.port()));
        c.send("NOOP");
        assertThat(c.reply().code()).isEqualTo(220);
        assertThat(c.reply()).isEqualTo(new Reply(200, java.util.List.of("OK")));
    }

    // ---- REGISTER ----

    @Test
    void registerCreatesAnAccountWithoutLoggingIn() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.command("REGISTER alice " + PASSWORD)).hasToString("200 user alice registered");
        assertThat(c.command("PWD").code()).isEqualTo(530);
        assertThat(c.command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void userNamesAreCaseInsensitiveAndStoredInLowerCase() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.command("REGISTER Alice " + PASSWORD).text()).isEqualTo("user alice registered");
        assertThat(c.command("REGISTER ALICE " + PASSWORD)).hasToString("521 user alice already exists");
        Reply login = c.command("LOGIN aLiCe " + PASSWORD);
        assertThat(login.code()).isEqualTo(230);
        assertThat(login.text()).endsWith("user alice logged in");
    }

    @Test
    void registerATakenNameIs521() throws IOException {
        register("alice");
        assertThat(connect().command("REGISTER alice another-password")).hasToString("521 user alice already exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "TOKEN", "_alice", "-x", ".hidden", "al ice", "al/ice", "\u00e4lice",
            "abcdefghijklmnopqrstuvwxyz0123456", "\"\""})
    void registerABadNameIs553(String name) throws IOException {
        String arg = name.contains(" ") ? "\"" + name + "\"" : name.equals("-x") ? "-- -x" : name;
        Reply reply = connect().command("REGISTER " + arg + " " + PASSWORD);
        assertThat(reply.code()).as(reply.toString()).isEqualTo(553);
        assertThat(reply.text()).startsWith("invalid user name: ");
    }

    @Test
    void aNameOf32CharactersIsAllowed() throws IOException {
        String name = "a".repeat(32);
        assertThat(connect().command("REGISTER " + name + " " + PASSWORD).code()).isEqualTo(200);
    }

    @Test
    void registerChecksThePasswordLength() throws IOException {
        ProtocolClient c = connect();
        Reply tooShort = c.command("REGISTER alice 1234567");
        assertThat(tooShort.code()).isEqualTo(501);
        assertThat(tooShort.text()).contains("8 to 1024 bytes").doesNotContain("1234567");
        assertThat(c.command("REGISTER alice " + "p".repeat(1025)).code()).isEqualTo(501);
        assertThat(c.command("REGISTER alice " + "p".repeat(1024)).code()).isEqualTo(200);
        assertThat(c.command("REGISTER bob 12345678").code()).isEqualTo(200);
        // 8 bytes in 4 two-byte characters
        assertThat(c.command("REGISTER carol \u00e9\u00e9\u00e9\u00e9").code()).isEqualTo(200);
    }

    @Test
    void registerWithAWrongNumberOfArgumentsIs501() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.command("REGISTER").code()).isEqualTo(501);
        assertThat(c.command("REGISTER alice").text()).startsWith("missing argument");
        assertThat(c.command("REGISTER alice " + PASSWORD + " extra").text()).startsWith("too many arguments");
    }

    @Test
    void registerWhileLoggedInIs503() throws IOException {
        ProtocolClient c = loggedIn("alice");
        assertThat(c.command("REGISTER bob " + PASSWORD).code()).isEqualTo(503);
    }

    // ---- LOGIN ----

    @Test
    void loginReturnsASessionToken() throws IOException {
        register("alice");
        Reply reply = connect().command("LOGIN alice " + PASSWORD);
        assertThat(reply.code()).isEqualTo(230);
        assertThat(reply.param("token")).matches("[0-9a-f]{64}");
        assertThat(reply.param("expires")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(reply.text()).endsWith(" user alice logged in");
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameReply() throws IOException {
        register("alice");
        ProtocolClient c = connect();
        Reply wrong = c.command("LOGIN alice wrong-password");
        Reply unknown = c.command("LOGIN nobody " + PASSWORD);
        assertThat(wrong).hasToString("530 login incorrect");
        assertThat(unknown).isEqualTo(wrong);
        assertThat(c.command("PWD").code()).isEqualTo(530);
    }

    @Test
    void loginWithAWrongNumberOfArgumentsIs501() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.command("LOGIN").code()).isEqualTo(501);
        assertThat(c.command("LOGIN alice").code()).isEqualTo(501);
        assertThat(c.command("LOGIN alice a b").code()).isEqualTo(501);
    }

    @Test
    void loginWhenLoggedInIs503() throws IOException {
        ProtocolClient c = loggedIn("alice");
        assertThat(c.command("LOGIN alice " + PASSWORD)).hasToString("503 already logged in as alice; LOGOUT first");
    }

    @Test
    void loginTokenResumesTheSessionOnAnotherConnection() throws IOException {
        register("alice");
        String token = connect().command("LOGIN alice " + PASSWORD).param("token");
        ProtocolClient other = connect();
        Reply reply = other.command("LOGIN TOKEN " + token);
        assertThat(reply).hasToString("230 user=alice user alice logged in");
        assertThat(other.command("PWD").code()).isEqualTo(257);
        assertThat(connect().command("login token " + token.toUpperCase()).code()).isEqualTo(230);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0000000000000000000000000000000000000000000000000000000000000000",
            "zzzz000000000000000000000000000000000000000000000000000000000000"})
    void aBadTokenIs530(String token) throws IOException {
        register("alice");
        assertThat(connect().command("LOGIN TOKEN " + token)).hasToString("530 reason=revoked token unknown, expired or revoked");
    }

    @Test
    void aDisabledAccountIsSaidSoOnlyToWhoKnowsItsPasswordAndItsTokensAreRevoked() throws IOException {
        register("alice");
        String token = connect().command("LOGIN alice " + PASSWORD).param("token");
        String dataDir = "--data-dir=" + dataDir();
        assertThat(dev.netdisk.server.app.ServerMain.commandLine().execute("user", "disable", "alice", dataDir, databaseOption())).isZero();
        assertThat(connect().command("LOGIN alice " + PASSWORD))
                .hasToString("530 reason=disabled account disabled by the administrator");
        assertThat(connect().command("LOGIN alice wrong-password")).hasToString("530 login incorrect");
        // Disabling ended the saved sessions: the token is dead for good.
        assertThat(connect().command("LOGIN TOKEN " + token))
                .hasToString("530 reason=revoked token unknown, expired or revoked");
        assertThat(dev.netdisk.server.app.ServerMain.commandLine().execute("user", "enable", "alice", dataDir, databaseOption())).isZero();
        assertThat(connect().command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
    }

    // ---- LOGOUT ----

    @Test
    void logoutRevokesTheTokenAndEndsTheLogin() throws IOException {
        register("alice");
        ProtocolClient c = connect();
        String token = c.command("LOGIN alice " + PASSWORD).param("token");
        assertThat(c.command("LOGOUT")).hasToString("200 logged out");
        assertThat(c.command("PWD").code()).isEqualTo(530);
        assertThat(c.command("LOGIN TOKEN " + token)).hasToString("530 reason=revoked token unknown, expired or revoked");
        assertThat(connect().command("LOGIN TOKEN " + token).code()).isEqualTo(530);
        // the connection can log in again
        assertThat(c.command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void logoutRevokesOnlyThisConnectionsToken() throws IOException {
        register("alice");
        ProtocolClient first = connect();
        String firstToken = first.command("LOGIN alice " + PASSWORD).param("token");
        ProtocolClient second = connect();
        String secondToken = second.command("LOGIN alice " + PASSWORD).param("token");
        assertThat(second.command("LOGOUT").code()).isEqualTo(200);
        assertThat(connect().command("LOGIN TOKEN " + secondToken).code()).isEqualTo(530);
        assertThat(connect().command("LOGIN TOKEN " + firstToken).code()).isEqualTo(230);
        assertThat(first.command("PWD").code()).isEqualTo(257);
    }

    @Test
    void logoutOfATokenLoginRevokesThatToken() throws IOException {
        register("alice");
        String token = connect().command("LOGIN alice " + PASSWORD).param("token");
        ProtocolClient c = connect();
        assertThat(c.command("LOGIN TOKEN " + token).code()).isEqualTo(230);
        assertThat(c.command("LOGOUT").code()).isEqualTo(200);
        assertThat(connect().command("LOGIN TOKEN " + token).code()).isEqualTo(530);
    }

    @Test
    void logoutWhenNotLoggedInIs530() throws IOException {
        assertThat(connect().command("LOGOUT").code()).isEqualTo(530);
    }

    @Test
    void logoutWithAnArgumentIs501() throws IOException {
        assertThat(loggedIn("alice").command("LOGOUT now").code()).isEqualTo(501);
    }

    // ---- QUIT, NOOP ----

    @Test
    void quitSaysByeAndClosesInAnyState() throws IOException {
        ProtocolClient anonymous = connect();
        assertThat(anonymous.command("QUIT")).hasToString("221 bye");
        assertThat(anonymous.isClosedByServer()).isTrue();

        ProtocolClient alice = loggedIn("alice");
        assertThat(alice.command("quit")).hasToString("221 bye");
        assertThat(alice.isClosedByServer()).isTrue();
    }

    @Test
    void commandsPipelinedAfterQuitAreNotAnswered() throws IOException {
        ProtocolClient c = connect();
        c.send("QUIT\nNOOP\nNOOP");
        assertThat(c.reply().code()).isEqualTo(221);
        assertThat(c.isClosedByServer()).isTrue();
    }

    @Test
    void noopWorksInAnyState() throws IOException {
        assertThat(connect().command("NOOP")).hasToString("200 OK");
        assertThat(loggedIn("alice").command("NoOp")).hasToString("200 OK");
    }

    // ---- HELP ----

    @Test
    void helpListsEveryVerb() throws IOException {
        Reply help = connect().command("HELP");
        assertThat(help.code()).isEqualTo(214);
        assertThat(help.lines()).hasSizeGreaterThan(2);
        String all = String.join("\n", help.lines());
        for (String verb : new String[] {"REGISTER", "LOGIN", "LOGOUT", "QUIT", "NOOP", "HELP", "PWD", "CD", "LS",
                "MAKEDIR", "MKDIR", "STAT", "UPLOAD", "DOWNLOAD", "DATA", "CHAT"}) {
            assertThat(all).contains("  " + verb);
        }
    }

    @Test
    void helpForOneVerbIsOneLine() throws IOException {
        assertThat(connect().command("HELP CD")).hasToString("214 CD [path]: change the working directory");
        assertThat(connect().command("help upload").text()).startsWith("UPLOAD path size [md5|-] [mtime=MS] [--overwrite]: ");
    }

    @Test
    void helpForAnUnknownVerbIs501() throws IOException {
        assertThat(connect().command("HELP FOO")).hasToString("501 unknown command: FOO");
    }

    @Test
    void helpWithTwoArgumentsIs501() throws IOException {
        assertThat(connect().command("HELP CD LS").code()).isEqualTo(501);
    }

    // ---- the login gate and unknown verbs ----

    @ParameterizedTest
    @ValueSource(strings = {"PWD", "CD /", "LS", "MAKEDIR a", "MKDIR a", "STAT /", "UPLOAD a 0 d41d8cd98f00b204e9800998ecf8427e",
            "DOWNLOAD a", "CHAT bob hi", "LOGOUT"})
    void commandsThatNeedALoginAre530Before(String line) throws IOException {
        assertThat(connect().command(line)).hasToString("530 not logged in; LOGIN first");
    }

    @Test
    void anUnknownVerbIs500AndTheConnectionGoesOn() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.command("FROB a b")).hasToString("500 unknown command: FROB (HELP lists the commands)");
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void anUnknownVerbIs500AlsoWhenLoggedIn() throws IOException {
        ProtocolClient c = loggedIn("alice");
        assertThat(c.command("FROB x").code()).isEqualTo(500);
    }

    @Test
    void aVeryLongUnknownVerbIsAbbreviatedInTheReply() throws IOException {
        Reply reply = connect().command("X".repeat(5000));
        assertThat(reply.code()).isEqualTo(500);
        assertThat(reply.text().length()).isLessThan(100);
    }

    @Test
    void blankLinesAreIgnored() throws IOException {
        ProtocolClient c = connect();
        c.send("");
        c.send("   \t ");
        c.send("\r");
        assertThat(c.command("NOOP")).hasToString("200 OK");
    }
}
