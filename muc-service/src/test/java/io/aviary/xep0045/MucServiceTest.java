package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.capability.HostedService;
import io.aviary.service.OperatorRequests;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The room engine over a shared in-memory store, where the end-to-end tests cannot look: two service instances take
 * turns on one room (as when the room's partition moves), several sessions share a nick, and the edge cases of the
 * presence rules.
 */
class MucServiceTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("example.org");
    private static final String ROOM = "coven@conference.example.org";

    private final List<XmlElement> sent = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MucMetrics metrics = new MucMetrics(meters);
    private RoomStore store;
    private MucService first;
    private MucService second;

    @BeforeEach
    void services() {
        store = new InMemoryRoomStore();
        HostedService service = HostedService.of(JidCreate.domainBareFromOrThrowUnchecked("conference.example.org"),
                "Chatrooms", "conference", "text", Set.of(MucXml.MUC));
        first = new MucService(service, DOMAIN, store, MucProperties.defaults(), new OccupantIds(""),
                metrics, Clock.systemUTC(), sent::add);
        second = new MucService(service, DOMAIN, store, MucProperties.defaults(), new OccupantIds(""),
                metrics, Clock.systemUTC(), sent::add);
    }

    private List<XmlElement> handle(MucService service, String xml) {
        return handle(service, XmlDocumentParser.parse(xml.replaceFirst(" ", " xmlns='jabber:client' ")
                .getBytes(StandardCharsets.UTF_8), ParserLimits.DEFAULTS));
    }

    private List<XmlElement> handle(MucService service, XmlElement element) {
        sent.clear();
        service.handle(Stanza.of(element).orElseThrow(), new BusMessage(element, Map.of()));
        return List.copyOf(sent);
    }

    private static String join(String from, String nick) {
        return "<presence from='" + from + "' to='" + ROOM + "/" + nick + "'><x xmlns='" + MucXml.MUC + "'/></presence>";
    }

    private static List<String> to(List<XmlElement> stanzas) {
        return stanzas.stream().map(s -> s.attributeOrNull("to")).toList();
    }

    private static String errorOf(XmlElement stanza) {
        return stanza.child("error", "jabber:client").flatMap(XmlElement::firstChild).map(XmlElement::name).orElse(null);
    }

    private void instantRoomOfHag() {
        handle(first, join("hag66@example.org/pda", "hag"));
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c1'><query xmlns='"
                + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
    }

    @Test
    void twoInstancesTakingTurnsServeOneRoom() {
        instantRoomOfHag();
        List<XmlElement> joined = handle(second, join("crone1@example.org/desktop", "crone"));
        assertThat(to(joined)).containsExactly("crone1@example.org/desktop", "hag66@example.org/pda",
                "crone1@example.org/desktop", "crone1@example.org/desktop");
        List<XmlElement> chat = handle(first, "<message from='crone1@example.org/desktop' to='" + ROOM
                + "' type='groupchat' id='m1'><body>Thrice the brinded cat</body></message>");
        assertThat(to(chat)).containsExactlyInAnyOrder("hag66@example.org/pda", "crone1@example.org/desktop");
        assertThat(chat.get(0).attributeOrNull("from")).isEqualTo(ROOM + "/crone");
        assertThat(chat.get(0).attributeOrNull("id")).isEqualTo("m1");
        assertThat(meters.counter("aviary.muc.messages").count()).isEqualTo(1);
        assertThat(meters.counter("aviary.muc.fanout").count()).isEqualTo(2);
        assertThat(meters.counter("aviary.muc.entries", "result", "created").count()).isEqualTo(1);
        List<XmlElement> late = handle(second, join("wiccarocks@example.org/laptop", "second-witch"));
        assertThat(late).anySatisfy(m -> assertThat(m.childText("body", "jabber:client"))
                .hasValue("Thrice the brinded cat"));
    }

    @Test
    void sessionsOfOneAccountShareANickAndLeaveOneByOne() {
        instantRoomOfHag();
        handle(first, join("crone1@example.org/desktop", "crone"));
        List<XmlElement> secondSession = handle(second, join("crone1@example.org/phone", "crone"));
        assertThat(secondSession).noneMatch(s -> "error".equals(s.attributeOrNull("type")));
        assertThat(store.occupants(JidCreate.entityBareFromOrThrowUnchecked(ROOM))).hasSize(3);
        assertThat(errorOf(handle(first, join("wiccarocks@example.org/laptop", "crone"), 0))).isEqualTo("conflict");
        assertThat(meters.counter("aviary.muc.entries", "result", "conflict").count()).isEqualTo(1);

        List<XmlElement> left = handle(first, "<presence from='crone1@example.org/phone' to='" + ROOM
                + "/crone' type='unavailable'/>");
        XmlElement toHag = left.stream().filter(s -> s.attributeOrNull("to").startsWith("hag66")).findFirst().orElseThrow();
        assertThat(toHag.attributeOrNull("type")).as("the nick is still there").isNull();
        left = handle(second, "<presence from='crone1@example.org/desktop' to='" + ROOM + "/crone' type='unavailable'/>");
        toHag = left.stream().filter(s -> s.attributeOrNull("to").startsWith("hag66")).findFirst().orElseThrow();
        assertThat(toHag.attributeOrNull("type")).isEqualTo("unavailable");
    }

    private XmlElement handle(MucService service, String xml, int index) {
        return handle(service, xml).get(index);
    }

    @Test
    void aLockedRoomIsNotFoundAndAnUnknownLeaverIsIgnored() {
        handle(first, join("hag66@example.org/pda", "hag"));
        List<XmlElement> refused = handle(second, join("crone1@example.org/desktop", "crone"));
        assertThat(refused).hasSize(1);
        assertThat(errorOf(refused.get(0))).isEqualTo("item-not-found");
        assertThat(refused.get(0).attributeOrNull("type")).isEqualTo("error");
        assertThat(handle(first, "<presence from='crone1@example.org/desktop' to='" + ROOM
                + "/crone' type='unavailable'/>")).isEmpty();
        assertThat(errorOf(handle(first, "<presence from='crone1@example.org/desktop' to='" + ROOM + "'/>").get(0)))
                .as("§7.2.1: no nick").isEqualTo("jid-malformed");
    }

    @Test
    void theLastOwnerCannotStepDown() {
        instantRoomOfHag();
        List<XmlElement> answer = handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='a1'>"
                + "<query xmlns='" + MucXml.ADMIN + "'><item affiliation='member' jid='hag66@example.org'/></query></iq>");
        assertThat(errorOf(answer.get(0))).isEqualTo("conflict");
    }

    @Test
    void iqsToAnOccupantAreRelayedAndTheirAnswersComeBack() {
        instantRoomOfHag();
        handle(first, join("crone1@example.org/desktop", "crone"));
        XmlElement relayed = handle(first, "<iq from='crone1@example.org/desktop' to='" + ROOM + "/hag' type='get' "
                + "id='v1'><vCard xmlns='vcard-temp'/></iq>", 0);
        assertThat(relayed.attributeOrNull("to")).isEqualTo("hag66@example.org/pda");
        assertThat(relayed.attributeOrNull("from")).isEqualTo(ROOM + "/crone");
        XmlElement back = handle(second, "<iq from='hag66@example.org/pda' to='" + ROOM + "/crone' type='result' id='"
                + relayed.attributeOrNull("id") + "'><vCard xmlns='vcard-temp'/></iq>", 0);
        assertThat(back.attributeOrNull("to")).isEqualTo("crone1@example.org/desktop");
        assertThat(back.attributeOrNull("from")).isEqualTo(ROOM + "/hag");
        assertThat(back.attributeOrNull("id")).isEqualTo("v1");
        // A forged answer for someone else's request goes nowhere.
        assertThat(handle(second, "<iq from='hag66@example.org/pda' to='" + ROOM + "/hag' type='result' id='"
                + relayed.attributeOrNull("id") + "'/>")).isEmpty();
    }
    @Test
    void anOccupantWhoseSessionBouncesIsTakenOutButARefusalIsNot() {
        instantRoomOfHag();
        handle(first, join("crone1@example.org/desktop", "crone"));
        assertThat(handle(first, "<message from='crone1@example.org/desktop' to='" + ROOM + "/hag' type='error'>"
                + "<error type='cancel'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
                + "</message>")).isEmpty();
        assertThat(store.occupants(JidCreate.entityBareFromOrThrowUnchecked(ROOM))).hasSize(2);
        List<XmlElement> bounced = handle(second, "<message from='crone1@example.org/desktop' to='" + ROOM
                + "/hag' type='error'><error type='cancel'><service-unavailable "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        assertThat(to(bounced)).containsExactly("hag66@example.org/pda");
        assertThat(bounced.get(0).attributeOrNull("type")).isEqualTo("unavailable");
        assertThat(bounced.get(0).toXml()).contains("code=\"333\"");
        assertThat(store.occupants(JidCreate.entityBareFromOrThrowUnchecked(ROOM))).hasSize(1);
    }
    @Test
    void roomCreationLimitsAndTheOccupantLimit() {
        assertThat(errorOf(handle(first, join("stranger@elsewhere.example/x", "stranger"), 0)))
                .as("only local accounts create rooms by default").isEqualTo("not-allowed");
        String longRoom = "a".repeat(65) + "@conference.example.org";
        assertThat(errorOf(handle(first, "<presence from='hag66@example.org/pda' to='" + longRoom + "/hag'/>", 0)))
                .isEqualTo("not-acceptable");

        instantRoomOfHag();
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c2'><query xmlns='"
                + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_maxusers'>"
                + "<value>2</value></field></x></query></iq>");
        handle(first, join("crone1@example.org/desktop", "crone"));
        assertThat(errorOf(handle(second, join("wiccarocks@example.org/laptop", "witch"), 0)))
                .as("§7.2.10").isEqualTo("service-unavailable");
        assertThat(handle(second, join("crone1@example.org/phone", "crone")))
                .as("another session under a nick already in counts no more").noneMatch(s -> errorOf(s) != null);
        // The stored presence keeps nothing of the join's <x/> (which may carry a password).
        assertThat(store.occupants(JidCreate.entityBareFromOrThrowUnchecked(ROOM)))
                .allSatisfy(o -> assertThat(o.presence().child("x", MucXml.MUC)).isEmpty());
    }

    @Test
    void aStrangersStanzasToTheServiceGetTheRightErrors() {
        assertThat(errorOf(handle(first, "<iq from='hag66@example.org/pda' to='conference.example.org' type='get' "
                + "id='x'><query xmlns='jabber:iq:version'/></iq>", 0))).isEqualTo("service-unavailable");
        assertThat(errorOf(handle(first, "<message from='hag66@example.org/pda' to='nowhere@conference.example.org' "
                + "type='groupchat'><body>hello</body></message>", 0))).isEqualTo("item-not-found");
        assertThat(errorOf(handle(first, "<iq from='hag66@example.org/pda' to='nowhere@conference.example.org' "
                + "type='get' id='y'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>", 0)))
                .isEqualTo("item-not-found");
    }
    /**
     * The server's administrators act as owners in every room (Prosody's {@code component_admins_as_room_owners}):
     * they enter a members-only room as owner and moderator, configure it and change affiliations, while the room's
     * owner list stays the recorded one and a stranger is still kept out.
     */
    @Test
    void theServiceOwnersActAsOwnersOfEveryRoomWithoutBeingListed() {
        HostedService hosted = HostedService.of(JidCreate.domainBareFromOrThrowUnchecked("conference.example.org"),
                "Chatrooms", "conference", "text", Set.of(MucXml.MUC));
        MucService withOwners = new MucService(hosted, DOMAIN, store, MucProperties.defaults(), new OccupantIds(""),
                metrics, Clock.systemUTC(), sent::add, RoomArchive.NONE,
                Set.of(JidCreate.bareFromOrThrowUnchecked("admin@example.org")));
        handle(withOwners, join("hag66@example.org/pda", "hag"));
        handle(withOwners, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c1'><query xmlns='"
                + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_membersonly'>"
                + "<value>1</value></field></x></query></iq>");

        assertThat(errorOf(handle(withOwners, join("crone1@example.org/desktop", "crone"), 0)))
                .isEqualTo("registration-required");
        List<XmlElement> entered = handle(withOwners, join("admin@example.org/console", "operator"));
        XmlElement self = entered.stream().filter(s -> "admin@example.org/console".equals(s.attributeOrNull("to"))
                && (ROOM + "/operator").equals(s.attributeOrNull("from"))).findFirst().orElseThrow();
        assertThat(self.toXml()).contains("affiliation=\"owner\"").contains("role=\"moderator\"")
                .contains("status code=\"110\"");

        handle(withOwners, "<iq from='admin@example.org/console' to='" + ROOM + "' type='set' id='a1'><query xmlns='"
                + MucXml.ADMIN + "'><item affiliation='member' jid='crone1@example.org'/></query></iq>");
        assertThat(handle(withOwners, join("crone1@example.org/desktop", "crone"))).noneMatch(s -> errorOf(s) != null);
        List<XmlElement> owners = handle(withOwners, "<iq from='admin@example.org/console' to='" + ROOM
                + "' type='get' id='o1'><query xmlns='" + MucXml.ADMIN + "'><item affiliation='owner'/></query></iq>");
        assertThat(owners.get(0).child("query", MucXml.ADMIN).orElseThrow().toXml()).contains("hag66@example.org")
                .doesNotContain("admin@example.org");
        String ban = "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='b1'><query xmlns='"
                + MucXml.ADMIN + "'><item affiliation='outcast' jid='admin@example.org'/></query></iq>";
        assertThat(errorOf(handle(withOwners, ban, 0))).as("the room's owner cannot ban the administrator")
                .isEqualTo("not-acceptable");
        assertThat(errorOf(handle(first, "<iq from='admin@example.org/console' to='" + ROOM + "' type='get' id='o2'>"
                + "<query xmlns='" + MucXml.OWNER + "'/></iq>", 0)))
                .as("a service without owners does not know the administrator").isEqualTo("forbidden");
    }

    @Test
    void theFormCannotLeaveARoomWithoutOwners() {
        instantRoomOfHag();
        List<XmlElement> answer = handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='o1'>"
                + "<query xmlns='" + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_roomowners'/></x></query></iq>");
        assertThat(errorOf(answer.get(0))).isEqualTo("not-acceptable");
        assertThat(store.room(JidCreate.entityBareFromOrThrowUnchecked(ROOM)).orElseThrow()
                .affiliationOf(JidCreate.entityBareFromOrThrowUnchecked("hag66@example.org"))).isEqualTo(Affiliation.OWNER);
    }
    @Test
    void enteringAgainFromTheSameSessionResendsTheRoom() {
        instantRoomOfHag();
        handle(first, join("crone1@example.org/desktop", "crone"));
        handle(first, "<message from='hag66@example.org/pda' to='" + ROOM + "' type='groupchat'><body>When shall we "
                + "three meet again</body></message>");
        List<XmlElement> again = handle(second, join("crone1@example.org/desktop", "crone"));
        assertThat(to(again)).as("the others see a presence update; the session gets the room again")
                .containsExactly("hag66@example.org/pda", "crone1@example.org/desktop", "crone1@example.org/desktop",
                        "crone1@example.org/desktop", "crone1@example.org/desktop");
        assertThat(again.get(3).childText("body", "jabber:client")).hasValue("When shall we three meet again");
        assertThat(again.get(4).child("subject", "jabber:client")).isPresent();
        List<XmlElement> away = handle(first, "<presence from='crone1@example.org/desktop' to='" + ROOM + "/crone'>"
                + "<show>away</show></presence>");
        assertThat(to(away)).as("a plain presence update is no new entry")
                .containsExactly("hag66@example.org/pda", "crone1@example.org/desktop");
    }
    @Test
    void aListOfCreatorsAdmitsOnlyThose() {
        MucProperties listed = new MucProperties(null, "Chatrooms", 20, 100, 0, MucProperties.RoomCreation.LISTED,
                List.of("Hag66@Example.org", "not a jid@@"), 64, 64, "", true, true);
        MucService service = new MucService(HostedService.of(JidCreate.domainBareFromOrThrowUnchecked(
                "conference.example.org"), "Chatrooms", "conference", "text", Set.of(MucXml.MUC)), DOMAIN, store,
                listed, new OccupantIds(""), metrics, Clock.systemUTC(), sent::add);
        assertThat(errorOf(handle(service, join("crone1@example.org/desktop", "crone"), 0))).isEqualTo("not-allowed");
        assertThat(handle(service, join("hag66@example.org/pda", "hag"))).noneMatch(s -> errorOf(s) != null);
    }
    @Test
    void inAMembersOnlyRoomMembersInviteOnlyWhenTheRoomAllowsIt() {
        instantRoomOfHag();
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='m1'><query xmlns='"
                + MucXml.ADMIN + "'><item affiliation='member' jid='crone1@example.org'/></query></iq>");
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c2'><query xmlns='"
                + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_membersonly'>"
                + "<value>1</value></field></x></query></iq>");
        handle(first, join("crone1@example.org/desktop", "crone"));
        String invite = "<message from='crone1@example.org/desktop' to='" + ROOM + "'><x xmlns='" + MucXml.USER
                + "'><invite to='wiccarocks@example.org'/></x></message>";
        assertThat(errorOf(handle(first, invite, 0))).isEqualTo("forbidden");
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c3'><query xmlns='"
                + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_allowinvites'>"
                + "<value>1</value></field></x></query></iq>");
        XmlElement sentOn = handle(second, invite, 0);
        assertThat(sentOn.attributeOrNull("to")).isEqualTo("wiccarocks@example.org");
        assertThat(sentOn.toXml()).contains("from=\"crone1@example.org\"");
        assertThat(store.room(JidCreate.entityBareFromOrThrowUnchecked(ROOM)).orElseThrow()
                .affiliationOf(JidCreate.entityBareFromOrThrowUnchecked("wiccarocks@example.org")))
                .as("a member's invitation does not make a member").isEqualTo(Affiliation.NONE);
    }

    @Test
    void aRemovedAccountLosesWhatRoomsGaveItButStaysBanned() {
        instantRoomOfHag();
        EntityBareJid room = JidCreate.entityBareFromOrThrowUnchecked(ROOM);
        BareJid crone = JidCreate.bareFromOrThrowUnchecked("crone1@example.org");
        BareJid wicca = JidCreate.bareFromOrThrowUnchecked("wiccarocks@example.org");
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='m1'><query xmlns='"
                + MucXml.ADMIN + "'><item affiliation='member' jid='crone1@example.org'/>"
                + "<item affiliation='outcast' jid='wiccarocks@example.org'/></query></iq>");
        handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c2'><query xmlns='"
                + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_membersonly'>"
                + "<value>1</value></field><field var='muc#roomconfig_persistentroom'><value>1</value></field>"
                + "</x></query></iq>");
        Room configured = store.room(room).orElseThrow();
        store.saveRoom(configured.withConfig(configured.config().withHats(
                List.of(new Hat(crone, "urn:example:hats:scribe", "Scribe")))));
        handle(first, join("crone1@example.org/desktop", "crone"));
        EntityBareJid unrelated = JidCreate.entityBareFromOrThrowUnchecked("heath@conference.example.org");
        store.saveRoom(new Room(unrelated, RoomConfig.DEFAULT, Map.of(), Subject.NONE, false, Instant.now()));

        List<XmlElement> forged = handle(first, "<iq from='crone1@example.org/desktop' to='" + ROOM + "' type='set' "
                + "id='f1'><account-removed xmlns='" + OperatorRequests.NAMESPACE + "' jid='hag66@example.org'/></iq>");
        assertThat(errorOf(forged.get(0))).as("only the server asks").isEqualTo("service-unavailable");
        assertThat(store.room(room).orElseThrow().affiliationOf(JidCreate.bareFromOrThrowUnchecked("hag66@example.org")))
                .isEqualTo(Affiliation.OWNER);

        List<XmlElement> requests = new ArrayList<>();
        new RemovedAccounts(store, DOMAIN, requests::add).removed(crone.asEntityBareJidIfPossible());
        assertThat(to(requests)).as("only the rooms naming the account are asked").containsExactly(ROOM);
        List<XmlElement> removed = handle(second, requests.get(0));
        assertThat(removed).anySatisfy(p -> {
            assertThat(p.attributeOrNull("to")).isEqualTo("crone1@example.org/desktop");
            assertThat(p.attributeOrNull("type")).isEqualTo("unavailable");
            assertThat(p.toXml()).as("§9.4: removed as a non-member of a members-only room").contains("code=\"321\"");
        });
        assertThat(removed).anySatisfy(r -> assertThat(r.attributeOrNull("to")).isEqualTo("example.org"));
        Room after = store.room(room).orElseThrow();
        assertThat(after.affiliationOf(crone)).isEqualTo(Affiliation.NONE);
        assertThat(after.config().hats()).isEmpty();
        assertThat(handle(first, requests.get(0))).as("asked again: nothing left to do")
                .extracting(s -> s.attributeOrNull("to")).containsExactly("example.org");

        new RemovedAccounts(store, DOMAIN, requests::add).removed(wicca.asEntityBareJidIfPossible());
        handle(first, requests.get(1));
        assertThat(store.room(room).orElseThrow().affiliationOf(wicca)).as("a ban stays").isEqualTo(Affiliation.OUTCAST);

        new RemovedAccounts(store, DOMAIN, requests::add).removed(
                JidCreate.entityBareFromOrThrowUnchecked("hag66@example.org"));
        handle(first, requests.get(2));
        assertThat(store.room(room)).as("the room goes on without its last owner").hasValueSatisfying(r ->
                assertThat(r.affiliations().values()).extracting(AffiliationEntry::affiliation)
                        .containsExactly(Affiliation.OUTCAST));
    }

    @Test
    void whoeverComesToSeeRealJidsOrStopsSeeingThemGetsTheOthersPresenceAgain() {
        instantRoomOfHag();
        handle(first, join("crone1@example.org/desktop", "crone"));
        handle(first, join("wiccarocks@example.org/laptop", "second-witch"));
        String crone = "crone1@example.org/desktop";
        List<XmlElement> granted = handle(second, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' "
                + "id='r1'><query xmlns='" + MucXml.ADMIN + "'><item nick='crone' role='moderator'/></query></iq>");
        assertThat(realJidsShownTo(crone, granted)).as("the new moderator sees whom it moderates")
                .containsExactlyInAnyOrder("hag66@example.org/pda", "wiccarocks@example.org/laptop");

        List<XmlElement> revoked = handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' "
                + "id='r2'><query xmlns='" + MucXml.ADMIN + "'><item nick='crone' role='participant'/></query></iq>");
        List<XmlElement> resent = revoked.stream().filter(s -> crone.equals(s.attributeOrNull("to"))
                && !s.attributeOrNull("from").endsWith("/crone")).toList();
        assertThat(resent).as("a participant again: the others without their JIDs").hasSize(2)
                .allSatisfy(p -> assertThat(p.toXml()).doesNotContain("jid="));

        List<XmlElement> voiced = handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' "
                + "id='r3'><query xmlns='" + MucXml.ADMIN + "'><item nick='crone' role='visitor'/></query></iq>");
        assertThat(voiced).as("no change of view, nothing resent").noneMatch(s -> crone.equals(s.attributeOrNull("to"))
                && !s.attributeOrNull("from").endsWith("/crone"));

        List<XmlElement> open = handle(first, "<iq from='hag66@example.org/pda' to='" + ROOM + "' type='set' id='c2'>"
                + "<query xmlns='" + MucXml.OWNER + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='muc#roomconfig_whois'><value>anyone</value></field></x></query></iq>");
        assertThat(realJidsShownTo(crone, open)).as("a non-anonymous room shows everyone the JIDs at once")
                .containsExactlyInAnyOrder("hag66@example.org/pda", "wiccarocks@example.org/laptop");
        assertThat(realJidsShownTo("hag66@example.org/pda", open)).as("the owner saw them already").isEmpty();
    }

    /** The real JIDs in the presences of other occupants that {@code viewer} was sent. */
    private static List<String> realJidsShownTo(String viewer, List<XmlElement> stanzas) {
        return stanzas.stream().filter(s -> "presence".equals(s.name()) && viewer.equals(s.attributeOrNull("to")))
                .flatMap(s -> s.child("x", MucXml.USER).flatMap(x -> x.child("item", MucXml.USER)).stream())
                .map(item -> item.attributeOrNull("jid")).filter(jid -> jid != null && !jid.equals(viewer)).toList();
    }
}
