package io.aviary.xep0050;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.clocktest.MutableClock;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** The XEP-0050 engine's flow and its error conditions (§6), on a command that echoes a required field. */
class AdHocCommandsTest {

    private static final String NS = AdHocCommands.NAMESPACE;
    private static final String NODE = "urn:example:echo";

    private final List<String> echoed = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private final AdHocCommand echo = new AdHocCommand() {
        @Override
        public String node() {
            return NODE;
        }

        @Override
        public String name() {
            return "Echo";
        }

        @Override
        public Optional<DataForm> form() {
            return Optional.of(DataForm.form("Echo", null, List.of(DataForm.Field.required("text", "text-single", "Text"))));
        }

        @Override
        public Completed execute(EntityBareJid requester, DataForm submitted) throws CommandException {
            String text = submitted.value("text").orElseThrow(() -> CommandException.badPayload("text is required"));
            echoed.add(text);
            return Completed.note(text);
        }
    };

    private final AdHocCommands commands = new AdHocCommands(List.of(echo),
            jid -> jid.toString().equals("admin@localhost"), new CommandSessions(clock, Duration.ofMinutes(10), 2));

    @Test
    void executeGivesTheFormAndCompleteRunsIt() {
        XmlElement first = result(commands.handle(request("admin@localhost/a", null, "execute", null)));
        assertThat(first.attributeOrNull("status")).isEqualTo("executing");
        assertThat(first.child("actions", NS)).get().satisfies(a -> assertThat(a.attributeOrNull("execute")).isEqualTo("complete"));
        assertThat(first.child("x", DataForm.NAMESPACE)).isPresent();
        String session = first.attributeOrNull("sessionid");

        XmlElement done = result(commands.handle(request("admin@localhost/a", session, "complete", "hello")));
        assertThat(done.attributeOrNull("status")).isEqualTo("completed");
        assertThat(done.childText("note", NS)).contains("hello");
        assertThat(echoed).containsExactly("hello");
        // A session is used once.
        assertThat(error(commands.handle(request("admin@localhost/a", session, "complete", "again"))))
                .containsExactly("bad-request", "bad-sessionid");
    }

    @Test
    void theErrorConditionsOfSection6() {
        assertThat(error(commands.handle(request("eve@localhost/a", null, "execute", null)))).containsExactly("forbidden");
        assertThat(error(commands.handle(request("admin@localhost/a", null, "dance", null))))
                .containsExactly("bad-request", "malformed-action");
        String session = result(commands.handle(request("admin@localhost/a", null, null, null))).attributeOrNull("sessionid");
        assertThat(error(commands.handle(request("admin@localhost/other", session, "complete", "x"))))
                .as("another resource's session").containsExactly("bad-request", "bad-sessionid");
        assertThat(error(commands.handle(request("admin@localhost/a", session, "next", "x"))))
                .containsExactly("bad-request", "bad-action");
        session = result(commands.handle(request("admin@localhost/a", null, null, null))).attributeOrNull("sessionid");
        assertThat(error(commands.handle(request("admin@localhost/a", session, "complete", null))))
                .containsExactly("bad-request", "bad-payload");
        assertThat(error(commands.handle(request("admin@localhost/a", null, "complete", "")))).as("empty required field")
                .containsExactly("bad-request", "bad-payload");
        assertThat(echoed).isEmpty();
    }

    @Test
    void cancelEndsTheSessionAndOldSessionsExpire() {
        String session = result(commands.handle(request("admin@localhost/a", null, null, null))).attributeOrNull("sessionid");
        assertThat(result(commands.handle(request("admin@localhost/a", session, "cancel", null))).attributeOrNull("status"))
                .isEqualTo("canceled");
        assertThat(error(commands.handle(request("admin@localhost/a", session, "complete", "late"))))
                .containsExactly("bad-request", "bad-sessionid");

        String stale = result(commands.handle(request("admin@localhost/a", null, null, null))).attributeOrNull("sessionid");
        clock.advance(Duration.ofMinutes(11));
        assertThat(error(commands.handle(request("admin@localhost/a", stale, "complete", "late"))))
                .containsExactly("bad-request", "bad-sessionid");
    }

    @Test
    void aSubmittedFormOnTheFirstRequestRunsAtOnce() {
        XmlElement done = result(commands.handle(request("admin@localhost/a", null, "execute", "quick")));
        assertThat(done.attributeOrNull("status")).isEqualTo("completed");
        assertThat(done.attributeOrNull("sessionid")).isNull();
        assertThat(echoed).containsExactly("quick");
    }

    @Test
    void administratorsSeeTheCommandsOthersSeeNone() {
        XmlElement items = result(new CommandItems(commands).handle(discoItems("admin@localhost/a")));
        assertThat(items.elements().map(i -> i.attributeOrNull("node")).toList()).containsExactly(NODE);
        assertThat(result(new CommandItems(commands).handle(discoItems("eve@localhost/a"))).elements()).isEmpty();
    }

    private static Stanza request(String from, String session, String action, String text) {
        XmlElement.Builder command = XmlElement.builder("command", NS).attribute("node", NODE)
                .attribute("sessionid", session).attribute("action", action);
        if (text != null) {
            command.child(XmlElement.builder("x", DataForm.NAMESPACE).attribute("type", "submit")
                    .child(XmlElement.builder("field", DataForm.NAMESPACE).attribute("var", "text")
                            .textChild("value", text).build()).build());
        }
        return Stanza.of(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set").attribute("id", "1")
                .attribute("from", from).attribute("to", "localhost").child(command.build()).build()).orElseThrow();
    }

    private static Stanza discoItems(String from) {
        return Stanza.of(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "get").attribute("id", "2")
                .attribute("from", from).attribute("to", "localhost")
                .child(XmlElement.builder("query", "http://jabber.org/protocol/disco#items").attribute("node", NS).build())
                .build()).orElseThrow();
    }

    private static XmlElement result(Stanza reply) {
        assertThat(reply.type()).as(reply.toXml()).isEqualTo("result");
        return reply.payload().orElseThrow();
    }

    /** The defined condition, then the commands-specific one if any. */
    private static List<String> error(Stanza reply) {
        assertThat(reply.type()).as(reply.toXml()).isEqualTo("error");
        XmlElement error = reply.element().child("error", Stanza.CLIENT_NAMESPACE).orElseThrow();
        List<String> conditions = new ArrayList<>();
        error.elements().filter(e -> e.namespace().equals("urn:ietf:params:xml:ns:xmpp-stanzas") && !e.name().equals("text"))
                .forEach(e -> conditions.add(e.name()));
        error.elements().filter(e -> e.namespace().equals(NS)).forEach(e -> conditions.add(e.name()));
        return conditions;
    }
}
