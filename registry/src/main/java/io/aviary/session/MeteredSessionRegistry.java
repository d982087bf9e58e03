package io.aviary.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Counts the registry's failures ({@code xmpp.registry.errors}, by operation): a remote registry that fails
 * (Redis down, timeouts) shows up in metrics before users notice lost routes. Failures are rethrown unchanged.
 */
public final class MeteredSessionRegistry implements SessionRegistry {

    private final SessionRegistry registry;
    private final MeterRegistry meters;

    public MeteredSessionRegistry(SessionRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.meters = meters;
    }

    @Override
    public Optional<SessionEntry> bind(SessionEntry entry) {
        return counted("bind", () -> registry.bind(entry));
    }

    @Override
    public boolean unbind(EntityFullJid jid, String connectionId) {
        return counted("unbind", () -> registry.unbind(jid, connectionId));
    }

    @Override
    public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
        counted("update-presence", () -> {
            registry.updatePresence(jid, connectionId, priority, available);
            return null;
        });
    }

    @Override
    public void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled) {
        counted("update-carbons", () -> {
            registry.updateCarbons(jid, connectionId, enabled);
            return null;
        });
    }

    @Override
    public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
        counted("mark-resumable", () -> {
            registry.markResumable(jid, connectionId, resumptionId);
            return null;
        });
    }

    @Override
    public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
        counted("directed-presence", () -> {
            registry.directedPresence(jid, connectionId, target, available);
            return null;
        });
    }

    @Override
    public Set<String> takeDirectedPresence(EntityFullJid jid) {
        return counted("take-directed-presence", () -> registry.takeDirectedPresence(jid));
    }

    @Override
    public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                       boolean available) {
        return countedLater("update-presence",
                () -> registry.updatePresenceLater(jid, connectionId, priority, available));
    }

    @Override
    public CompletableFuture<Void> updateCarbonsLater(EntityFullJid jid, String connectionId, boolean enabled) {
        return countedLater("update-carbons", () -> registry.updateCarbonsLater(jid, connectionId, enabled));
    }

    @Override
    public CompletableFuture<Void> markResumableLater(EntityFullJid jid, String connectionId, String resumptionId) {
        return countedLater("mark-resumable", () -> registry.markResumableLater(jid, connectionId, resumptionId));
    }

    @Override
    public CompletableFuture<Void> directedPresenceLater(EntityFullJid jid, String connectionId, String target,
                                                         boolean available) {
        return countedLater("directed-presence",
                () -> registry.directedPresenceLater(jid, connectionId, target, available));
    }

    @Override
    public CompletableFuture<Set<String>> takeDirectedPresenceLater(EntityFullJid jid) {
        return countedLater("take-directed-presence", () -> registry.takeDirectedPresenceLater(jid));
    }

    @Override
    public boolean hibernate(EntityFullJid jid, String connectionId) {
        return counted("hibernate", () -> registry.hibernate(jid, connectionId));
    }

    @Override
    public Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId, String connectionId) {
        return counted("resume", () -> registry.resume(jid, resumptionId, gatewayId, connectionId));
    }

    @Override
    public Optional<SessionEntry> session(EntityFullJid jid) {
        return counted("session", () -> registry.session(jid));
    }

    @Override
    public List<SessionEntry> sessions(EntityBareJid account) {
        return counted("sessions", () -> registry.sessions(account));
    }

    @Override
    public Set<EntityFullJid> sessionsOf(String gatewayId) {
        return counted("sessions-of", () -> registry.sessionsOf(gatewayId));
    }

    @Override
    public Set<String> gateways() {
        return counted("gateways", () -> registry.gateways());
    }

    private <T> T counted(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            failed(operation);
            throw e;
        }
    }

    private <T> CompletableFuture<T> countedLater(String operation, Supplier<CompletableFuture<T>> call) {
        return counted(operation, call).whenComplete((result, failure) -> {
            if (failure != null) {
                failed(operation);
            }
        });
    }

    private void failed(String operation) {
        Counter.builder("xmpp.registry.errors").description("Failed session registry operations")
                .tag("operation", operation).register(meters).increment();
    }
}
