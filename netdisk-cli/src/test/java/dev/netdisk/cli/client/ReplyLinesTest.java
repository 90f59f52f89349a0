package dev.netdisk.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The client's readers of reply and event lines: friends, groups, members, chat messages. */
class ReplyLinesTest {

    @Test
    void friendGroupAndMemberLinesParse() {
        assertThat(Friend.parse("friend bob online")).isEqualTo(new Friend("bob", Friend.Relation.FRIEND, true));
        assertThat(Friend.parse("friend carol offline").online()).isFalse();
        assertThat(Friend.parse("request-from dave").relation()).isEqualTo(Friend.Relation.REQUEST_FROM);
        assertThat(Friend.parse("request-to erin").relation()).isEqualTo(Friend.Relation.REQUEST_TO);
        assertThat(Group.parse("#team owner=alice members=3")).isEqualTo(new Group("team", "alice", 3));
        assertThat(Group.Member.parse("bob member online")).isEqualTo(new Group.Member("bob", "member", true));
        assertThat(Group.Member.parse("carol admin offline").owner()).isFalse();
        assertThat(Group.parse("#team owner=alice members=3 role=admin access=public")).isEqualTo(new Group("team", "alice", 3));
        assertThatThrownBy(() -> Friend.parse("enemy bob")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Group.parse("team 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chatEventsParseIntoMessages() {
        ChatMessage m = ChatMessage.parse("17 2026-11-21T13:50:00.123Z alice #team see you at 10, \"the usual place\"");
        assertThat(m.id()).isEqualTo(17);
        assertThat(m.from()).isEqualTo("alice");
        assertThat(m.to()).isEqualTo("#team");
        assertThat(m.isGroup()).isTrue();
        assertThat(m.time()).hasToString("2026-11-21T13:50:00.123Z");
        assertThat(m.text()).isEqualTo("see you at 10, \"the usual place\"");
    }
}
