package io.aviary.xep0313;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveRecord.Reach;
import io.aviary.bus.BusMessage;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;

class ArchiveWriterTest {

    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com/phone";

    private final InMemoryArchiveStore store = new InMemoryArchiveStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Set<String> roster = Set.of();
    private final ArchiveWriter writer = new ArchiveWriter(store,
            new ArchivingPolicy((owner, contact) -> roster.contains(contact)), meters);

    @Test
    void storesARecordOnceAndCountsTheDuplicate() {
        ArchiveRecord record = incoming("s1", message("m1", "hello"));
        deliver(record);
        deliver(record);

        assertThat(store.query(ALICE, ArchiveQuery.ALL, PageRequest.first(10)).items())
                .extracting(ArchivedMessage::id, ArchivedMessage::clientId).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("s1", "m1"));
        assertThat(writes("stored")).isEqualTo(1);
        assertThat(writes("duplicate")).isEqualTo(1);
    }

    @Test
    void fromABusThatDeliversOnceEveryRecordIsNewToTheArchive() {
        List<String> appends = new CopyOnWriteArrayList<>();
        ArchiveWriter once = new ArchiveWriter(watched(store, appends, null),
                new ArchivingPolicy(RosterMembership.NONE), meters).deliveredOnce();
        once.handleMessage(Stanza.of(message("m1", "hello")).orElseThrow(),
                incoming("s1", message("m1", "hello")).toBusMessage());

        assertThat(appends).containsExactly("appendNew s1");
        assertThat(store.find(ALICE, "s1")).isPresent();
        assertThat(writes("stored")).isEqualTo(1);
    }

    @Test
    void aBatchThatFailsAfterPartOfItWasWrittenIsWrittenAgainWithoutCopies(@TempDir Path directory) {
        try (RocksDbArchiveStore rocks = new RocksDbArchiveStore(directory)) {
            List<String> appends = new CopyOnWriteArrayList<>();
            ArchiveStore failingOnce = watched(rocks, appends, "s3");
            ArchiveWriter once = new ArchiveWriter(failingOnce, new ArchivingPolicy(RosterMembership.NONE), meters)
                    .deliveredOnce();
            // s2 retracts s1: looking s1 up (and then reading it to retract it) writes what the batch gathered before,
            // so the failure of s3 comes after s1 and s2 are in the archive and before s1's tombstone is.
            once.writeBatch(new ArrayList<>(Stream.of(incoming("s1", message("m1", "oops").withChild(originId("o1"))),
                    incoming("s2", retraction("r1", "o1")), incoming("s3", message("m3", "after")))
                    .map(once::pending).toList()), failingOnce::inOneWrite);

            assertThat(appends).containsExactly("appendNew s1", "appendNew s2", "appendNew s3",
                    "append s1", "append s2", "append s3");
            assertThat(rocks.query(ALICE, ArchiveQuery.ALL, PageRequest.first(10)).items())
                    .extracting(ArchivedMessage::id).containsExactly("s1", "s2", "s3");
            assertThat(rocks.find(ALICE, "s1").orElseThrow().retracted()).as("s2, a duplicate now, still retracts")
                    .isTrue();
        }
    }

    /**
     * {@code target} as the writer sees it: notes which of the two appends each message took ("appendNew s1"), and
     * fails the first {@code appendNew} of the id {@code failing} (null: none) as a full disk would.
     */
    private static ArchiveStore watched(ArchiveStore target, List<String> appends, String failing) {
        AtomicBoolean failed = new AtomicBoolean();
        return (ArchiveStore) Proxy.newProxyInstance(ArchiveWriterTest.class.getClassLoader(),
                new Class<?>[] {ArchiveStore.class}, (proxy, method, args) -> {
                    if (args != null && args[0] instanceof List) {
                        return InvocationHandler.invokeDefault(proxy, method, args); // a run, each message seen here
                    }
                    if (method.getName().startsWith("append")) {
                        String id = args[0] instanceof ArchiveStore.Prepared prepared ? prepared.id()
                                : ((ArchivedMessage) args[0]).id();
                        appends.add(method.getName() + " " + id);
                        if (method.getName().equals("appendNew") && id.equals(failing) && failed.compareAndSet(false,
                                true)) {
                            throw new IllegalStateException("no space left on the device");
                        }
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aMessageWithoutRecordHeadersIsNotArchived() {
        XmlElement m = message("m1", "hello");
        writer.handleMessage(Stanza.of(m).orElseThrow(), BusMessage.of(m));
        assertThat(store.bounds(ALICE)).isEmpty();
    }

    @Test
    void preferencesDecide_neverWinsOverAlways_rosterAsksTheRoster() {
        store.savePreferences(ALICE, new ArchivePreferences(ArchivePreferences.Default.ROSTER,
                Set.of("carol@example.com", "dave@example.com"), Set.of("dave@example.com")));
        roster = Set.of("bob@example.com");
        deliver(record("s1", "bob@example.com/phone", message("m1", "in roster")));
        deliver(record("s2", "carol@example.com/x", message("m2", "always")));
        deliver(record("s3", "dave@example.com", message("m3", "always and never")));
        deliver(record("s4", "eve@example.com/y", message("m4", "not in roster")));

        assertThat(ids()).containsExactly("s1", "s2");
        assertThat(writes("skipped")).isEqualTo(2);

        store.savePreferences(ALICE, new ArchivePreferences(ArchivePreferences.Default.NEVER,
                Set.of("eve@example.com/y"), Set.of()));
        deliver(record("s5", "eve@example.com/y", message("m5", "full JID listed")));
        deliver(record("s6", "eve@example.com/z", message("m6", "other resource")));
        assertThat(ids()).containsExactly("s1", "s2", "s5");
    }

    @Test
    void aRetractionFromTheOriginalSenderLeavesATombstoneAndIsArchivedItself() {
        deliver(incoming("s1", message("m1", "oops").withChild(originId("o1"))));
        deliver(incoming("s2", retraction("r1", "o1")));

        ArchivedMessage original = store.find(ALICE, "s1").orElseThrow();
        assertThat(original.retracted()).isTrue();
        assertThat(original.message().child("body", Stanza.CLIENT_NAMESPACE)).isEmpty();
        XmlElement retracted = original.message().child("retracted", Retraction.NAMESPACE).orElseThrow();
        assertThat(retracted.attributeOrNull("id")).isEqualTo("r1");
        assertThat(retracted.attributeOrNull("stamp")).isEqualTo("2026-01-01T00:00:02Z");
        assertThat(original.message().child("origin-id", "urn:xmpp:sid:0")).isPresent();
        assertThat(original.message().attributeOrNull("id")).isEqualTo("m1");
        assertThat(store.find(ALICE, "s2")).isPresent();
    }

    @Test
    void aRetractionFromTheOtherPartyLeavesTheMessage() {
        deliver(incoming("s1", message("m1", "bob said")));
        // alice's own message in the same conversation cannot retract bob's
        deliver(new ArchiveRecord(ALICE, "s2", Direction.OUTGOING, BOB, at(2), Reach.NONE, retraction("r1", "m1")));

        assertThat(store.find(ALICE, "s1").orElseThrow().retracted()).isFalse();
        assertThat(ids()).containsExactly("s1", "s2");
    }

    @Test
    void aRecordForPushAloneIsNotKept() {
        ArchiveRecord groupchat = new ArchiveRecord(ALICE, "s1", Direction.INCOMING, "coven@conference.example.org/hag",
                at(1), Reach.HIBERNATED, message("m1", "round about the cauldron go"), false);
        // as the bus carries it: the flag travels in a header
        deliver(ArchiveRecord.from(groupchat.toBusMessage()));
        deliver(incoming("s2", message("m2", "bob said")));

        assertThat(ids()).containsExactly("s2");
    }

    @Test
    void writingBehindKeepsTheOrderAndAQueryAfterSettlingSeesEveryRecord() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        writer.writingBehind(1000, work -> {
            int before = ids().size();
            work.run();
            batchSizes.add(ids().size() - before);
        }, Optional::empty);
        String bob = "bob@example.com";
        for (int i = 1; i <= 300; i++) {
            deliver(incoming("s" + i, message("m" + i, "hello " + i)));
            // the sender's copy: another archive, interleaved (a batch is written grouped by owner)
            deliver(new ArchiveRecord(bob, "o" + i, Direction.OUTGOING, ALICE, at(i), Reach.NONE,
                    message("m" + i, "hello " + i)));
        }
        writer.settle();

        assertThat(ids()).hasSize(300).isEqualTo(IntStream.rangeClosed(1, 300)
                .mapToObj(i -> "s" + i).toList());
        assertThat(store.query(bob, ArchiveQuery.ALL, PageRequest.first(1000)).items()).extracting(ArchivedMessage::id)
                .isEqualTo(IntStream.rangeClosed(1, 300).mapToObj(i -> "o" + i).toList());
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        writer.close();
    }

    @Test
    void aRemovalRequestRemovesTheOwnersRecordsBeforeItAndKeepsThoseAfter() throws Exception {
        writer.writingBehind(1000, Runnable::run, Optional::empty);
        String bob = "bob@example.com";
        deliver(incoming("s1", message("m1", "said before the room emptied")));
        deliver(new ArchiveRecord(bob, "o1", Direction.OUTGOING, ALICE, at(1), Reach.NONE, message("m1", "another's")));
        BusMessage removal = ArchiveRecord.removal(ALICE);
        writer.handleMessage(Stanza.of(removal.stanza()).orElseThrow(), removal);
        deliver(incoming("s2", message("m2", "the next owner of the name")));
        writer.settle();

        assertThat(ids()).as("only what came after the request").containsExactly("s2");
        assertThat(store.query(bob, ArchiveQuery.ALL, PageRequest.first(10)).items()).hasSize(1);
        writer.close();
    }

    @Test
    void writingBehindAppliesThePreferencesAsTheyWereWhenTheRecordCame() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        writer.writingBehind(100, afterLatch(held), Optional::empty);
        deliver(incoming("s1", message("m1", "before the change")));
        // The change reaches the writer on the bus after s1; s1 is still waiting for its write.
        store.savePreferences(ALICE, new ArchivePreferences(ArchivePreferences.Default.NEVER, Set.of(), Set.of()));
        deliver(incoming("s2", message("m2", "after the change")));
        held.countDown();
        writer.settle();

        assertThat(ids()).containsExactly("s1");
        assertThat(writes("skipped")).isEqualTo(1);
        writer.close();
    }

    @Test
    void aBatchWhoseTransactionFailsIsWrittenRecordByRecord() throws Exception {
        writer.writingBehind(10, work -> {
            throw new IllegalStateException("rolled back");
        }, Optional::empty);
        deliver(incoming("s1", message("m1", "one")));
        deliver(incoming("s2", message("m2", "two")));
        writer.settle();

        assertThat(ids()).containsExactly("s1", "s2");
        writer.close();
    }

    @Test
    void aRecordWrittenBehindIsHeldOnTheBusUntilItsBatchIsWritten() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        List<String> released = new CopyOnWriteArrayList<>();
        List<String> handedOver = new ArrayList<>();
        writer.writingBehind(10, afterLatch(written), () -> {
            String record = "r" + handedOver.size();
            return Optional.of(() -> released.add(record));
        });
        for (int i = 1; i <= 3; i++) {
            handedOver.add("s" + i);
            deliver(incoming("s" + i, message("m" + i, "hello " + i)));
        }
        Thread.sleep(200); // time enough for a premature release to show

        assertThat(released).isEmpty();
        written.countDown();
        writer.settle();
        assertThat(ids()).containsExactly("s1", "s2", "s3");
        assertThat(released).containsExactlyInAnyOrder("r1", "r2", "r3");
        writer.close();
    }

    @Test
    void aBatchIsWrittenAgainWhileTheStoreCannotBeReached() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<String> released = new CopyOnWriteArrayList<>();
        writer.writingBehind(10, work -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            work.run();
        }, () -> Optional.of(() -> released.add("held")));
        deliver(incoming("s1", message("m1", "one")));
        deliver(incoming("s2", message("m2", "two")));
        writer.settle();

        assertThat(ids()).containsExactly("s1", "s2");
        assertThat(attempts).hasValueGreaterThanOrEqualTo(3);
        assertThat(released).hasSize(2);
        assertThat(writes("skipped")).isZero();
        writer.close();
    }

    @Test
    void whatCannotBeWrittenWhenTheWriterClosesStaysHeldForTheNextConsumer() throws Exception {
        List<String> appends = new CopyOnWriteArrayList<>();
        ArchiveStore unreachable = (ArchiveStore) Proxy.newProxyInstance(ArchiveWriterTest.class.getClassLoader(),
                new Class<?>[] {ArchiveStore.class}, (proxy, method, args) -> {
                    if (args != null && args[0] instanceof List) {
                        return InvocationHandler.invokeDefault(proxy, method, args); // a run, each message seen here
                    }
                    if (method.getName().startsWith("append")) {
                        appends.add(method.getName());
                        throw new DataAccessResourceFailureException("connection refused");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> released = new CopyOnWriteArrayList<>();
        ArchiveWriter closing = new ArchiveWriter(unreachable, new ArchivingPolicy(RosterMembership.NONE), meters)
                .writingBehind(10, Runnable::run, () -> Optional.of(() -> released.add("held")));
        closing.handleMessage(Stanza.of(message("m1", "one")).orElseThrow(),
                incoming("s1", message("m1", "one")).toBusMessage());
        while (appends.isEmpty()) {
            Thread.sleep(10);
        }
        closing.close();

        assertThat(released).isEmpty();
        assertThat(store.find(ALICE, "s1")).isEmpty();
        assertThat(writes("skipped")).isZero();
    }

    private static final String ROOM = "lounge@conference.example.com";

    /** A room's record as the group chat service publishes it: owned by the room, incoming from an occupant. */
    private static ArchiveRecord roomRecord(String id, String with, XmlElement message) {
        return new ArchiveRecord(ROOM, id, Direction.INCOMING, with, at(Integer.parseInt(id.substring(1))), Reach.NONE,
                message);
    }

    private static XmlElement groupchat(String nick, String occupant, XmlElement... payloads) {
        XmlElement.Builder message = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE)
                .attribute("from", ROOM + "/" + nick).attribute("type", "groupchat").attribute("id", "c-" + nick);
        for (XmlElement payload : payloads) {
            message.child(payload);
        }
        return message.child(XmlElement.builder("occupant-id", "urn:xmpp:occupant-id:0").attribute("id", occupant)
                .build()).build();
    }

    private static XmlElement retract(String target) {
        return XmlElement.builder("retract", Retraction.NAMESPACE).attribute("id", target).build();
    }

    @Test
    void inARoomOnlyTheAuthorRetractsAndOnlyTheRoomModerates() {
        XmlElement body = XmlElement.builder("body", Stanza.CLIENT_NAMESPACE).text("free potions").build();
        deliver(roomRecord("s1", ROOM + "/hag", groupchat("hag", "occ-hag", body)));
        deliver(roomRecord("s2", ROOM + "/witch", groupchat("witch", "occ-witch", body)));
        // Another occupant names the message by its room stanza id and by its client id: neither counts.
        deliver(roomRecord("s3", ROOM + "/witch", groupchat("witch", "occ-witch", retract("s1"))));
        deliver(roomRecord("s4", ROOM + "/witch", groupchat("witch", "occ-witch", retract("c-hag"))));
        // An occupant forging a moderation from its own nick is not the room.
        XmlElement forged = XmlElement.builder("retract", Retraction.NAMESPACE).attribute("id", "s1")
                .child(XmlElement.builder("moderated", Retraction.MODERATE).attribute("by", ROOM + "/witch").build())
                .build();
        deliver(roomRecord("s5", ROOM + "/witch", groupchat("witch", "occ-witch", forged)));
        assertThat(store.find(ROOM, "s1").orElseThrow().retracted()).isFalse();

        // The author retracts its own by the room's stanza id.
        deliver(roomRecord("s6", ROOM + "/witch", groupchat("witch", "occ-witch", retract("s2"))));
        assertThat(store.find(ROOM, "s2").orElseThrow().retracted()).isTrue();

        // The room itself announces a moderation: the tombstone says who moderated and why.
        XmlElement moderation = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", ROOM)
                .attribute("type", "groupchat").child(XmlElement.builder("retract", Retraction.NAMESPACE)
                        .attribute("id", "s1")
                        .child(XmlElement.builder("moderated", Retraction.MODERATE).attribute("by", ROOM + "/mod")
                                .build())
                        .textChild("reason", "spam").build()).build();
        deliver(roomRecord("s7", ROOM, moderation));
        ArchivedMessage moderated = store.find(ROOM, "s1").orElseThrow();
        assertThat(moderated.retracted()).isTrue();
        assertThat(moderated.message().child("body", Stanza.CLIENT_NAMESPACE)).isEmpty();
        XmlElement retracted = moderated.message().child("retracted", Retraction.NAMESPACE).orElseThrow();
        assertThat(retracted.child("moderated", Retraction.MODERATE).orElseThrow().attributeOrNull("by"))
                .isEqualTo(ROOM + "/mod");
        assertThat(retracted.childText("reason", Retraction.NAMESPACE)).contains("spam");
        assertThat(moderated.message().child("occupant-id", "urn:xmpp:occupant-id:0")).isPresent();
    }

    private ArchiveRecord incoming(String id, XmlElement message) {
        return record(id, BOB, message);
    }

    private ArchiveRecord record(String id, String with, XmlElement message) {
        int n = Integer.parseInt(id.substring(1));
        return new ArchiveRecord(ALICE, id, Direction.INCOMING, with, at(n), Reach.ONLINE, message);
    }

    private static Instant at(int second) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second);
    }

    /** A transaction that runs its work once {@code latch} opens (at most 10 s): batches wait for the test. */
    private static Consumer<Runnable> afterLatch(CountDownLatch latch) {
        return work -> {
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            work.run();
        };
    }

    private void deliver(ArchiveRecord record) {
        BusMessage bus = record.toBusMessage();
        writer.handleMessage(Stanza.of(bus.stanza()).orElseThrow(), bus);
    }

    private List<String> ids() {
        return store.query(ALICE, ArchiveQuery.ALL, PageRequest.first(1000)).items().stream()
                .map(ArchivedMessage::id).toList();
    }

    private double writes(String result) {
        return meters.counter("xmpp.archive.writes", "result", result).count();
    }

    static XmlElement message(String id, String body) {
        return XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", BOB).attribute("to", ALICE)
                .attribute("type", "chat").attribute("id", id).textChild("body", body).build();
    }

    private static XmlElement retraction(String id, String target) {
        return XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", BOB).attribute("to", ALICE)
                .attribute("type", "chat").attribute("id", id)
                .child(XmlElement.builder("retract", Retraction.NAMESPACE).attribute("id", target).build())
                .textChild("body", "retracted").build();
    }

    private static XmlElement originId(String id) {
        return XmlElement.builder("origin-id", "urn:xmpp:sid:0").attribute("id", id).build();
    }
}
