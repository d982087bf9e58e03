package io.aviary.xep0313;

import java.util.Set;

/**
 * Applies an owner's XEP-0441 preferences to one message: a JID in {@code never} is never archived, one in
 * {@code always} always (never wins over always), and the rest follow the default: always, never, or roster (archived
 * when the other party's bare JID is in the owner's roster). A bare JID in a list matches the bare JID and every
 * full JID of it; a full JID only itself.
 */
public final class ArchivingPolicy {

    private final RosterMembership roster;

    public ArchivingPolicy(RosterMembership roster) {
        this.roster = roster;
    }

    /**
     * @param owner the archive owner's bare JID
     * @param with  the other party's JID, full when the message gave a resource
     */
    public boolean archives(String owner, ArchivePreferences preferences, String with) {
        String withBare = bare(with);
        if (listed(preferences.never(), with, withBare)) {
            return false;
        }
        if (listed(preferences.always(), with, withBare)) {
            return true;
        }
        return switch (preferences.defaultPolicy()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ROSTER -> roster.inRoster(owner, withBare);
        };
    }

    private static boolean listed(Set<String> jids, String with, String withBare) {
        return jids.contains(withBare) || jids.contains(with);
    }

    static String bare(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }
}
