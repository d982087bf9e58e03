package io.aviary.router;

import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionState;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resumption store whose next appends fail as a Redis command that timed out would (the store under test is not
 * this, but the router's answer to such a failure); everything else goes to the real store it wraps.
 */
final class FailingAppends implements ResumptionStore {

    private final ResumptionStore store;
    private final AtomicInteger failures = new AtomicInteger();

    FailingAppends(ResumptionStore store) {
        this.store = store;
    }

    void failNext(int appends) {
        failures.set(appends);
    }

    private boolean fails() {
        return failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static IllegalStateException failure() {
        return new IllegalStateException("append timed out (injected)");
    }

    @Override
    public long append(String id, XmlElement stanza) {
        if (fails()) {
            throw failure();
        }
        return store.append(id, stanza);
    }

    @Override
    public CompletableFuture<Long> appendLater(String id, XmlElement stanza) {
        return fails() ? CompletableFuture.failedFuture(failure()) : store.appendLater(id, stanza);
    }

    @Override
    public void open(ResumableSession session) {
        store.open(session);
    }

    @Override
    public List<QueuedStanza> after(String id, long position) {
        return store.after(id, position);
    }

    @Override
    public void acknowledge(String id, long h, long position) {
        store.acknowledge(id, h, position);
    }

    @Override
    public void discard(String id, long position) {
        store.discard(id, position);
    }

    @Override
    public void handled(String id, long inbound) {
        store.handled(id, inbound);
    }

    @Override
    public Optional<ResumptionState> state(String id) {
        return store.state(id);
    }

    @Override
    public boolean hibernate(String id, String connectionId, Instant until) {
        return store.hibernate(id, connectionId, until);
    }

    @Override
    public Optional<ResumptionState> claim(String id, String gatewayId, String connectionId) {
        return store.claim(id, gatewayId, connectionId);
    }

    @Override
    public List<ResumptionState> expired(Instant now, int max) {
        return store.expired(now, max);
    }

    @Override
    public void close(String id) {
        store.close(id);
    }
}
