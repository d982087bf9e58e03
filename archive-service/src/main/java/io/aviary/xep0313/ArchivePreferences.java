package io.aviary.xep0313;

import java.util.Set;

/**
 * XEP-0313 §5 preferences: which messages the owner's archive keeps. {@link #always} and {@link #never} hold bare JIDs
 * (and may hold full JIDs, matched exactly); {@code never} wins over {@code always}, and both over the default.
 */
public record ArchivePreferences(Default defaultPolicy, Set<String> always, Set<String> never) {

    public enum Default {
        /** Every message. */
        ALWAYS,
        /** None but those with a JID in {@link #always}. */
        NEVER,
        /** Those with a JID in the owner's roster. */
        ROSTER
    }

    /** What an owner who never set preferences has: everything archived. */
    public static final ArchivePreferences DEFAULT = new ArchivePreferences(Default.ALWAYS, Set.of(), Set.of());

    public ArchivePreferences {
        always = Set.copyOf(always);
        never = Set.copyOf(never);
    }
}
