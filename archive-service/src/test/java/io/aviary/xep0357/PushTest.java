package io.aviary.xep0357;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.clocktest.MutableClock;
import io.aviary.service.Outbox;
import io.aviary.service.ServerRequests;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0357 on the archive topic, as the archive service runs it: enable/disable IQs and archive records in, replies
 * and notifications out on the route topic.
 */
class PushTest {

    private static final String ALICE = "alice@example.org";
    private static final String PUSH = "push.example.net";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";

    private final InProcessBus bus = new InProcessBus(2);
    private final BlockingQueue<Stanza> routed = new LinkedBlockingQueue<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PushRegistrationStore store = new InMemoryPushRegistrationStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private ServerRequests requests;
    private PushCommand command;
    private int ids;

    @BeforeEach
    void start() throws Exception {
        bus.subscribe(Topics.ROUTE, "test", m -> routed.add(Stanza.of(m.stanza()).orElseThrow()));
        start(false);
    }

    private void start(boolean includeBody) throws Exception {
        if (requests != null) {
            requests.close();
        }
        Outbox outbox = new Outbox(bus);
        PushNotifier notifier = new PushNotifier(store, outbox::send, new PushProperties(includeBody, Duration.ofSeconds(30)),
                clock, new PushMetrics(meters));
        command = new PushCommand(JidCreate.domainBareFrom("example.org"), store, notifier);
        requests = new ServerRequests(bus, Topics.ARCHIVE, "archive", List.of(command), List.of(), List.of(notifier));
        requests.start();
    }

    @AfterEach
    void close() {
        requests.close();
        bus.close();
    }

    @Test
    void aHibernatedOrOfflineAccountGetsOneNotificationPerRecordWithThePublishOptions() throws Exception {
        assertThat(iq(ALICE + "/phone", null, "<enable xmlns='urn:xmpp:push:0' jid='" + PUSH + "' node='n1'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
                + "http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='secret'><value>s3cr3t</value></field></x></enable>").type()).isEqualTo("result");

        record(ArchiveRecord.Reach.HIBERNATED, "Wherefore art thou?");

        Stanza notification = next();
        assertThat(notification.type()).isEqualTo("set");
        assertThat(notification.fromAttribute()).isEqualTo(ALICE);
        assertThat(notification.toAttribute()).isEqualTo(PUSH);
        assertThat(Topics.replyTopic(notification.id())).isEqualTo(Topics.ARCHIVE);
        XmlElement pubsub = notification.payload().orElseThrow();
        XmlElement publish = pubsub.child("publish", PUBSUB).orElseThrow();
        assertThat(publish.attributeOrNull("node")).isEqualTo("n1");
        XmlElement summary = publish.child("item", PUBSUB).orElseThrow()
                .child("notification", "urn:xmpp:push:0").orElseThrow().child("x", "jabber:x:data").orElseThrow();
        assertThat(fields(summary)).containsExactly("FORM_TYPE=urn:xmpp:push:summary", "message-count=1",
                "last-message-sender=bob@example.org/desk");
        assertThat(pubsub.child("publish-options", PUBSUB).orElseThrow().toXml()).contains("s3cr3t");
        assertThat(meters.counter("xmpp.push.notifications", "result", "sent").count()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(60));
        record(ArchiveRecord.Reach.OFFLINE, "still there?");
        assertThat(next().toAttribute()).isEqualTo(PUSH);
    }

    @Test
    void theBodyIsIncludedOnlyWhenTheOperatorAllowsIt() throws Exception {
        start(true);
        enable("n1");

        record(ArchiveRecord.Reach.OFFLINE, "Wherefore art thou?");

        assertThat(fields(summaryOf(next()))).contains("last-message-body=Wherefore art thou?");
        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aGroupchatMessageThatFoundOnlyAHibernatedSessionIsNotifiedAsFromTheOccupant() throws Exception {
        start(true);
        enable("n1");
        String occupant = "coven@conference.example.org/hag";
        XmlElement message = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("type", "groupchat")
                .attribute("from", occupant).attribute("to", ALICE + "/phone").textChild("body", "Double, double")
                .build();
        bus.publish(Topics.ARCHIVE, ALICE, new ArchiveRecord(ALICE, "g1", ArchiveRecord.Direction.INCOMING, occupant,
                clock.instant(), ArchiveRecord.Reach.HIBERNATED, message, false).toBusMessage());

        assertThat(fields(summaryOf(next()))).containsExactly("FORM_TYPE=urn:xmpp:push:summary", "message-count=1",
                "last-message-sender=" + occupant, "last-message-body=Double, double");
    }

    @Test
    void noNotificationWhenAConnectedClientGotTheMessage() throws Exception {
        enable("n1");

        record(ArchiveRecord.Reach.ONLINE, "hi");

        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void oneNotificationPerBurstCountingTheMessagesSinceTheLast() throws Exception {
        enable("n1");

        record(ArchiveRecord.Reach.HIBERNATED, "one");
        assertThat(fields(summaryOf(next()))).contains("message-count=1");
        clock.advance(Duration.ofSeconds(10));
        record(ArchiveRecord.Reach.HIBERNATED, "two");
        record(ArchiveRecord.Reach.HIBERNATED, "three");
        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).as("within the burst").isNull();

        clock.advance(Duration.ofSeconds(30));
        record(ArchiveRecord.Reach.HIBERNATED, "four");
        assertThat(fields(summaryOf(next()))).contains("message-count=3");
    }

    @Test
    void aMessageThatReachedAConnectedClientEndsTheBurst() throws Exception {
        enable("n1");
        record(ArchiveRecord.Reach.HIBERNATED, "one");
        next();

        record(ArchiveRecord.Reach.ONLINE, "read on the phone");
        record(ArchiveRecord.Reach.HIBERNATED, "after the phone went away again");

        assertThat(fields(summaryOf(next()))).contains("message-count=1");
    }

    @Test
    void noNotificationAfterDisable() throws Exception {
        enable("n1");
        enable("n2");

        assertThat(iq(ALICE + "/phone", ALICE, "<disable xmlns='urn:xmpp:push:0' jid='" + PUSH + "'/>").type())
                .isEqualTo("result");
        record(ArchiveRecord.Reach.OFFLINE, "hi");

        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(store.registrations(ALICE)).isEmpty();
    }

    @Test
    void disablingOneNodeKeepsTheOthers() throws Exception {
        enable("n1");
        enable("n2");

        iq(ALICE + "/phone", null, "<disable xmlns='urn:xmpp:push:0' jid='" + PUSH + "' node='n1'/>");
        record(ArchiveRecord.Reach.OFFLINE, "hi");

        assertThat(next().payload().orElseThrow().child("publish", PUBSUB).orElseThrow().attributeOrNull("node"))
                .isEqualTo("n2");
        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anErrorReplyDisablesTheRegistrationButATransientOneDoesNot() throws Exception {
        enable("n1");
        record(ArchiveRecord.Reach.OFFLINE, "one");
        Stanza first = next();

        reply(first, "<error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        clock.advance(Duration.ofSeconds(60));
        record(ArchiveRecord.Reach.OFFLINE, "two");
        Stanza second = next();
        reply(second, "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
        waitUntil(() -> store.registrations(ALICE).isEmpty());

        clock.advance(Duration.ofSeconds(60));
        record(ArchiveRecord.Reach.OFFLINE, "three");
        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(meters.counter("xmpp.push.disabled").count()).isEqualTo(1);
        assertThat(meters.counter("xmpp.push.notifications", "result", "failed").count()).isEqualTo(2);
    }

    @Test
    void aResultKeepsTheRegistration() throws Exception {
        enable("n1");
        record(ArchiveRecord.Reach.OFFLINE, "one");
        Stanza first = next();

        bus.publish(Topics.ARCHIVE, ALICE, BusMessage.of(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE)
                .attribute("type", "result").attribute("from", PUSH).attribute("to", ALICE)
                .attribute("id", first.id()).build()));
        clock.advance(Duration.ofSeconds(60));
        record(ArchiveRecord.Reach.OFFLINE, "two");

        assertThat(next().toAttribute()).isEqualTo(PUSH);
    }

    @Test
    void anotherUserCannotEnableOrDisableForSomeoneElse() throws Exception {
        enable("n1");

        Stanza enable = iq("mallory@example.org/x", ALICE, "<enable xmlns='urn:xmpp:push:0' jid='evil.example' node='x'/>");
        Stanza disable = iq("mallory@example.org/x", ALICE, "<disable xmlns='urn:xmpp:push:0' jid='" + PUSH + "'/>");

        assertThat(enable.type()).isEqualTo("error");
        assertThat(enable.toXml()).contains("forbidden");
        assertThat(disable.toXml()).contains("forbidden");
        assertThat(store.registrations(ALICE)).extracting(PushRegistration::service).containsExactly(PUSH);
        assertThat(store.registrations("mallory@example.org")).isEmpty();
    }

    @Test
    void malformedRequestsAreBadRequests() throws Exception {
        for (String payload : List.of("<enable xmlns='urn:xmpp:push:0' node='n1'/>",
                "<enable xmlns='urn:xmpp:push:0' jid='" + PUSH + "'/>",
                "<enable xmlns='urn:xmpp:push:0' jid='a@b@c' node='n1'/>",
                "<disable xmlns='urn:xmpp:push:0'/>",
                "<frobnicate xmlns='urn:xmpp:push:0' jid='" + PUSH + "'/>")) {
            Stanza reply = iq(ALICE + "/phone", null, payload);
            assertThat(reply.type()).as(payload).isEqualTo("error");
            assertThat(reply.toXml()).as(payload).contains("bad-request");
        }
        assertThat(store.registrations(ALICE)).isEmpty();
    }

    @Test
    void anAccountsRemovalDropsItsRegistrations() throws Exception {
        enable("n1");

        command.accountDeleted(JidCreate.entityBareFrom(ALICE));

        assertThat(store.registrations(ALICE)).isEmpty();
    }

    private void enable(String node) throws Exception {
        assertThat(iq(ALICE + "/phone", null, "<enable xmlns='urn:xmpp:push:0' jid='" + PUSH + "' node='" + node + "'/>")
                .type()).isEqualTo("result");
    }

    /** Sends an IQ set on the archive topic as the router would and returns the reply. */
    private Stanza iq(String from, String to, String payload) throws Exception {
        XmlElement.Builder iq = XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set")
                .attribute("id", "q" + ++ids).attribute("from", from).attribute("to", to)
                .child(XmlFragment.parse(payload));
        bus.publish(Topics.ARCHIVE, to == null ? ALICE : to, BusMessage.of(iq.build()));
        Stanza reply = next();
        assertThat(reply.id()).isEqualTo("q" + ids);
        return reply;
    }

    private void record(ArchiveRecord.Reach reach, String body) {
        XmlElement message = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("type", "chat")
                .attribute("from", "bob@example.org/desk").attribute("to", ALICE).textChild("body", body).build();
        bus.publish(Topics.ARCHIVE, ALICE, new ArchiveRecord(ALICE, "id" + ++ids, ArchiveRecord.Direction.INCOMING,
                "bob@example.org/desk", clock.instant(), reach, message).toBusMessage());
    }

    private void reply(Stanza notification, String error) {
        bus.publish(Topics.ARCHIVE, ALICE, BusMessage.of(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE)
                .attribute("type", "error").attribute("from", PUSH).attribute("to", ALICE)
                .attribute("id", notification.id()).child(XmlFragment.parse(error)).build()));
    }

    private Stanza next() throws InterruptedException {
        Stanza stanza = routed.poll(5, TimeUnit.SECONDS);
        assertThat(stanza).as("a stanza routed within 5 s").isNotNull();
        return stanza;
    }

    private static XmlElement summaryOf(Stanza notification) {
        return notification.payload().orElseThrow().child("publish", PUBSUB).orElseThrow().child("item", PUBSUB)
                .orElseThrow().child("notification", "urn:xmpp:push:0").orElseThrow().child("x", "jabber:x:data")
                .orElseThrow();
    }

    private static List<String> fields(XmlElement form) {
        return form.elements().map(f -> f.attributeOrNull("var") + "="
                + f.childText("value", "jabber:x:data").orElse("")).toList();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
