package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link RosterInterest} does; one subclass per implementation. */
public abstract class RosterInterestContract {

    protected RosterInterest interest;

    protected abstract RosterInterest newInterest();

    @BeforeEach
    void fresh() {
        interest = newInterest();
    }

    protected static EntityFullJid jid(String fullJid) {
        return JidCreate.entityFullFromOrThrowUnchecked(fullJid);
    }

    protected static EntityBareJid account(String bareJid) {
        return JidCreate.entityBareFromOrThrowUnchecked(bareJid);
    }

    @Test
    void resourcesThatRequestedTheRosterAreInterestedUntilTheyGoUnavailable() {
        assertThat(interest.resources(account("juliet@localhost"))).isEmpty();
        interest.interested(jid("juliet@localhost/balcony"));
        interest.interested(jid("juliet@localhost/chamber"));
        interest.interested(jid("juliet@localhost/balcony")); // a second roster get changes nothing

        assertThat(interest.resources(account("juliet@localhost")))
                .containsExactlyInAnyOrder(jid("juliet@localhost/balcony"), jid("juliet@localhost/chamber"));

        interest.notInterested(jid("juliet@localhost/balcony"));
        interest.notInterested(jid("juliet@localhost/never"));
        assertThat(interest.resources(account("juliet@localhost"))).containsExactly(jid("juliet@localhost/chamber"));
        interest.notInterested(jid("juliet@localhost/chamber"));
        assertThat(interest.resources(account("juliet@localhost"))).isEmpty();
    }

    @Test
    void interestIsKeptPerAccount() {
        interest.interested(jid("juliet@localhost/phone"));
        interest.interested(jid("romeo@localhost/phone"));
        interest.interested(jid("juliet@example.com/phone"));

        interest.notInterested(jid("romeo@localhost/phone"));
        assertThat(interest.resources(account("juliet@localhost"))).containsExactly(jid("juliet@localhost/phone"));
        assertThat(interest.resources(account("juliet@example.com"))).containsExactly(jid("juliet@example.com/phone"));
        assertThat(interest.resources(account("romeo@localhost"))).isEmpty();
    }

    @Test
    void resourcesWithSpacesSlashesAndNonAsciiSurvive() {
        interest.interested(jid("juliet@localhost/balcón ♥/2"));
        assertThat(interest.resources(account("juliet@localhost"))).containsExactly(jid("juliet@localhost/balcón ♥/2"));
    }
}
