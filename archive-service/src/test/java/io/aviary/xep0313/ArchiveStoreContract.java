package io.aviary.xep0313;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ArchiveStore} does; {@link InMemoryArchiveStore} is the reference. */
public abstract class ArchiveStoreContract {

    static final String JULIET = "juliet@example.com";
    static final String ROMEO = "romeo@example.net";
    static final String NURSE = "nurse@example.com";
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    protected ArchiveStore store;

    /** The retention delete batch of the JDBC stores under test ({@link JdbcArchiveStoreTest}). */
    static final int DELETE_BATCH = 10;

    protected abstract ArchiveStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    static ArchivedMessage message(String owner, String id, int second, String with, String clientId) {
        XmlElement stanza = XmlElement.builder("message", "jabber:client").attribute("to", with)
                .attribute("type", "chat").textChild("body", "text of " + id).build();
        return new ArchivedMessage(owner, id, T0.plusSeconds(second), second % 2 == 0 ? Direction.INCOMING : Direction.OUTGOING,
                with, clientId, stanza, false);
    }

    static ArchivedMessage message(String id, int second, String with) {
        return message(JULIET, id, second, with, "c-" + id);
    }

    /** Juliet's archive: m0..m9, one a second; even with Romeo's phone, odd with the nurse, m4 and m8 with Romeo's laptop. */
    List<ArchivedMessage> fill() {
        List<ArchivedMessage> all = IntStream.range(0, 10).mapToObj(i -> message("m" + i, i,
                i % 4 == 0 ? ROMEO + (i == 0 ? "/phone" : "/laptop") : i % 2 == 0 ? ROMEO + "/phone" : NURSE)).toList();
        all.forEach(store::append);
        return all;
    }

    static List<String> ids(Page page) {
        return page.items().stream().map(ArchivedMessage::id).toList();
    }

    static ArchiveQuery with(String with) {
        return new ArchiveQuery(with, null, null, null, null, List.of());
    }

    @Test
    void appendedMessagesComeBackAsStored() {
        List<ArchivedMessage> all = fill();
        assertThat(store.find(JULIET, "m3")).contains(all.get(3));
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(100)).items()).isEqualTo(all);
        assertThat(store.find(ROMEO, "m3")).isEmpty();
    }

    @Test
    void aDuplicateIdIsRefusedAndChangesNothing() {
        ArchivedMessage first = message("dup", 1, ROMEO);
        assertThat(store.append(first)).isTrue();
        assertThat(store.append(message("dup", 2, NURSE))).isFalse();
        assertThat(store.find(JULIET, "dup")).contains(first);
        // Ids are unique per archive, not across archives.
        assertThat(store.append(message(ROMEO, "dup", 3, JULIET, null))).isTrue();
    }

    @Test
    void aRunIsAppendedInItsOrderAndItsIdsAlreadyThereAreLeftOutOfIt() {
        ArchivedMessage before = message("m1", 1, ROMEO);
        store.append(before);
        List<ArchiveStore.Prepared> run = Stream.of(message("m2", 2, NURSE), message("m1", 3, NURSE),
                message("m3", 3, ROMEO), message("m2", 4, ROMEO), message(ROMEO, "m1", 5, JULIET, null))
                .map(store::prepare).toList();

        int[] appended = new int[1];
        boolean[] after = new boolean[1];
        store.inOneWrite(() -> {
            appended[0] = store.append(run, false);
            after[0] = store.append(message("m4", 7, NURSE)); // the duplicates failed nothing that follows them
        });

        assertThat(appended[0]).as("m2, m3 and Romeo's m1 are new; Juliet's m1 and the second m2 are not").isEqualTo(3);
        assertThat(after[0]).isTrue();
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)).items())
                .containsExactly(before, message("m2", 2, NURSE), message("m3", 3, ROMEO), message("m4", 7, NURSE));
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)).count()).isEqualTo(4);
        assertThat(store.find(ROMEO, "m1")).contains(message(ROMEO, "m1", 5, JULIET, null));
        assertThat(store.append(List.of(store.prepare(message("m3", 6, NURSE))), false)).isZero();
    }

    @Test
    void aNewMessageIsAddedAsAnAppendedOneIs() {
        store.append(message("m0", 0, ROMEO));
        store.inOneWrite(() -> {
            store.appendNew(store.prepare(message("m1", 1, NURSE)));
            store.appendNew(store.prepare(message("m2", 2, ROMEO)));
        });
        store.appendNew(store.prepare(message("m3", 3, ROMEO)));

        assertThat(ids(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10))))
                .containsExactly("m0", "m1", "m2", "m3");
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)).count()).isEqualTo(4);
        assertThat(ids(store.query(JULIET, with(ROMEO), PageRequest.first(10)))).containsExactly("m0", "m2", "m3");
        assertThat(store.find(JULIET, "m2")).contains(message("m2", 2, ROMEO));
        assertThat(store.append(message("m1", 4, NURSE))).as("its id is known afterwards").isFalse();
    }

    @Test
    void archivesAreSeparate() {
        fill();
        store.append(message(ROMEO, "r1", 1, JULIET + "/balcony", null));
        assertThat(ids(store.query(ROMEO, ArchiveQuery.ALL, PageRequest.first(100)))).containsExactly("r1");
        assertThat(store.query(NURSE, ArchiveQuery.ALL, PageRequest.first(100)))
                .isEqualTo(new Page(List.of(), true, 0));
    }

    @Test
    void aBareWithMatchesEveryResourceAndAFullWithOnlyItself() {
        fill();
        assertThat(ids(store.query(JULIET, with(ROMEO), PageRequest.first(100))))
                .containsExactly("m0", "m2", "m4", "m6", "m8");
        assertThat(ids(store.query(JULIET, with(ROMEO + "/laptop"), PageRequest.first(100))))
                .containsExactly("m4", "m8");
        assertThat(ids(store.query(JULIET, with(NURSE), PageRequest.first(100))))
                .containsExactly("m1", "m3", "m5", "m7", "m9");
        assertThat(store.query(JULIET, with(NURSE + "/kitchen"), PageRequest.first(100)).items()).isEmpty();
        assertThat(store.query(JULIET, with("tybalt@example.com"), PageRequest.first(100)).count()).isZero();
    }

    @Test
    void startAndEndAreInclusive() {
        fill();
        ArchiveQuery window = new ArchiveQuery(null, T0.plusSeconds(3), T0.plusSeconds(6), null, null, List.of());
        assertThat(ids(store.query(JULIET, window, PageRequest.first(100)))).containsExactly("m3", "m4", "m5", "m6");
        ArchiveQuery from = new ArchiveQuery(null, T0.plusSeconds(8), null, null, null, List.of());
        assertThat(ids(store.query(JULIET, from, PageRequest.first(100)))).containsExactly("m8", "m9");
        ArchiveQuery until = new ArchiveQuery(null, null, T0.plusMillis(1500), null, null, List.of());
        assertThat(ids(store.query(JULIET, until, PageRequest.first(100)))).containsExactly("m0", "m1");
    }

    @Test
    void afterIdAndBeforeIdAreExclusive() {
        fill();
        ArchiveQuery between = new ArchiveQuery(null, null, null, "m2", "m6", List.of());
        assertThat(ids(store.query(JULIET, between, PageRequest.first(100)))).containsExactly("m3", "m4", "m5");
        ArchiveQuery after = new ArchiveQuery(ROMEO, null, null, "m3", null, List.of());
        assertThat(ids(store.query(JULIET, after, PageRequest.first(100)))).containsExactly("m4", "m6", "m8");
        ArchiveQuery before = new ArchiveQuery(null, null, null, null, "m2", List.of());
        assertThat(ids(store.query(JULIET, before, PageRequest.first(100)))).containsExactly("m0", "m1");
        ArchiveQuery crossed = new ArchiveQuery(null, null, null, "m6", "m2", List.of());
        assertThat(store.query(JULIET, crossed, PageRequest.first(100))).isEqualTo(new Page(List.of(), true, 0));
    }

    @Test
    void idsSelectThoseMessagesInArchiveOrder() {
        fill();
        ArchiveQuery ids = new ArchiveQuery(null, null, null, null, null, List.of("m7", "m2", "nope", "m5"));
        Page page = store.query(JULIET, ids, PageRequest.first(100));
        assertThat(ids(page)).containsExactly("m2", "m5", "m7");
        assertThat(page.count()).isEqualTo(3);
        ArchiveQuery idsWithNurse = new ArchiveQuery(NURSE, null, null, null, null, List.of("m7", "m2", "m5"));
        assertThat(ids(store.query(JULIET, idsWithNurse, PageRequest.first(100)))).containsExactly("m5", "m7");
    }

    @Test
    void filtersCombine() {
        fill();
        ArchiveQuery query = new ArchiveQuery(ROMEO, T0.plusSeconds(1), T0.plusSeconds(8), "m2", null, List.of());
        Page page = store.query(JULIET, query, PageRequest.first(100));
        assertThat(ids(page)).containsExactly("m4", "m6", "m8");
        assertThat(page.count()).isEqualTo(3);
    }

    @Test
    void pagingForwardsWalksTheResultSetAndTellsWhenItIsComplete() {
        fill();
        Page first = store.query(JULIET, with(ROMEO), PageRequest.first(2));
        assertThat(ids(first)).containsExactly("m0", "m2");
        assertThat(first.complete()).isFalse();
        assertThat(first.count()).isEqualTo(5);
        Page second = store.query(JULIET, with(ROMEO), new PageRequest(2, "m2", null, false));
        assertThat(ids(second)).containsExactly("m4", "m6");
        assertThat(second.complete()).isFalse();
        Page third = store.query(JULIET, with(ROMEO), new PageRequest(2, "m6", null, false));
        assertThat(ids(third)).containsExactly("m8");
        assertThat(third.complete()).isTrue();
        assertThat(third.count()).isEqualTo(5);
        // Exactly filling the page is complete too.
        assertThat(store.query(JULIET, with(ROMEO), new PageRequest(3, "m2", null, false)).complete()).isTrue();
    }

    @Test
    void pagingBackwardsFromTheEndAndFromAnAnchor() {
        fill();
        Page last = store.query(JULIET, ArchiveQuery.ALL, new PageRequest(3, null, null, true));
        assertThat(ids(last)).containsExactly("m7", "m8", "m9");
        assertThat(last.complete()).isFalse();
        assertThat(last.count()).isEqualTo(10);
        Page before = store.query(JULIET, ArchiveQuery.ALL, new PageRequest(3, null, "m7", false));
        assertThat(ids(before)).containsExactly("m4", "m5", "m6");
        assertThat(before.complete()).isFalse();
        Page start = store.query(JULIET, ArchiveQuery.ALL, new PageRequest(3, null, "m3", false));
        assertThat(ids(start)).containsExactly("m0", "m1", "m2");
        assertThat(start.complete()).isTrue();
        Page nurse = store.query(JULIET, with(NURSE), new PageRequest(10, null, null, true));
        assertThat(ids(nurse)).containsExactly("m1", "m3", "m5", "m7", "m9");
        assertThat(nurse.complete()).isTrue();
    }

    @Test
    void anAnchorNeedNotMatchTheFilter() {
        fill();
        // m3 is with the nurse; Romeo's messages after it and before it.
        assertThat(ids(store.query(JULIET, with(ROMEO), new PageRequest(10, "m3", null, false))))
                .containsExactly("m4", "m6", "m8");
        assertThat(ids(store.query(JULIET, with(ROMEO), new PageRequest(10, null, "m3", false))))
                .containsExactly("m0", "m2");
    }

    @Test
    void anEmptyPageStillTellsWhetherMoreFollow() {
        fill();
        Page none = store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(0));
        assertThat(none.items()).isEmpty();
        assertThat(none.complete()).isFalse();
        assertThat(none.count()).isEqualTo(10);
        assertThat(store.query(JULIET, ArchiveQuery.ALL, new PageRequest(0, "m9", null, false)).complete()).isTrue();
        assertThat(store.query(JULIET, ArchiveQuery.ALL, new PageRequest(5, "m9", null, false)))
                .isEqualTo(new Page(List.of(), true, 10));
    }

    @Test
    void unknownIdsAreRefused() {
        fill();
        store.append(message(ROMEO, "romeos", 1, JULIET, null));
        for (ArchiveQuery query : List.of(new ArchiveQuery(null, null, null, "nope", null, List.of()),
                new ArchiveQuery(null, null, null, null, "nope", List.of()),
                new ArchiveQuery(null, null, null, "romeos", null, List.of()))) {
            assertThatThrownBy(() -> store.query(JULIET, query, PageRequest.first(10)))
                    .isInstanceOf(UnknownArchiveIdException.class);
        }
        for (PageRequest page : List.of(new PageRequest(10, "nope", null, false), new PageRequest(10, null, "nope", false),
                new PageRequest(10, "romeos", null, false))) {
            assertThatThrownBy(() -> store.query(JULIET, ArchiveQuery.ALL, page))
                    .isInstanceOf(UnknownArchiveIdException.class);
        }
        assertThatThrownBy(() -> store.query(NURSE, ArchiveQuery.ALL, new PageRequest(10, "m1", null, false)))
                .isInstanceOf(UnknownArchiveIdException.class);
    }

    @Test
    void findByClientIdFindsTheNewestInThatConversation() {
        store.append(message(JULIET, "a", 1, ROMEO + "/phone", "same"));
        store.append(message(JULIET, "b", 2, ROMEO + "/laptop", "same"));
        store.append(message(JULIET, "c", 3, NURSE, "same"));
        store.append(message(JULIET, "d", 4, ROMEO, null));
        assertThat(store.findByClientId(JULIET, ROMEO, "same")).map(ArchivedMessage::id).contains("b");
        assertThat(store.findByClientId(JULIET, NURSE, "same")).map(ArchivedMessage::id).contains("c");
        assertThat(store.findByClientId(JULIET, ROMEO + "/phone", "same")).isEmpty();
        assertThat(store.findByClientId(JULIET, ROMEO, "other")).isEmpty();
        assertThat(store.findByClientId(NURSE, JULIET, "same")).isEmpty();
    }

    @Test
    void aRetractedMessageKeepsItsIdStampAndPlace() {
        List<ArchivedMessage> all = fill();
        XmlElement tombstone = XmlElement.builder("message", "jabber:client")
                .child(XmlElement.empty("retracted", "urn:xmpp:message-retract:1")).build();
        assertThat(store.retract(JULIET, "m4", tombstone)).isTrue();
        assertThat(store.retract(JULIET, "nope", tombstone)).isFalse();
        assertThat(store.retract(ROMEO, "m4", tombstone)).isFalse();
        ArchivedMessage m4 = all.get(4);
        ArchivedMessage expected = new ArchivedMessage(JULIET, "m4", m4.stamp(), m4.direction(), m4.with(), m4.clientId(),
                tombstone, true);
        assertThat(store.find(JULIET, "m4")).contains(expected);
        assertThat(store.query(JULIET, with(ROMEO + "/laptop"), PageRequest.first(10)).items())
                .containsExactly(expected, all.get(8));
    }

    @Test
    void boundsAreTheFirstAndLastMessage() {
        assertThat(store.bounds(JULIET)).isEmpty();
        List<ArchivedMessage> all = fill();
        assertThat(store.bounds(JULIET)).contains(new ArchiveStore.Bounds(all.get(0), all.get(9)));
        store.append(message(ROMEO, "only", 1, JULIET, null));
        assertThat(store.bounds(ROMEO)).map(ArchiveStore.Bounds::last).map(ArchivedMessage::id).contains("only");
        assertThat(store.bounds(ROMEO)).map(ArchiveStore.Bounds::first).map(ArchivedMessage::id).contains("only");
    }

    @Test
    void archiveOrderIsAppendOrderNotStampOrder() {
        store.append(message("late", 9, ROMEO));
        store.append(message("early", 1, ROMEO));
        assertThat(ids(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("late", "early");
        assertThat(store.bounds(JULIET)).map(b -> b.first().id()).contains("late");
    }

    @Test
    void removeOwnerTakesTheArchiveAndThePreferences() {
        fill();
        store.append(message(ROMEO, "r1", 1, JULIET, null));
        store.savePreferences(JULIET, new ArchivePreferences(ArchivePreferences.Default.NEVER, Set.of(ROMEO), Set.of()));
        assertThat(store.removeOwner(JULIET)).isEqualTo(10);
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)).items()).isEmpty();
        assertThat(store.preferences(JULIET)).isEqualTo(ArchivePreferences.DEFAULT);
        assertThat(store.owners(null, 10)).containsExactly(ROMEO);
        assertThat(store.removeOwner(JULIET)).isZero();
    }

    @Test
    void removeBeforeRemovesOlderMessagesOfEveryOwner() {
        fill();
        store.append(message(ROMEO, "r1", 1, JULIET, null));
        store.append(message(ROMEO, "r7", 7, JULIET, null));
        assertThat(store.removeBefore(T0.plusSeconds(7))).isEqualTo(8);
        assertThat(ids(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("m7", "m8", "m9");
        assertThat(ids(store.query(ROMEO, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("r7");
        assertThat(store.removeBefore(T0.plusSeconds(100))).isEqualTo(4);
        assertThat(store.owners(null, 10)).isEmpty();
    }

    @Test
    void removeBeforeRemovesMoreThanOneBatch() {
        int many = DELETE_BATCH * 2 + 7;
        IntStream.range(0, many).forEach(i -> store.append(message("b" + i, i, ROMEO)));
        assertThat(store.removeBefore(T0.plusSeconds(many - 3))).isEqualTo(many - 3);
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)).count()).isEqualTo(3);
    }

    @Test
    void trimKeepsTheNewestMessages() {
        fill();
        assertThat(store.trim(JULIET, 4)).isEqualTo(6);
        assertThat(ids(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("m6", "m7", "m8", "m9");
        assertThat(store.trim(JULIET, 4)).isZero();
        assertThat(store.trim(JULIET, 10)).isZero();
        assertThat(store.trim(NURSE, 1)).isZero();
        assertThat(store.trim(JULIET, 0)).isEqualTo(4);
        assertThat(store.owners(null, 10)).isEmpty();
    }

    @Test
    void ownersArePagedInLexicalOrder() {
        List<String> owners = List.of("a@x", "b@x", "c@x", "d@x", "e@x");
        store.append(message("e@x", "1", 1, JULIET, null));
        store.append(message("a@x", "1", 1, JULIET, null));
        store.append(message("a@x", "2", 2, JULIET, null));
        store.append(message("c@x", "1", 1, JULIET, null));
        store.savePreferences("b@x", ArchivePreferences.DEFAULT);
        store.savePreferences("c@x", ArchivePreferences.DEFAULT);
        store.savePreferences("d@x", ArchivePreferences.DEFAULT);
        assertThat(store.owners(null, 2)).containsExactly("a@x", "b@x");
        assertThat(store.owners("b@x", 2)).containsExactly("c@x", "d@x");
        assertThat(store.owners("d@x", 2)).containsExactly("e@x");
        assertThat(store.owners("e@x", 2)).isEmpty();
        assertThat(store.owners(null, 100)).isEqualTo(owners);
    }

    @Test
    void preferencesRoundTrip() {
        assertThat(store.preferences(JULIET)).isEqualTo(ArchivePreferences.DEFAULT);
        ArchivePreferences roster = new ArchivePreferences(ArchivePreferences.Default.ROSTER,
                Set.of(ROMEO, NURSE + "/kitchen"), Set.of("tybalt@example.com"));
        store.savePreferences(JULIET, roster);
        assertThat(store.preferences(JULIET)).isEqualTo(roster);
        ArchivePreferences never = new ArchivePreferences(ArchivePreferences.Default.NEVER, Set.of(), Set.of());
        store.savePreferences(JULIET, never);
        assertThat(store.preferences(JULIET)).isEqualTo(never);
        assertThat(store.preferences(ROMEO)).isEqualTo(ArchivePreferences.DEFAULT);
    }
}
