package dev.netdisk.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 19: every event of PROTOCOL.md section 7 in plain words, never in protocol terms. */
class EventTextTest {

    @Test
    void everyKnownEventReadsAsASentence() {
        assertThat(EventText.presence("bob", true)).isEqualTo("* bob is online");
        assertThat(EventText.presence("bob", false)).isEqualTo("* bob went offline");
        assertThat(EventText.other("FRIEND REQUEST bob"))
                .isEqualTo("* bob asks to be your friend ('friend accept bob' or 'friend decline bob')");
        assertThat(EventText.other("FRIEND ACCEPTED bob")).isEqualTo("* bob is now your friend");
        assertThat(EventText.other("FRIEND DECLINED bob")).isEqualTo("* bob declined your friend request");
        assertThat(EventText.other("FRIEND REMOVED bob")).isEqualTo("* bob ended your friendship");
        assertThat(EventText.other("GROUP INVITED #team alice"))
                .isEqualTo("* alice invited you to #team ('group join #team' or 'group decline #team')");
        assertThat(EventText.other("GROUP KICKED #team alice")).isEqualTo("* alice removed you from #team");
        assertThat(EventText.other("GROUP BANNED #team alice")).isEqualTo("* alice banned you from #team");
        assertThat(EventText.other("GROUP DECLINED #team carol")).isEqualTo("* carol declined your invitation to #team");
        assertThat(EventText.other("GROUP UNINVITED #team alice")).isEqualTo("* alice withdrew your invitation to #team");
        assertThat(EventText.other("GROUP ROLE #team admin alice")).isEqualTo("* alice made you an admin of #team");
        assertThat(EventText.other("GROUP ROLE #team member alice")).isEqualTo("* alice made you a plain member of #team");
        assertThat(EventText.other("GROUP ROLE #team owner alice"))
                .isEqualTo("* alice handed #team over to you: you own it now");
        assertThat(EventText.other("GROUP RENAMED #team #crew alice")).isEqualTo("* alice renamed #team to #crew");
        assertThat(EventText.other("GROUP DELETED #team alice")).isEqualTo("* alice deleted #team with its history");
    }

    @Test
    void anUnknownEventIsShownAsSentAndSaysWhereItComesFrom() {
        assertThat(EventText.other("QUOTA LOW 95%")).isEqualTo("* the server says: QUOTA LOW 95%");
        assertThat(EventText.other("GROUP ROLE #team wizard alice")).isEqualTo("* the server says: GROUP ROLE #team wizard alice");
    }
}
