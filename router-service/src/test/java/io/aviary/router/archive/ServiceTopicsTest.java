package io.aviary.router.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.HostedService;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** The topic of a stanza handed to the server, from the capabilities' declarations. */
class ServiceTopicsTest {

    private static final String MAM = "urn:xmpp:mam:2";
    private static final Declaration ARCHIVED = Declaration.builder("mam").iq(MAM).topic(Topics.ARCHIVE).build();
    private static final Declaration ROSTER = Declaration.builder("roster").iq("jabber:iq:roster").build();

    private final InMemoryCapabilityCatalogue catalogue = new InMemoryCapabilityCatalogue();
    private final ServiceTopics topics = new ServiceTopics(catalogue);

    private static Stanza iq(String type, String id, String namespace) {
        XmlElement.Builder iq = XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", type)
                .attribute("id", id).attribute("from", "juliet@localhost/balcony");
        if (namespace != null) {
            iq.child(XmlElement.empty("query", namespace));
        }
        return Stanza.of(iq.build()).orElseThrow();
    }

    @Test
    void anIqGoesToTheTopicOfTheCapabilityDeclaringItsNamespace() {
        catalogue.publish("roster", List.of(ROSTER));
        assertThat(topics.topicOf(iq("set", "q1", MAM))).isEqualTo(Topics.SERVICE);
        assertThat(topics.serves(Topics.ARCHIVE)).isFalse();

        catalogue.publish("archive", List.of(ARCHIVED));
        assertThat(topics.topicOf(iq("set", "q1", MAM))).isEqualTo(Topics.ARCHIVE);
        assertThat(topics.topicOf(iq("get", "q2", "jabber:iq:roster"))).isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(iq("get", "q3", "urn:example:unknown"))).isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(iq("get", "q4", null))).isEqualTo(Topics.SERVICE);
        assertThat(topics.serves(Topics.ARCHIVE)).isTrue();

        catalogue.publish("archive", List.of()); // the archive tier is gone
        assertThat(topics.topicOf(iq("set", "q1", MAM))).isEqualTo(Topics.SERVICE);
    }

    @Test
    void theTopicsOfCapabilitiesThatWatchPresenceToAccounts() {
        catalogue.publish("roster", List.of(ROSTER));
        assertThat(topics.presenceWatchers()).isEmpty();
        catalogue.publish("pubsub", List.of(Declaration.builder("pep").topic(Topics.PUBSUB).accountPresence().build()));
        assertThat(topics.presenceWatchers()).containsExactly(Topics.PUBSUB);
        catalogue.publish("pubsub", List.of()); // the pubsub tier is gone
        assertThat(topics.presenceWatchers()).isEmpty();
    }

    @Test
    void aReplyGoesToTheTopicItsIdNamesWhenACapabilityIsServedThere() {
        String pushId = Topics.replyId(Topics.ARCHIVE, "n1");
        assertThat(topics.topicOf(iq("result", pushId, null))).isEqualTo(Topics.SERVICE);

        catalogue.publish("archive", List.of(ARCHIVED));
        assertThat(topics.topicOf(iq("result", pushId, null))).isEqualTo(Topics.ARCHIVE);
        assertThat(topics.topicOf(iq("error", pushId, null))).isEqualTo(Topics.ARCHIVE);
        assertThat(topics.topicOf(iq("result", Topics.replyId("xmpp.nowhere", "n1"), null))).isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(iq("result", "plain", null))).isEqualTo(Topics.SERVICE);
        // A request with such an id is routed by its namespace, as any other.
        assertThat(topics.topicOf(iq("get", pushId, "jabber:iq:roster"))).isEqualTo(Topics.SERVICE);
    }

    @Test
    void messagesAndPresenceGoToTheServiceTopic() {
        catalogue.publish("archive", List.of(ARCHIVED));
        Stanza message = Stanza.of(XmlElement.builder("message", Stanza.CLIENT_NAMESPACE)
                .child(XmlElement.empty("query", MAM)).build()).orElseThrow();
        Stanza presence = Stanza.of(XmlElement.builder("presence", Stanza.CLIENT_NAMESPACE).attribute("type", "subscribe")
                .build()).orElseThrow();
        assertThat(topics.topicOf(message)).isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(presence)).isEqualTo(Topics.SERVICE);
    }

    @Test
    void theNamespaceMapIsRebuiltOnlyWhenTheDeclarationsChange() {
        AtomicInteger reads = new AtomicInteger();
        List<Declaration> declarations = new ArrayList<>(List.of(ARCHIVED));
        CapabilityCatalogue counting = new CapabilityCatalogue() {
            @Override
            public void publish(String service, List<Declaration> published) {
            }

            @Override
            public List<Declaration> declarations() {
                reads.incrementAndGet();
                return new CountingList(declarations);
            }
        };
        ServiceTopics counted = new ServiceTopics(counting);
        for (int i = 0; i < 5; i++) {
            assertThat(counted.topicOf(iq("set", "q" + i, MAM))).isEqualTo(Topics.ARCHIVE);
        }
        assertThat(reads).hasValue(5);
        // Only the first read was iterated to build the index; the others were merely compared.
        assertThat(CountingList.iterations).hasValue(1);
        declarations.set(0, ROSTER);
        assertThat(counted.topicOf(iq("set", "q9", MAM))).isEqualTo(Topics.SERVICE);
        assertThat(CountingList.iterations).hasValue(2);
    }

    /** A list that counts the loops over it (equals of two lists of the same class compares elements by index). */
    private static final class CountingList extends java.util.AbstractList<Declaration> {

        static final AtomicInteger iterations = new AtomicInteger();
        private final List<Declaration> items;

        CountingList(List<Declaration> items) {
            this.items = List.copyOf(items);
        }

        @Override
        public Declaration get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public java.util.Iterator<Declaration> iterator() {
            iterations.incrementAndGet();
            return items.iterator();
        }
    }

    @Test
    void everyStanzaToAHostedServiceGoesToTheTopicOfTheCapabilityDeclaringIt() {
        DomainBareJid upload = JidCreate.domainBareFromOrThrowUnchecked("upload.localhost");
        catalogue.publish("upload", List.of(Declaration.builder("upload").topic("xmpp.upload")
                .hostedService(HostedService.of(upload, "HTTP File Upload", "store", "file", Set.of())).build()));

        assertThat(topics.hosts(upload)).isTrue();
        assertThat(topics.hosts(JidCreate.domainBareFromOrThrowUnchecked("localhost"))).isFalse();
        Stanza info = Stanza.of(iq("get", "d1", "http://jabber.org/protocol/disco#info").element()
                .withAttribute("to", "upload.localhost")).orElseThrow();
        Stanza result = Stanza.of(iq("result", "d2", null).element().withAttribute("to", "upload.localhost/x"))
                .orElseThrow();
        assertThat(topics.topicOf(info)).isEqualTo("xmpp.upload");
        assertThat(topics.topicOf(result)).isEqualTo("xmpp.upload");
        assertThat(topics.topicOf(iq("get", "d3", "http://jabber.org/protocol/disco#info"))).isEqualTo(Topics.SERVICE);
    }

    @Test
    void discoItemsOfADeclaredNodeAtTheDomainGoToTheCapabilityDeclaringIt() {
        String commands = "http://jabber.org/protocol/commands";
        catalogue.publish("admin", List.of(Declaration.builder("service-admin").iq(commands).itemNode(commands)
                .topic(Topics.ADMIN).build()));
        assertThat(topics.topicOf(items("localhost", commands))).isEqualTo(Topics.ADMIN);
        assertThat(topics.topicOf(items("localhost", null))).isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(items("localhost", "other"))).isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(items("romeo@localhost", commands))).as("an account's node").isEqualTo(Topics.SERVICE);
        assertThat(topics.topicOf(iq("set", "c1", commands))).isEqualTo(Topics.ADMIN);
    }

    private static Stanza items(String to, String node) {
        return Stanza.of(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "get").attribute("id", "i1")
                .attribute("from", "juliet@localhost/balcony").attribute("to", to)
                .child(XmlElement.builder("query", "http://jabber.org/protocol/disco#items").attribute("node", node).build())
                .build()).orElseThrow();
    }
}
