package io.aviary.roster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/** {@link RosterInterest} in a map of sets; an account without interested resources takes no space. */
public final class InMemoryRosterInterest implements RosterInterest {

    private final Map<EntityBareJid, Set<EntityFullJid>> interested = new ConcurrentHashMap<>();

    @Override
    public void interested(EntityFullJid resource) {
        interested.computeIfAbsent(resource.asEntityBareJid(), a -> ConcurrentHashMap.newKeySet()).add(resource);
    }

    @Override
    public void notInterested(EntityFullJid resource) {
        interested.computeIfPresent(resource.asEntityBareJid(), (account, resources) -> {
            resources.remove(resource);
            return resources.isEmpty() ? null : resources;
        });
    }

    @Override
    public Set<EntityFullJid> resources(EntityBareJid account) {
        return Set.copyOf(interested.getOrDefault(account, Set.of()));
    }
}
