package io.aviary.session.resumption;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A resumption store that hands every call to another: tests of the gateway and the router extend it to change how
 * appends are answered (late, failing) while everything else is the real store's.
 */
public class ForwardingResumptionStore implements ResumptionStore {

    private final ResumptionStore store;

    public ForwardingResumptionStore(ResumptionStore store) {
        this.store = store;
    }

    @Override
    public void open(ResumableSession session) {
        store.open(session);
    }

    @Override
    public long append(String id, XmlElement stanza) {
        return store.append(id, stanza);
    }

    @Override
    public CompletableFuture<Void> openLater(ResumableSession session) {
        return store.openLater(session);
    }

    @Override
    public CompletableFuture<Long> appendLater(String id, XmlElement stanza) {
        return store.appendLater(id, stanza);
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
