package io.aviary.xep0163;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.capability.InMemoryKeyValueStore;
import io.aviary.clocktest.MutableClock;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What an account's PEP service learns from presence: caps asked once, believed only when they verify, resources
 * forgotten when they leave, and the nodes a resource newly asks for.
 */
class ContactPresenceTest {

    private static final String OWNER = "juliet@capulet.lit";
    private static final String ROMEO = "romeo@montague.lit/orchard";
    private static final String TUNE = "http://jabber.org/protocol/tune";

    private final InMemoryKeyValueStore capsStore = new InMemoryKeyValueStore();
    private final List<XmlElement> sent = new ArrayList<>();
    private final List<Map.Entry<String, XmlElement>> requeued = new ArrayList<>();
    private final ContactPresence presence = new ContactPresence(new InMemoryKeyValueStore(),
            new CapsCache(capsStore), sent::add, (owner, p) -> requeued.add(Map.entry(owner, p)), Clock.systemUTC());

    private static DiscoInfo client(String... features) {
        return new DiscoInfo(List.of(new DiscoInfo.Identity("client", "pc", "Test")), Set.of(features));
    }

    private static XmlElement available(String ver, int priority) {
        XmlElement.Builder p = XmlElement.builder("presence", Stanza.CLIENT_NAMESPACE).attribute("from", ROMEO)
                .attribute("to", OWNER).textChild("priority", Integer.toString(priority));
        if (ver != null) {
            p.child(XmlElement.builder("c", ClientCaps.NAMESPACE).attribute("hash", "sha-1")
                    .attribute("node", "urn:test").attribute("ver", ver).build());
        }
        return p.build();
    }

    private static Stanza answer(XmlElement request, DiscoInfo info) {
        return Stanza.of(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "result")
                .attribute("id", request.attributeOrNull("id")).attribute("from", ROMEO).attribute("to", OWNER)
                .child(info.toQuery(request.child("query", DiscoInfo.INFO).orElseThrow().attributeOrNull("node")))
                .build()).orElseThrow();
    }

    @Test
    void unknownCapsAreAskedOnceAndTheWaitingPresenceHandedBackWhenTheyVerify() {
        DiscoInfo info = client(TUNE + "+notify", "urn:xmpp:avatar:metadata+notify");
        String ver = info.capsVerification();
        assertThat(presence.presence(OWNER, ROMEO, available(ver, 0))).isEmpty();
        assertThat(presence.presence(OWNER, "romeo@montague.lit/hall", available(ver, 0))).isEmpty();
        assertThat(sent).hasSize(1); // one query for the ver, the second presence waits for it
        XmlElement query = sent.get(0);
        assertThat(query.attributeOrNull("from")).isEqualTo(OWNER);
        assertThat(ContactPresence.isCapsQuery(query.attributeOrNull("id"))).isTrue();
        assertThat(presence.interested(OWNER, "romeo@montague.lit", TUNE)).isEmpty();

        presence.reply(answer(query, info));
        assertThat(requeued).hasSize(2).allSatisfy(r -> assertThat(r.getKey()).isEqualTo(OWNER));
        // The handed-back presence settles the resource: the last items of both nodes are due.
        ContactPresence.NewInterest interest = presence.presence(OWNER, ROMEO, requeued.get(0).getValue()).orElseThrow();
        assertThat(interest.nodes()).containsExactlyInAnyOrder(TUNE, "urn:xmpp:avatar:metadata");
        assertThat(interest.contact()).isEqualTo("romeo@montague.lit");
        assertThat(presence.interested(OWNER, "romeo@montague.lit", TUNE)).containsExactly(ROMEO);
        // Known now: the same presence again brings nothing new, and nothing is asked.
        assertThat(presence.presence(OWNER, ROMEO, available(ver, 0))).isEmpty();
        assertThat(sent).hasSize(1);
    }

    @Test
    void capsThatDoNotVerifyAreNeitherBelievedNorCached() {
        String claimed = client(TUNE + "+notify").capsVerification();
        presence.presence(OWNER, ROMEO, available(claimed, 0));
        presence.reply(answer(sent.get(0), client(TUNE + "+notify", "urn:extra")));
        assertThat(requeued).isEmpty();
        assertThat(capsStore.get("caps", "sha-1 " + claimed)).isEmpty();
        assertThat(presence.interested(OWNER, "romeo@montague.lit", TUNE)).isEmpty();
        // An error is no better, and a reply to an id never sent is ignored.
        presence.presence(OWNER, ROMEO, available(claimed, 0));
        presence.reply(Stanza.of(sent.get(1).withAttribute("type", "error")).orElseThrow());
        assertThat(capsStore.get("caps", "sha-1 " + claimed)).isEmpty();
    }

    @Test
    void negativePriorityAndUnavailableResourcesGetNothing() {
        DiscoInfo info = client(TUNE + "+notify");
        new CapsCache(capsStore).verified(new ClientCaps("sha-1", "urn:test", info.capsVerification()),
                info.features());
        assertThat(presence.presence(OWNER, ROMEO, available(info.capsVerification(), -1))).isEmpty();
        assertThat(presence.interested(OWNER, "romeo@montague.lit", TUNE)).isEmpty();
        // Priority raised: the resource now gets notifications, and the last item once.
        assertThat(presence.presence(OWNER, ROMEO, available(info.capsVerification(), 5))).isPresent();
        assertThat(presence.interested(OWNER, "romeo@montague.lit", TUNE)).containsExactly(ROMEO);
        presence.presence(OWNER, ROMEO, XmlElement.builder("presence", Stanza.CLIENT_NAMESPACE)
                .attribute("type", "unavailable").attribute("from", ROMEO).attribute("to", OWNER).build());
        assertThat(presence.interested(OWNER, "romeo@montague.lit", TUNE)).isEmpty();
        // Without caps a resource is kept but asks for nothing, and nothing is asked of it.
        assertThat(presence.presence(OWNER, ROMEO, available(null, 0))).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void anUnansweredQueryIsAskedAgainOnceOverdueAndItsLateAnswerIgnored() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ContactPresence tracker = new ContactPresence(new InMemoryKeyValueStore(), new CapsCache(capsStore), sent::add,
                (owner, p) -> requeued.add(Map.entry(owner, p)), clock);
        DiscoInfo info = client(TUNE + "+notify");
        tracker.presence(OWNER, ROMEO, available(info.capsVerification(), 0));
        clock.advance(Duration.ofSeconds(10));
        tracker.presence(OWNER, ROMEO, available(info.capsVerification(), 0));
        assertThat(sent).hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        tracker.presence(OWNER, ROMEO, available(info.capsVerification(), 0));
        assertThat(sent).hasSize(2);
        tracker.reply(answer(sent.get(0), info)); // the first, forgotten request
        assertThat(requeued).isEmpty();
        tracker.reply(answer(sent.get(1), info));
        assertThat(requeued).hasSize(1);
    }
}
