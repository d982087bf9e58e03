package io.aviary.session.resumption;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link ResumptionStore} must do; each implementation runs it (style.md, point 7). */
public abstract class ResumptionStoreContract {

    protected abstract ResumptionStore store();

    private static ResumableSession session(String id, int maxQueue) throws Exception {
        return new ResumableSession(id, JidCreate.entityFullFrom("juliet@example.com/balcony"), "gw1", "c1",
                Duration.ofMinutes(10), maxQueue);
    }

    private static XmlElement message(String body) {
        return XmlElement.builder("message", "jabber:client").attribute("to", "juliet@example.com/balcony")
                .attribute("from", "romeo@example.com/orchard").attribute("type", "chat")
                .textChild("body", body).build();
    }

    private static List<Long> positions(List<QueuedStanza> queued) {
        return queued.stream().map(QueuedStanza::position).toList();
    }

    @Test
    void positionsIncreaseByOneAndAfterListsTheQueueInOrder() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        assertThat(store.append("sm-1", message("one"))).isEqualTo(1);
        assertThat(store.append("sm-1", message("two & <three>"))).isEqualTo(2);
        assertThat(store.append("sm-1", message("three"))).isEqualTo(3);

        assertThat(store.after("sm-1", 0)).containsExactly(new QueuedStanza(1, message("one")),
                new QueuedStanza(2, message("two & <three>")), new QueuedStanza(3, message("three")));
        assertThat(positions(store.after("sm-1", 1))).containsExactly(2L, 3L);
        assertThat(store.after("sm-1", 3)).isEmpty();
        assertThat(store.state("sm-1")).get().extracting(ResumptionState::lastPosition).isEqualTo(3L);
    }

    @Test
    void anAcknowledgementDropsEverythingUpToItsPositionAndIsRecordedOnlyForward() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        for (int i = 0; i < 5; i++) {
            store.append("sm-1", message("m" + i));
        }
        store.discard("sm-1", 2);
        store.acknowledge("sm-1", 2, 3);
        assertThat(positions(store.after("sm-1", 0))).containsExactly(4L, 5L);
        // A late acknowledgement of fewer stanzas changes neither the queue nor the recorded (h, position).
        store.acknowledge("sm-1", 1, 1);
        assertThat(store.state("sm-1")).get()
                .extracting(ResumptionState::acknowledgedH, ResumptionState::acknowledgedAt).containsExactly(2L, 3L);
        assertThat(positions(store.after("sm-1", 0))).containsExactly(4L, 5L);
    }

    @Test
    void appendsAnsweredLaterKeepTheirCallOrder() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 3));
        List<CompletableFuture<Long>> later = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            later.add(store.appendLater("sm-1", message("m" + i)));
        }
        assertThat(later.stream().map(CompletableFuture::join)).containsExactly(1L, 2L, 3L, ResumptionStore.FULL);
        assertThat(positions(store.after("sm-1", 0))).containsExactly(1L, 2L, 3L);
        assertThat(store.appendLater("nope", message("x")).join()).isEqualTo(ResumptionStore.UNKNOWN);
    }

    @Test
    void aSessionOpenedLaterTakesTheAppendsSentAfterItWithoutWaiting() throws Exception {
        ResumptionStore store = store();
        CompletableFuture<Void> opened = store.openLater(session("sm-1", 10));
        CompletableFuture<Long> first = store.appendLater("sm-1", message("one"));

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(opened).isCompleted();
        assertThat(store.state("sm-1")).get().extracting(ResumptionState::lastPosition).isEqualTo(1L);
    }

    @Test
    void aDiscardedStanzaLeavesTheQueueAndPositionsGoOn() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        store.append("sm-1", message("one"));
        store.append("sm-1", message("two"));
        store.append("sm-1", message("three"));
        store.discard("sm-1", 2);
        assertThat(positions(store.after("sm-1", 0))).containsExactly(1L, 3L);
        assertThat(store.append("sm-1", message("four"))).isEqualTo(4);
    }

    @Test
    void aFullQueueRefusesUntilAnAcknowledgementMakesRoom() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 2));
        assertThat(store.append("sm-1", message("one"))).isEqualTo(1);
        assertThat(store.append("sm-1", message("two"))).isEqualTo(2);
        assertThat(store.append("sm-1", message("three"))).isEqualTo(ResumptionStore.FULL);
        assertThat(positions(store.after("sm-1", 0))).containsExactly(1L, 2L);
        store.acknowledge("sm-1", 1, 1);
        assertThat(store.append("sm-1", message("three"))).isEqualTo(3);
    }

    @Test
    void handledCountsAreKeptAndOnlyMoveForward() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        for (long inbound = 1; inbound <= 7; inbound++) {
            store.handled("sm-1", inbound);
        }
        assertThat(store.state("sm-1")).get().extracting(ResumptionState::inbound).isEqualTo(7L);
        // A write that arrives late (they are not waited for) does not take the count back.
        store.handled("sm-1", 3);
        assertThat(store.state("sm-1")).get().extracting(ResumptionState::inbound).isEqualTo(7L);
    }

    @Test
    void aClaimMovesTheSessionToTheNewConnection() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        store.append("sm-1", message("one"));
        assertThat(store.hibernate("sm-1", "elsewhere", Instant.now().plusSeconds(60))).isFalse();
        assertThat(store.hibernate("sm-1", "c1", Instant.now().plusSeconds(60))).isTrue();
        assertThat(store.state("sm-1")).get().extracting(ResumptionState::hibernatedUntil).isNotNull();

        ResumptionState claimed = store.claim("sm-1", "gw2", "c2").orElseThrow();
        assertThat(claimed.previousGateway()).isEqualTo("gw1");
        assertThat(claimed.hibernatedUntil()).isNull();
        assertThat(claimed.lastPosition()).isEqualTo(1);
        assertThat(claimed.session()).extracting(ResumableSession::gatewayId, ResumableSession::connectionId,
                ResumableSession::jid).containsExactly("gw2", "c2", JidCreate.entityFullFrom("juliet@example.com/balcony"));
        // The old connection noticing its loss late must not hibernate the resumed session.
        assertThat(store.hibernate("sm-1", "c1", Instant.now().plusSeconds(60))).isFalse();
        assertThat(store.state("sm-1")).get().extracting(s -> s.session().connectionId(), ResumptionState::previousGateway)
                .containsExactly("c2", null);
        assertThat(positions(store.after("sm-1", 0))).containsExactly(1L);
    }

    @Test
    void anExpiredSessionCannotBeClaimed() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        store.hibernate("sm-1", "c1", Instant.now().minusMillis(1));
        assertThat(store.claim("sm-1", "gw2", "c2")).isEmpty();
        assertThat(store.expired(Instant.now(), 10)).extracting(ResumptionState::id).containsExactly("sm-1");
        assertThat(store.claim("sm-1", "gw2", "c2")).isEmpty();
        // Handed out once: neither a new hibernation nor a later reaper gets it again.
        assertThat(store.hibernate("sm-1", "c1", Instant.now().minusMillis(1))).isFalse();
        assertThat(store.expired(Instant.now(), 10)).isEmpty();
    }

    @Test
    void eachExpiredSessionIsHandedOutOnceEvenToConcurrentCallers() throws Exception {
        ResumptionStore store = store();
        Instant now = Instant.now();
        for (int i = 0; i < 40; i++) {
            store.open(session("sm-" + i, 10));
            store.hibernate("sm-" + i, "c1", now.minusSeconds(1));
        }
        store.open(session("later", 10));
        store.hibernate("later", "c1", now.plusSeconds(60));
        store.open(session("connected", 10));

        assertThat(store.expired(now, 3)).hasSize(3);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<List<String>>> callers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            callers.add(CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<ResumptionState> batch;
                while (!(batch = store.expired(now, 2)).isEmpty()) {
                    batch.forEach(state -> ids.add(state.id()));
                }
                return ids;
            }));
        }
        go.countDown();
        List<String> all = new ArrayList<>();
        for (CompletableFuture<List<String>> caller : callers) {
            all.addAll(caller.get(30, TimeUnit.SECONDS));
        }
        assertThat(all).hasSize(37).doesNotHaveDuplicates().doesNotContain("later", "connected");
        assertThat(store.expired(now.plusSeconds(120), 10)).extracting(ResumptionState::id).containsExactly("later");
    }

    @Test
    void anExpiredSessionKeepsItsQueueForTheReaperUntilClosed() throws Exception {
        ResumptionStore store = store();
        store.open(session("sm-1", 10));
        store.append("sm-1", message("one"));
        store.hibernate("sm-1", "c1", Instant.now().minusMillis(1));
        ResumptionState expired = store.expired(Instant.now(), 10).get(0);
        assertThat(expired.session().connectionId()).isEqualTo("c1");
        assertThat(expired.hibernatedUntil()).isNotNull();
        assertThat(store.after("sm-1", expired.acknowledgedAt())).containsExactly(new QueuedStanza(1, message("one")));

        store.close("sm-1");
        assertThat(store.state("sm-1")).isEmpty();
        assertThat(store.after("sm-1", 0)).isEmpty();
        assertThat(store.append("sm-1", message("two"))).isEqualTo(ResumptionStore.UNKNOWN);
        assertThat(store.claim("sm-1", "gw2", "c2")).isEmpty();
    }

    @Test
    void unknownSessionsAreReportedAndNeverCreated() throws Exception {
        ResumptionStore store = store();
        assertThat(store.append("nope", message("one"))).isEqualTo(ResumptionStore.UNKNOWN);
        assertThat(store.after("nope", 0)).isEmpty();
        store.acknowledge("nope", 1, 1);
        store.discard("nope", 1);
        store.handled("nope", 1);
        assertThat(store.hibernate("nope", "c1", Instant.now().minusMillis(1))).isFalse();
        assertThat(store.claim("nope", "gw2", "c2")).isEmpty();
        assertThat(store.state("nope")).isEmpty();
        assertThat(store.expired(Instant.now(), 10)).isEmpty();
        store.close("nope");
    }
}
