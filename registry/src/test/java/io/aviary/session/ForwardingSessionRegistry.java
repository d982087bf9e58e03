package io.aviary.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/** Passes everything on, the writes answered later as such; tests override a call to interleave other work with it. */
public class ForwardingSessionRegistry implements SessionRegistry {
    private final SessionRegistry delegate;

    public ForwardingSessionRegistry(SessionRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<SessionEntry> bind(SessionEntry entry) {
        return delegate.bind(entry);
    }

    @Override
    public boolean unbind(EntityFullJid jid, String connectionId) {
        return delegate.unbind(jid, connectionId);
    }

    @Override
    public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
        delegate.updatePresence(jid, connectionId, priority, available);
    }

    @Override
    public void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled) {
        delegate.updateCarbons(jid, connectionId, enabled);
    }

    @Override
    public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
        delegate.markResumable(jid, connectionId, resumptionId);
    }

    @Override
    public boolean hibernate(EntityFullJid jid, String connectionId) {
        return delegate.hibernate(jid, connectionId);
    }

    @Override
    public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
        delegate.directedPresence(jid, connectionId, target, available);
    }

    @Override
    public Set<String> takeDirectedPresence(EntityFullJid jid) {
        return delegate.takeDirectedPresence(jid);
    }

    @Override
    public Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId,
            String connectionId) {
        return delegate.resume(jid, resumptionId, gatewayId, connectionId);
    }

    @Override
    public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                       boolean available) {
        return delegate.updatePresenceLater(jid, connectionId, priority, available);
    }

    @Override
    public CompletableFuture<Void> updateCarbonsLater(EntityFullJid jid, String connectionId, boolean enabled) {
        return delegate.updateCarbonsLater(jid, connectionId, enabled);
    }

    @Override
    public CompletableFuture<Void> markResumableLater(EntityFullJid jid, String connectionId, String resumptionId) {
        return delegate.markResumableLater(jid, connectionId, resumptionId);
    }

    @Override
    public CompletableFuture<Void> directedPresenceLater(EntityFullJid jid, String connectionId, String target,
                                                         boolean available) {
        return delegate.directedPresenceLater(jid, connectionId, target, available);
    }

    @Override
    public CompletableFuture<Set<String>> takeDirectedPresenceLater(EntityFullJid jid) {
        return delegate.takeDirectedPresenceLater(jid);
    }

    @Override
    public Optional<SessionEntry> session(EntityFullJid jid) {
        return delegate.session(jid);
    }

    @Override
    public List<SessionEntry> sessions(EntityBareJid account) {
        return delegate.sessions(account);
    }

    @Override
    public Set<EntityFullJid> sessionsOf(String gatewayId) {
        return delegate.sessionsOf(gatewayId);
    }

    @Override
    public Set<String> gateways() {
        return delegate.gateways();
    }
}
