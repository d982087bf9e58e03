package io.aviary.xep0045;

import static io.aviary.xmpp.stanza.StanzaErrorCondition.FORBIDDEN;
import static io.aviary.xmpp.stanza.StanzaErrorCondition.NOT_ALLOWED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The privilege rules of XEP-0045 §8-§10, case by case. */
class PrivilegesTest {

    @Test
    void onlyModeratorsKickAndNeverAnAdminOrOwnerOfEqualStanding() {
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.PARTICIPANT, Affiliation.NONE, Role.PARTICIPANT, Role.NONE))
                .isEqualTo(FORBIDDEN);
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.VISITOR, Affiliation.NONE, Role.PARTICIPANT, Role.NONE))
                .isEqualTo(FORBIDDEN);
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.MODERATOR, Affiliation.MEMBER, Role.PARTICIPANT, Role.NONE))
                .isNull();
        assertThat(Privileges.roleChange(Affiliation.ADMIN, Role.MODERATOR, Affiliation.NONE, Role.MODERATOR, Role.NONE))
                .as("a moderator by role only is not protected").isNull();
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.MODERATOR, Affiliation.ADMIN, Role.MODERATOR, Role.NONE))
                .isEqualTo(NOT_ALLOWED);
        assertThat(Privileges.roleChange(Affiliation.ADMIN, Role.MODERATOR, Affiliation.ADMIN, Role.MODERATOR, Role.NONE))
                .isEqualTo(NOT_ALLOWED);
        assertThat(Privileges.roleChange(Affiliation.ADMIN, Role.MODERATOR, Affiliation.OWNER, Role.MODERATOR, Role.NONE))
                .isEqualTo(NOT_ALLOWED);
        assertThat(Privileges.roleChange(Affiliation.OWNER, Role.MODERATOR, Affiliation.ADMIN, Role.MODERATOR, Role.NONE))
                .isNull();
        assertThat(Privileges.roleChange(Affiliation.OWNER, Role.MODERATOR, Affiliation.OWNER, Role.MODERATOR, Role.NONE))
                .isEqualTo(NOT_ALLOWED);
    }

    @Test
    void voiceIsModeratorsAndModeratorStatusIsAdminsAndOwners() {
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.MODERATOR, Affiliation.NONE, Role.VISITOR, Role.PARTICIPANT))
                .isNull();
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.MODERATOR, Affiliation.NONE, Role.PARTICIPANT, Role.VISITOR))
                .isNull();
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.MODERATOR, Affiliation.NONE, Role.PARTICIPANT, Role.MODERATOR))
                .isEqualTo(FORBIDDEN);
        assertThat(Privileges.roleChange(Affiliation.NONE, Role.MODERATOR, Affiliation.NONE, Role.MODERATOR, Role.PARTICIPANT))
                .as("§9.7: revoking moderator status").isEqualTo(FORBIDDEN);
        assertThat(Privileges.roleChange(Affiliation.ADMIN, Role.MODERATOR, Affiliation.NONE, Role.PARTICIPANT, Role.MODERATOR))
                .isNull();
        assertThat(Privileges.roleChange(Affiliation.ADMIN, Role.MODERATOR, Affiliation.MEMBER, Role.MODERATOR, Role.PARTICIPANT))
                .isNull();
        assertThat(Privileges.roleChange(Affiliation.OWNER, Role.MODERATOR, Affiliation.ADMIN, Role.MODERATOR, Role.VISITOR))
                .isNull();
    }

    @Test
    void membersAndOutcastsAreAdminsAndAdminsAndOwnersAreOwners() {
        assertThat(Privileges.affiliationChange(Affiliation.MEMBER, Affiliation.NONE, Affiliation.OUTCAST)).isEqualTo(FORBIDDEN);
        assertThat(Privileges.affiliationChange(Affiliation.NONE, Affiliation.NONE, Affiliation.MEMBER)).isEqualTo(FORBIDDEN);
        assertThat(Privileges.affiliationChange(Affiliation.ADMIN, Affiliation.NONE, Affiliation.OUTCAST)).isNull();
        assertThat(Privileges.affiliationChange(Affiliation.ADMIN, Affiliation.MEMBER, Affiliation.NONE)).isNull();
        assertThat(Privileges.affiliationChange(Affiliation.ADMIN, Affiliation.NONE, Affiliation.ADMIN)).isEqualTo(FORBIDDEN);
        assertThat(Privileges.affiliationChange(Affiliation.ADMIN, Affiliation.NONE, Affiliation.OWNER)).isEqualTo(FORBIDDEN);
        assertThat(Privileges.affiliationChange(Affiliation.ADMIN, Affiliation.ADMIN, Affiliation.OUTCAST)).isEqualTo(NOT_ALLOWED);
        assertThat(Privileges.affiliationChange(Affiliation.ADMIN, Affiliation.OWNER, Affiliation.MEMBER)).isEqualTo(NOT_ALLOWED);
        assertThat(Privileges.affiliationChange(Affiliation.OWNER, Affiliation.ADMIN, Affiliation.OUTCAST)).isNull();
        assertThat(Privileges.affiliationChange(Affiliation.OWNER, Affiliation.NONE, Affiliation.OWNER)).isNull();
    }

    @Test
    void listsAndDefaultRoles() {
        assertThat(Privileges.affiliationList(Affiliation.MEMBER)).isEqualTo(FORBIDDEN);
        assertThat(Privileges.affiliationList(Affiliation.ADMIN)).isNull();
        assertThat(Privileges.roleList(Role.PARTICIPANT)).isEqualTo(FORBIDDEN);
        assertThat(Privileges.roleList(Role.MODERATOR)).isNull();
        assertThat(Privileges.defaultRole(Affiliation.OWNER, false)).isEqualTo(Role.MODERATOR);
        assertThat(Privileges.defaultRole(Affiliation.ADMIN, true)).isEqualTo(Role.MODERATOR);
        assertThat(Privileges.defaultRole(Affiliation.MEMBER, true)).isEqualTo(Role.PARTICIPANT);
        assertThat(Privileges.defaultRole(Affiliation.NONE, true)).isEqualTo(Role.VISITOR);
        assertThat(Privileges.defaultRole(Affiliation.NONE, false)).isEqualTo(Role.PARTICIPANT);
    }
}
