package io.aviary.presence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/** {@link PresenceStore} in maps, updated atomically per account. */
public final class InMemoryPresenceStore implements PresenceStore {

    private final Map<EntityBareJid, Map<EntityFullJid, ResourcePresence>> accounts = new ConcurrentHashMap<>();

    @Override
    public Optional<ResourcePresence> available(ResourcePresence presence) {
        ResourcePresence[] previous = new ResourcePresence[1];
        accounts.compute(presence.resource().asEntityBareJid(), (account, resources) -> {
            Map<EntityFullJid, ResourcePresence> updated = resources == null ? new ConcurrentHashMap<>() : resources;
            previous[0] = updated.put(presence.resource(), presence);
            return updated;
        });
        return Optional.ofNullable(previous[0]);
    }

    @Override
    public Optional<ResourcePresence> unavailable(EntityFullJid resource) {
        ResourcePresence[] previous = new ResourcePresence[1];
        accounts.computeIfPresent(resource.asEntityBareJid(), (account, resources) -> {
            previous[0] = resources.remove(resource);
            return resources.isEmpty() ? null : resources;
        });
        return Optional.ofNullable(previous[0]);
    }

    @Override
    public List<ResourcePresence> resources(EntityBareJid account) {
        Map<EntityFullJid, ResourcePresence> resources = accounts.get(account);
        return resources == null ? List.of() : List.copyOf(resources.values());
    }
}
