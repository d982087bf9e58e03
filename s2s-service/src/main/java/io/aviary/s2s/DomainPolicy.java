package io.aviary.s2s;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Which remote domains this server federates with ({@code aviary.s2s.allow} / {@code deny}): deny wins; a non-empty allow list is exclusive. */
public final class DomainPolicy {

    private final Set<String> allow;
    private final Set<String> deny;

    public DomainPolicy(List<String> allow, List<String> deny) {
        this.allow = normalise(allow);
        this.deny = normalise(deny);
    }

    private static Set<String> normalise(List<String> domains) {
        return domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public boolean allows(String domain) {
        String normalised = domain.toLowerCase(Locale.ROOT);
        return !deny.contains(normalised) && (allow.isEmpty() || allow.contains(normalised));
    }
}
