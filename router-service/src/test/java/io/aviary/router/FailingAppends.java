package io.aviary.router;

import io.aviary.session.resumption.ForwardingResumptionStore;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.xml.XmlElement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resumption store whose next appends fail as a Redis command that timed out would (the store under test is not
 * this, but the router's answer to such a failure); everything else goes to the real store it wraps.
 */
final class FailingAppends extends ForwardingResumptionStore {

    private final AtomicInteger failures = new AtomicInteger();

    FailingAppends(ResumptionStore store) {
        super(store);
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
        return super.append(id, stanza);
    }

    @Override
    public CompletableFuture<Long> appendLater(String id, XmlElement stanza) {
        return fails() ? CompletableFuture.failedFuture(failure()) : super.appendLater(id, stanza);
    }
}
