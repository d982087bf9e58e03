package io.aviary.router.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveRecord.Reach;
import io.aviary.router.DeliveryRules;
import io.aviary.router.Route;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0313 and XEP-0359 as the delivery rules apply them (the design of issue 12, "The flow" step 1), against a real
 * in-memory registry, with a fixed clock and counted ids.
 */
class MessageArchivingTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("localhost");
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final String SID = "urn:xmpp:sid:0";
    private static final String HINTS = "urn:xmpp:hints";

    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final AtomicInteger counter = new AtomicInteger();
    private boolean archiveServed = true;
    private final DeliveryRules rules = new DeliveryRules(DOMAIN, registry,
            account -> Set.of("juliet", "romeo").contains(account.getLocalpart().toString()),
            new MessageArchiving(DOMAIN, Clock.fixed(NOW, ZoneOffset.UTC), () -> "id-" + counter.incrementAndGet(),
                    () -> archiveServed));

    private EntityFullJid bind(String fullJid, int priority) {
        EntityFullJid jid = JidCreate.entityFullFromOrThrowUnchecked(fullJid);
        registry.bind(SessionEntry.bound(jid, "gw", fullJid).withPresence(priority, true));
        return jid;
    }

    private static XmlElement.Builder message(String from, String to, String type) {
        XmlElement.Builder message = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("id", "m1");
        if (from != null) {
            message.attribute("from", from);
        }
        if (to != null) {
            message.attribute("to", to);
        }
        if (type != null) {
            message.attribute("type", type);
        }
        return message;
    }

    private static XmlElement.Builder chat(String from, String to) {
        return message(from, to, "chat").textChild("body", "Wherefore art thou?");
    }

    private List<Route> route(XmlElement.Builder message) {
        return rules.route(Stanza.of(message.build()).orElseThrow());
    }

    private static List<ArchiveRecord> records(List<Route> routes) {
        return routes.stream().filter(Route.Archive.class::isInstance).map(r -> ((Route.Archive) r).record()).toList();
    }

    private static List<XmlElement> delivered(List<Route> routes) {
        return routes.stream().filter(Route.Deliver.class::isInstance).map(r -> ((Route.Deliver) r).stanza()).toList();
    }

    private static List<String> stanzaIds(XmlElement message) {
        return message.elements().filter(e -> e.is("stanza-id", SID))
                .map(e -> e.attributeOrNull("by") + " " + e.attributeOrNull("id")).toList();
    }

    @Test
    void aChatBetweenTwoLocalUsersGoesIntoBothArchivesAndTheDeliveredCopyCarriesTheRecipientsId() {
        bind("juliet@localhost/balcony", 0);

        List<Route> routes = route(chat("romeo@localhost/orchard", "juliet@localhost"));

        assertThat(records(routes)).extracting(ArchiveRecord::owner, ArchiveRecord::direction, ArchiveRecord::id,
                ArchiveRecord::with, ArchiveRecord::stamp, ArchiveRecord::reach).containsExactly(
                org.assertj.core.groups.Tuple.tuple("romeo@localhost", Direction.OUTGOING, "id-1", "juliet@localhost",
                        NOW, Reach.NONE),
                org.assertj.core.groups.Tuple.tuple("juliet@localhost", Direction.INCOMING, "id-2",
                        "romeo@localhost/orchard", NOW, Reach.ONLINE));
        XmlElement delivery = delivered(routes).get(0);
        assertThat(stanzaIds(delivery)).containsExactly("juliet@localhost id-2");
        assertThat(records(routes).get(1).message()).isEqualTo(delivery);
        assertThat(stanzaIds(records(routes).get(0).message())).isEmpty();
    }

    @Test
    void forgedStanzaIdsAreRemovedAndTheOriginIdAndOthersIdsKept() {
        bind("juliet@localhost/balcony", 0);
        XmlElement.Builder forged = chat("romeo@localhost/orchard", "juliet@localhost")
                .child(XmlElement.builder("stanza-id", SID).attribute("by", "juliet@localhost").attribute("id", "f1").build())
                .child(XmlElement.builder("stanza-id", SID).attribute("by", "Romeo@LocalHost").attribute("id", "f2").build())
                .child(XmlElement.builder("stanza-id", SID).attribute("by", "localhost").attribute("id", "f3").build())
                .child(XmlElement.builder("stanza-id", SID).attribute("by", "room@muc.example").attribute("id", "m").build())
                .child(XmlElement.builder("origin-id", SID).attribute("id", "o1").build());

        List<Route> routes = route(forged);

        XmlElement delivery = delivered(routes).get(0);
        assertThat(stanzaIds(delivery)).containsExactly("room@muc.example m", "juliet@localhost id-2");
        assertThat(delivery.child("origin-id", SID).map(e -> e.attributeOrNull("id"))).contains("o1");
        assertThat(stanzaIds(records(routes).get(0).message())).containsExactly("room@muc.example m");
    }

    @Test
    void aForgedIdIsRemovedFromAMessageThatIsNotArchivedToo() {
        bind("juliet@localhost/balcony", 0);
        XmlElement.Builder composing = message("romeo@localhost/orchard", "juliet@localhost", "chat")
                .child(XmlElement.empty("composing", "http://jabber.org/protocol/chatstates"))
                .child(XmlElement.builder("stanza-id", SID).attribute("by", "juliet@localhost").attribute("id", "f").build());

        List<Route> routes = route(composing);

        assertThat(records(routes)).isEmpty();
        assertThat(stanzaIds(delivered(routes).get(0))).isEmpty();
    }

    @Test
    void messagesThatAreNotArchived() {
        bind("juliet@localhost/balcony", 0);
        String romeo = "romeo@localhost/orchard";
        String juliet = "juliet@localhost/balcony";
        List<XmlElement.Builder> notArchived = List.of(
                message(romeo, juliet, "groupchat").textChild("body", "hi"),
                message(romeo, juliet, "headline").textChild("body", "news"),
                message(romeo, juliet, "error").textChild("body", "bounced"),
                message(romeo, juliet, "chat").child(XmlElement.empty("active", "http://jabber.org/protocol/chatstates")),
                message(romeo, juliet, "chat").child(XmlElement.empty("received", "urn:xmpp:receipts")),
                chat(romeo, juliet).child(XmlElement.empty("no-store", HINTS)),
                chat(romeo, juliet).child(XmlElement.empty("no-permanent-store", HINTS)),
                // offline redelivery: the server's own delay stamp
                chat(romeo, juliet).child(XmlElement.builder("delay", "urn:xmpp:delay").attribute("from", "localhost")
                        .attribute("stamp", "2026-12-01T00:00:00Z").build()),
                message("juliet@localhost", juliet, null).child(XmlElement.builder("result", "urn:xmpp:mam:2")
                        .child(XmlElement.empty("forwarded", "urn:xmpp:forward:0")).build()),
                message("juliet@localhost", juliet, "chat").child(XmlElement.builder("received", "urn:xmpp:carbons:2")
                        .child(XmlElement.empty("forwarded", "urn:xmpp:forward:0")).build()));

        for (XmlElement.Builder message : notArchived) {
            List<Route> routes = route(message);
            assertThat(records(routes)).as(message.build().toXml()).isEmpty();
            assertThat(delivered(routes)).as(message.build().toXml()).allSatisfy(d -> assertThat(stanzaIds(d)).isEmpty());
        }
    }

    @Test
    void encryptedPayloadsRetractionsAndTheStoreHintAreArchivedWithoutABody() {
        bind("juliet@localhost/balcony", 0);
        List<XmlElement> payloads = List.of(XmlElement.empty("encrypted", "eu.siacs.conversations.axolotl"),
                XmlElement.empty("encrypted", "urn:xmpp:omemo:2"), XmlElement.empty("openpgp", "urn:xmpp:openpgp:0"),
                XmlElement.empty("x", "jabber:x:encrypted"), XmlElement.empty("retract", "urn:xmpp:message-retract:1"),
                XmlElement.empty("store", HINTS));

        for (XmlElement payload : payloads) {
            List<Route> routes = route(message("romeo@localhost/orchard", "juliet@localhost", null).child(payload));
            assertThat(records(routes)).as(payload.toXml()).extracting(ArchiveRecord::direction)
                    .containsExactly(Direction.OUTGOING, Direction.INCOMING);
        }
    }

    @Test
    void aBouncedMessageIsOnlyInTheSendersArchive() {
        List<Route> unknown = route(chat("romeo@localhost/orchard", "nobody@localhost"));
        List<Route> remote = route(chat("romeo@localhost/orchard", "juliet@elsewhere.example"));

        for (List<Route> routes : List.of(unknown, remote)) {
            assertThat(records(routes)).extracting(ArchiveRecord::owner, ArchiveRecord::direction)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("romeo@localhost", Direction.OUTGOING));
            Route.Reply bounce = routes.stream().filter(Route.Reply.class::isInstance).map(Route.Reply.class::cast)
                    .findFirst().orElseThrow();
            assertThat(stanzaIds(bounce.stanza())).isEmpty();
        }
    }

    @Test
    void aMessageStoredOfflineIsStampedAndReachesTheArchiveAsOffline() {
        List<Route> routes = route(chat("romeo@localhost/orchard", "juliet@localhost"));

        XmlElement offline = routes.stream().filter(Route.ToService.class::isInstance)
                .map(r -> ((Route.ToService) r).stanza()).findFirst().orElseThrow();
        assertThat(stanzaIds(offline)).containsExactly("juliet@localhost id-2");
        assertThat(records(routes).get(1).reach()).isEqualTo(Reach.OFFLINE);
    }

    @Test
    void reachIsHibernatedOnlyWhenEveryDeliveryWentToAHibernatedSession() {
        EntityFullJid phone = bind("juliet@localhost/phone", 0);
        registry.markResumable(phone, phone.toString(), "sm-1");
        registry.hibernate(phone, phone.toString());
        assertThat(records(route(chat("romeo@localhost/orchard", "juliet@localhost"))).get(1).reach())
                .isEqualTo(Reach.HIBERNATED);

        bind("juliet@localhost/desk", 0);
        assertThat(records(route(chat("romeo@localhost/orchard", "juliet@localhost"))).get(1).reach())
                .isEqualTo(Reach.ONLINE);
    }

    @Test
    void aGroupchatMessageThatOnlyHibernatedSessionsGotIsHandedOverForPushAloneOnceWritten() {
        EntityFullJid phone = bind("juliet@localhost/phone", 0);
        registry.markResumable(phone, phone.toString(), "sm-1");
        registry.hibernate(phone, phone.toString());
        String nurse = "capulets@conference.localhost/nurse";

        List<ArchiveRecord> records = records(route(message(nurse, phone.toString(), "groupchat")
                .textChild("body", "Anon, anon!")));
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.kept()).as("user archives keep no groupchat").isFalse();
            assertThat(record.owner()).isEqualTo("juliet@localhost");
            assertThat(record.with()).isEqualTo(nurse);
            assertThat(record.reach()).isEqualTo(Reach.HIBERNATED);
            assertThat(record.direction()).isEqualTo(Direction.INCOMING);
        });
        assertThat(records(route(message(nurse, phone.toString(), "groupchat")
                .child(XmlElement.empty("encrypted", "eu.siacs.conversations.axolotl"))))).hasSize(1);
        for (XmlElement.Builder nothingWritten : List.of(
                message(nurse, phone.toString(), "groupchat").textChild("subject", "Verona")
                        .textChild("body", "The subject is Verona"),
                message(nurse, phone.toString(), "groupchat").child(XmlElement.empty("body", Stanza.CLIENT_NAMESPACE)),
                message(nurse, phone.toString(), "groupchat")
                        .child(XmlElement.empty("active", "http://jabber.org/protocol/chatstates")))) {
            assertThat(records(route(nothingWritten))).as(nothingWritten.build().toXml()).isEmpty();
        }

        EntityFullJid desk = bind("juliet@localhost/desk", 0);
        assertThat(records(route(message(nurse, desk.toString(), "groupchat").textChild("body", "Anon!"))))
                .as("a connected session got it").isEmpty();
    }

    @Test
    void aChatToAnUnavailableResourceFallsBackToTheBareJidStamped() {
        bind("juliet@localhost/balcony", 0);

        List<Route> routes = route(chat("romeo@localhost/orchard", "juliet@localhost/gone"));

        assertThat(stanzaIds(delivered(routes).get(0))).containsExactly("juliet@localhost id-2");
        assertThat(records(routes).get(1).with()).isEqualTo("romeo@localhost/orchard");
        assertThat(records(routes).get(0).with()).isEqualTo("juliet@localhost/gone");
    }

    @Test
    void carbonCopiesCarryTheStampedId() {
        bind("juliet@localhost/balcony", 5);
        EntityFullJid chamber = bind("juliet@localhost/chamber", 1);
        registry.updateCarbons(chamber, chamber.toString(), true);
        EntityFullJid garden = bind("romeo@localhost/garden", 0);
        registry.updateCarbons(garden, garden.toString(), true);

        List<Route> routes = route(chat("romeo@localhost/orchard", "juliet@localhost"));

        List<XmlElement> copies = delivered(routes).stream().filter(d -> d.elements()
                .anyMatch(e -> e.namespace().equals("urn:xmpp:carbons:2"))).toList();
        assertThat(copies).hasSize(2).allSatisfy(copy -> {
            XmlElement forwarded = copy.firstChild().orElseThrow().firstChild().orElseThrow();
            assertThat(stanzaIds(forwarded.firstChild().orElseThrow())).containsExactly("juliet@localhost id-2");
        });
    }

    @Test
    void aPrivateMessageIsArchivedAndStampedButNotCopied() {
        bind("juliet@localhost/balcony", 5);
        EntityFullJid chamber = bind("juliet@localhost/chamber", 1);
        registry.updateCarbons(chamber, chamber.toString(), true);

        List<Route> routes = route(chat("romeo@localhost/orchard", "juliet@localhost")
                .child(XmlElement.empty("private", "urn:xmpp:carbons:2")));

        assertThat(delivered(routes)).singleElement().satisfies(d -> {
            assertThat(stanzaIds(d)).containsExactly("juliet@localhost id-2");
            assertThat(d.child("private", "urn:xmpp:carbons:2")).isEmpty();
        });
        assertThat(records(routes)).hasSize(2);
    }

    @Test
    void aMessageToOnesOwnAccountIsArchivedOnceAsIncoming() {
        bind("juliet@localhost/balcony", 0);

        for (String to : new String[] {null, "juliet@localhost", "juliet@localhost/balcony"}) {
            List<Route> routes = route(chat("juliet@localhost/chamber", to));
            assertThat(records(routes)).as(String.valueOf(to)).singleElement().satisfies(r -> {
                assertThat(r.owner()).isEqualTo("juliet@localhost");
                assertThat(r.direction()).isEqualTo(Direction.INCOMING);
                assertThat(r.with()).isEqualTo("juliet@localhost/chamber");
            });
        }
    }

    @Test
    void nothingIsArchivedOrStampedWhileNoCapabilityServesTheArchive() {
        bind("juliet@localhost/balcony", 0);
        archiveServed = false;

        List<Route> routes = route(chat("romeo@localhost/orchard", "juliet@localhost"));

        assertThat(records(routes)).isEmpty();
        assertThat(stanzaIds(delivered(routes).get(0))).isEmpty();
    }

    @Test
    void stanzaIdsAreSixteenUrlSafeCharacters() {
        StanzaIds ids = new StanzaIds();
        assertThat(ids.get()).matches("[A-Za-z0-9_-]{16}").isNotEqualTo(ids.get());
    }
}
