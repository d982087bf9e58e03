package io.aviary.xep0357;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Registrations in memory, for a server without a database and for tests: lost at restart. */
public final class InMemoryPushRegistrationStore implements PushRegistrationStore {

    private final Map<String, List<PushRegistration>> byOwner = new ConcurrentHashMap<>();

    @Override
    public void enable(PushRegistration registration) {
        byOwner.compute(registration.owner(), (owner, current) -> {
            List<PushRegistration> next = new ArrayList<>(current == null ? List.of() : current);
            next.removeIf(registration::sameTarget);
            next.add(registration);
            return List.copyOf(next);
        });
    }

    @Override
    public List<PushRegistration> registrations(String owner) {
        return byOwner.getOrDefault(owner, List.of());
    }

    @Override
    public void disable(String owner, String service, String node) {
        byOwner.computeIfPresent(owner, (o, current) -> {
            List<PushRegistration> next = current.stream()
                    .filter(r -> !(r.service().equals(service) && (node == null || r.node().equals(node)))).toList();
            return next.isEmpty() ? null : next;
        });
    }

    @Override
    public void removeAll(String owner) {
        byOwner.remove(owner);
    }
}
