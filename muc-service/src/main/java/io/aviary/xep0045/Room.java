package io.aviary.xep0045;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * A room's lasting state: its configuration, its affiliations (users with {@link Affiliation#NONE} are absent), its
 * subject, and whether it is still locked awaiting its owner's configuration (§10.1.2: a new reserved room admits
 * no one else until configured). Occupants and history are kept apart ({@link RoomStore}), since they change far
 * more often.
 */
public record Room(EntityBareJid jid, RoomConfig config, Map<BareJid, AffiliationEntry> affiliations,
                   Subject subject, boolean locked, Instant created) {

    public Room {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(created, "created");
        affiliations = Map.copyOf(affiliations);
    }

    /** The affiliation of the user (any JID of the account), {@link Affiliation#NONE} when none is recorded. */
    public Affiliation affiliationOf(Jid user) {
        AffiliationEntry entry = affiliations.get(user.asBareJid());
        return entry == null ? Affiliation.NONE : entry.affiliation();
    }

    public Room withConfig(RoomConfig newConfig) {
        return new Room(jid, newConfig, affiliations, subject, locked, created);
    }

    public Room withSubject(Subject newSubject) {
        return new Room(jid, config, affiliations, newSubject, locked, created);
    }

    public Room unlocked() {
        return new Room(jid, config, affiliations, subject, false, created);
    }

    /** This room with the user's affiliation set; {@link Affiliation#NONE} removes the entry. */
    public Room withAffiliation(AffiliationEntry entry) {
        Map<BareJid, AffiliationEntry> changed = new HashMap<>(affiliations);
        if (entry.affiliation() == Affiliation.NONE) {
            changed.remove(entry.user());
        } else {
            changed.put(entry.user(), entry);
        }
        return new Room(jid, config, changed, subject, locked, created);
    }
}
