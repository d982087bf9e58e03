package io.aviary.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;

/** The standalone registry: a map per account, updated atomically per account. */
public final class InMemorySessionRegistry implements SessionRegistry {

    private final Map<EntityBareJid, Map<Resourcepart, SessionEntry>> accounts = new ConcurrentHashMap<>();
    private final Map<EntityFullJid, Set<String>> directedPresence = new ConcurrentHashMap<>();

    @Override
    public Optional<SessionEntry> bind(SessionEntry entry) {
        SessionEntry[] displaced = new SessionEntry[1];
        accounts.compute(entry.jid().asEntityBareJid(), (account, resources) -> {
            Map<Resourcepart, SessionEntry> updated = resources == null ? new ConcurrentHashMap<>() : resources;
            SessionEntry previous = updated.put(entry.jid().getResourcepart(), entry);
            if (previous != null && !previous.sameConnection(entry)) {
                displaced[0] = previous;
            }
            return updated;
        });
        return Optional.ofNullable(displaced[0]);
    }

    @Override
    public boolean unbind(EntityFullJid jid, String connectionId) {
        boolean[] removed = new boolean[1];
        accounts.computeIfPresent(jid.asEntityBareJid(), (account, resources) -> {
            SessionEntry current = resources.get(jid.getResourcepart());
            if (current != null && current.connectionId().equals(connectionId)) {
                resources.remove(jid.getResourcepart());
                removed[0] = true;
            }
            return resources.isEmpty() ? null : resources;
        });
        return removed[0];
    }

    @Override
    public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
        updateOwned(jid, connectionId, entry -> entry.withPresence(priority, available));
    }

    @Override
    public void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled) {
        updateOwned(jid, connectionId, entry -> entry.withCarbons(enabled));
    }

    @Override
    public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
        updateOwned(jid, connectionId, entry -> entry.withResumption(resumptionId));
    }

    @Override
    public boolean hibernate(EntityFullJid jid, String connectionId) {
        return updateOwned(jid, connectionId, entry -> entry.withHibernated(true));
    }

    @Override
    public Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId, String connectionId) {
        SessionEntry[] before = new SessionEntry[1];
        accounts.computeIfPresent(jid.asEntityBareJid(), (account, resources) -> {
            resources.computeIfPresent(jid.getResourcepart(), (resource, current) -> {
                if (!resumptionId.equals(current.resumption())) {
                    return current;
                }
                before[0] = current;
                return current.movedTo(gatewayId, connectionId);
            });
            return resources;
        });
        return Optional.ofNullable(before[0]);
    }

    @Override
    public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
        // Under the account's lock, so it cannot interleave with the unbind and take of the session's end.
        accounts.computeIfPresent(jid.asEntityBareJid(), (account, resources) -> {
            SessionEntry current = resources.get(jid.getResourcepart());
            if (current != null && current.connectionId().equals(connectionId)) {
                if (available) {
                    directedPresence.computeIfAbsent(jid, j -> ConcurrentHashMap.newKeySet()).add(target);
                } else {
                    directedPresence.computeIfPresent(jid, (j, targets) -> {
                        targets.remove(target);
                        return targets.isEmpty() ? null : targets;
                    });
                }
            }
            return resources;
        });
    }

    @Override
    public Set<String> takeDirectedPresence(EntityFullJid jid) {
        Set<String> targets = directedPresence.remove(jid);
        return targets == null ? Set.of() : Set.copyOf(targets);
    }

    /** Applies {@code change} if {@code connectionId} still owns {@code jid}; whether it did. */
    private boolean updateOwned(EntityFullJid jid, String connectionId, UnaryOperator<SessionEntry> change) {
        boolean[] updated = new boolean[1];
        accounts.computeIfPresent(jid.asEntityBareJid(), (account, resources) -> {
            resources.computeIfPresent(jid.getResourcepart(), (resource, current) -> {
                if (!current.connectionId().equals(connectionId)) {
                    return current;
                }
                updated[0] = true;
                return change.apply(current);
            });
            return resources;
        });
        return updated[0];
    }

    @Override
    public Optional<SessionEntry> session(EntityFullJid jid) {
        Map<Resourcepart, SessionEntry> resources = accounts.get(jid.asEntityBareJid());
        return resources == null ? Optional.empty() : Optional.ofNullable(resources.get(jid.getResourcepart()));
    }

    @Override
    public List<SessionEntry> sessions(EntityBareJid account) {
        Map<Resourcepart, SessionEntry> resources = accounts.get(account);
        return resources == null ? List.of() : List.copyOf(resources.values());
    }

    @Override
    public Set<EntityFullJid> sessionsOf(String gatewayId) {
        return accounts.values().stream()
                .flatMap(resources -> resources.values().stream())
                .filter(entry -> entry.gatewayId().equals(gatewayId))
                .map(SessionEntry::jid)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Set<String> gateways() {
        return accounts.values().stream().flatMap(resources -> resources.values().stream())
                .map(SessionEntry::gatewayId).collect(Collectors.toUnmodifiableSet());
    }
}
