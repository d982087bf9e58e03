package io.aviary.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;

/** The standalone registry: a map per account, updated atomically per account. */
public final class InMemorySessionRegistry implements SessionRegistry {

    private final Map<EntityBareJid, Map<Resourcepart, SessionEntry>> accounts = new ConcurrentHashMap<>();

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
        accounts.computeIfPresent(jid.asEntityBareJid(), (account, resources) -> {
            resources.computeIfPresent(jid.getResourcepart(), (resource, current) ->
                    current.connectionId().equals(connectionId) ? current.withPresence(priority, available) : current);
            return resources;
        });
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
}
