package io.aviary.xep0045;

import io.aviary.xmpp.stanza.StanzaErrorCondition;

/**
 * Who may change whose role or affiliation (XEP-0045 §8, §9, §10): each check gives null when allowed, otherwise
 * the error condition to answer. A user with no right to the operation at all gets {@code forbidden}; one who has it
 * but aims at someone protected from them gets {@code not-allowed}.
 */
public final class Privileges {

    private Privileges() {
    }

    /**
     * A role change by nick: kicking (§8.2) and voice (§8.3-8.4) are moderators'; granting and revoking moderator
     * status (§9.6-9.7) are admins' and owners'. An admin or owner target is protected from anyone whose affiliation
     * is not stronger (§8.2: a moderator "MUST NOT" kick an admin or owner; an owner may act on an admin).
     */
    public static StanzaErrorCondition roleChange(Affiliation actorAffiliation, Role actorRole,
                                                  Affiliation targetAffiliation, Role targetRole, Role newRole) {
        if (actorRole != Role.MODERATOR) {
            return StanzaErrorCondition.FORBIDDEN;
        }
        boolean moderatorChange = newRole == Role.MODERATOR || targetRole == Role.MODERATOR && newRole != Role.NONE;
        if (moderatorChange && !atLeast(actorAffiliation, Affiliation.ADMIN)) {
            return StanzaErrorCondition.FORBIDDEN;
        }
        if (protectedFrom(targetAffiliation, actorAffiliation)) {
            return StanzaErrorCondition.NOT_ALLOWED;
        }
        return null;
    }

    /**
     * An affiliation change by JID: member, outcast and none are admins' (§9.1-9.4), admin and owner are owners'
     * (§10.3-10.7), and only an owner may change the affiliation of an admin or owner.
     */
    public static StanzaErrorCondition affiliationChange(Affiliation actor, Affiliation targetCurrent,
                                                         Affiliation newAffiliation) {
        if (!atLeast(actor, Affiliation.ADMIN)) {
            return StanzaErrorCondition.FORBIDDEN;
        }
        if ((newAffiliation == Affiliation.ADMIN || newAffiliation == Affiliation.OWNER) && actor != Affiliation.OWNER) {
            return StanzaErrorCondition.FORBIDDEN;
        }
        if ((targetCurrent == Affiliation.ADMIN || targetCurrent == Affiliation.OWNER) && actor != Affiliation.OWNER) {
            return StanzaErrorCondition.NOT_ALLOWED;
        }
        return null;
    }

    /**
     * Who may read an affiliation list: admins and owners (§9.5 outcasts, §9.8 members; the owner and admin lists
     * of §10.5 and §10.8 too, as Prosody and ejabberd allow, since admins see who may act on them).
     */
    public static StanzaErrorCondition affiliationList(Affiliation actor) {
        return atLeast(actor, Affiliation.ADMIN) ? null : StanzaErrorCondition.FORBIDDEN;
    }

    /** Who may read a role list (§8.5 voice list, §9.9 moderator list): moderators. */
    public static StanzaErrorCondition roleList(Role actor) {
        return actor == Role.MODERATOR ? null : StanzaErrorCondition.FORBIDDEN;
    }

    /** The role an occupant with this affiliation gets on entering (§5.1.2: the default roles). */
    public static Role defaultRole(Affiliation affiliation, boolean moderated) {
        return switch (affiliation) {
            case OWNER, ADMIN -> Role.MODERATOR;
            case MEMBER -> Role.PARTICIPANT;
            case NONE -> moderated ? Role.VISITOR : Role.PARTICIPANT;
            case OUTCAST -> Role.NONE;
        };
    }

    /** Whether {@code affiliation} is {@code floor} or stronger. */
    public static boolean atLeast(Affiliation affiliation, Affiliation floor) {
        return affiliation.ordinal() <= floor.ordinal();
    }

    /** An admin or owner is protected from anyone whose affiliation is not strictly stronger. */
    private static boolean protectedFrom(Affiliation target, Affiliation actor) {
        return atLeast(target, Affiliation.ADMIN) && actor.ordinal() >= target.ordinal();
    }
}
