package io.aviary.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link SessionRegistry} must do; each implementation runs it (style.md, point 7). */
public abstract class SessionRegistryContract {

    protected abstract SessionRegistry registry();

    private static EntityFullJid jid(String full) throws Exception {
        return JidCreate.entityFullFrom(full);
    }

    @Test
    void boundResourcesAreFoundByFullAndBareJid() throws Exception {
        SessionRegistry registry = registry();
        assertThat(registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"))).isEmpty();
        assertThat(registry.bind(SessionEntry.bound(jid("juliet@example.com/chamber"), "gw2", "c2"))).isEmpty();

        assertThat(registry.session(jid("juliet@example.com/balcony"))).get()
                .extracting(SessionEntry::gatewayId, SessionEntry::connectionId).containsExactly("gw1", "c1");
        assertThat(registry.sessions(JidCreate.entityBareFrom("juliet@example.com")))
                .extracting(e -> e.jid().getResourcepart().toString())
                .containsExactlyInAnyOrder("balcony", "chamber");
        assertThat(registry.sessions(JidCreate.entityBareFrom("romeo@example.com"))).isEmpty();
        assertThat(registry.sessionsOf("gw1")).containsExactly(jid("juliet@example.com/balcony"));
    }

    @Test
    void bindingATakenResourceDisplacesTheOldConnection() throws Exception {
        SessionRegistry registry = registry();
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "old"));
        var displaced = registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw2", "new"));
        assertThat(displaced).get().extracting(SessionEntry::connectionId).isEqualTo("old");
        assertThat(registry.session(jid("juliet@example.com/balcony"))).get()
                .extracting(SessionEntry::connectionId).isEqualTo("new");
        // The displaced connection's late unbind must not remove its successor.
        assertThat(registry.unbind(jid("juliet@example.com/balcony"), "old")).isFalse();
        assertThat(registry.session(jid("juliet@example.com/balcony"))).isPresent();
        assertThat(registry.sessionsOf("gw1")).isEmpty();
    }

    @Test
    void presenceUpdatesApplyOnlyToTheOwningConnection() throws Exception {
        SessionRegistry registry = registry();
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        registry.updatePresence(jid("juliet@example.com/balcony"), "c1", -5, true);
        registry.updatePresence(jid("juliet@example.com/balcony"), "someone-else", 10, false);
        assertThat(registry.session(jid("juliet@example.com/balcony"))).get()
                .extracting(SessionEntry::priority, SessionEntry::available).containsExactly(-5, true);
    }

    @Test
    void unbindRemovesTheResourceAndForgetsAnEmptyAccount() throws Exception {
        SessionRegistry registry = registry();
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        assertThat(registry.unbind(jid("juliet@example.com/balcony"), "c1")).isTrue();
        assertThat(registry.unbind(jid("juliet@example.com/balcony"), "c1")).isFalse();
        assertThat(registry.session(jid("juliet@example.com/balcony"))).isEmpty();
        assertThat(registry.sessions(JidCreate.entityBareFrom("juliet@example.com"))).isEmpty();
        assertThat(registry.sessionsOf("gw1")).isEmpty();
    }

    @Test
    void carbonsAndResumptionApplyOnlyToTheOwningConnectionAndSurvivePresenceUpdates() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        registry.updateCarbons(balcony, "c1", true);
        registry.markResumable(balcony, "c1", "sm-1");
        registry.updatePresence(balcony, "c1", 3, true);
        registry.updateCarbons(balcony, "someone-else", false);
        registry.markResumable(balcony, "someone-else", "sm-2");
        assertThat(registry.session(balcony)).get()
                .extracting(SessionEntry::carbons, SessionEntry::resumption, SessionEntry::priority,
                        SessionEntry::available, SessionEntry::hibernated)
                .containsExactly(true, "sm-1", 3, true, false);
        registry.updateCarbons(balcony, "c1", false);
        assertThat(registry.session(balcony)).get().extracting(SessionEntry::carbons).isEqualTo(false);
    }

    @Test
    void aHibernatedSessionStaysBoundAndAvailable() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        registry.updatePresence(balcony, "c1", 1, true);
        registry.markResumable(balcony, "c1", "sm-1");
        assertThat(registry.hibernate(balcony, "someone-else")).isFalse();
        assertThat(registry.hibernate(balcony, "c1")).isTrue();
        assertThat(registry.sessions(JidCreate.entityBareFrom("juliet@example.com"))).singleElement()
                .extracting(SessionEntry::hibernated, SessionEntry::available, SessionEntry::resumption)
                .containsExactly(true, true, "sm-1");
        assertThat(registry.sessionsOf("gw1")).containsExactly(balcony);
        assertThat(registry.hibernate(jid("juliet@example.com/nowhere"), "c1")).isFalse();
    }

    @Test
    void resumeMovesTheSessionToTheNewGatewayConnection() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        registry.updateCarbons(balcony, "c1", true);
        registry.markResumable(balcony, "c1", "sm-1");
        registry.hibernate(balcony, "c1");

        assertThat(registry.resume(balcony, "sm-other", "gw2", "c2")).isEmpty();
        assertThat(registry.resume(jid("juliet@example.com/nowhere"), "sm-1", "gw2", "c2")).isEmpty();
        assertThat(registry.resume(balcony, "sm-1", "gw2", "c2")).get()
                .extracting(SessionEntry::gatewayId, SessionEntry::connectionId, SessionEntry::hibernated)
                .containsExactly("gw1", "c1", true);

        assertThat(registry.session(balcony)).get()
                .extracting(SessionEntry::gatewayId, SessionEntry::connectionId, SessionEntry::hibernated,
                        SessionEntry::carbons, SessionEntry::resumption)
                .containsExactly("gw2", "c2", false, true, "sm-1");
        assertThat(registry.sessionsOf("gw1")).isEmpty();
        assertThat(registry.sessionsOf("gw2")).containsExactly(balcony);
        // The old connection's late unbind or hibernation no longer touches the resumed session.
        assertThat(registry.hibernate(balcony, "c1")).isFalse();
        assertThat(registry.unbind(balcony, "c1")).isFalse();
        assertThat(registry.unbind(balcony, "c2")).isTrue();
        assertThat(registry.sessionsOf("gw2")).isEmpty();
    }

    @Test
    void directedPresenceIsRecordedForTheOwningConnectionAndTakenOnce() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        registry.directedPresence(balcony, "c1", "coven@conference.example.com/juliet", true);
        registry.directedPresence(balcony, "c1", "nurse@example.com", true);
        registry.directedPresence(balcony, "c1", "friar@example.com", true);
        registry.directedPresence(balcony, "c1", "friar@example.com", false);
        // A connection that no longer owns the resource records nothing.
        registry.directedPresence(balcony, "stale", "tybalt@example.com", true);

        assertThat(registry.takeDirectedPresence(balcony))
                .containsExactlyInAnyOrder("coven@conference.example.com/juliet", "nurse@example.com");
        assertThat(registry.takeDirectedPresence(balcony)).as("taken once").isEmpty();
    }

    @Test
    void directedPresenceOutlivesTheUnbindUntilTaken() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        EntityFullJid chamber = jid("juliet@example.com/chamber");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        registry.bind(SessionEntry.bound(chamber, "gw1", "c2"));
        registry.directedPresence(balcony, "c1", "coven@conference.example.com/juliet", true);
        registry.directedPresence(chamber, "c2", "lounge@conference.example.com/jules", true);

        registry.unbind(balcony, "c1");
        assertThat(registry.takeDirectedPresence(balcony)).containsExactly("coven@conference.example.com/juliet");
        assertThat(registry.takeDirectedPresence(chamber)).containsExactly("lounge@conference.example.com/jules");
    }

    @Test
    void writesAnsweredLaterDoWhatTheirWaitingFormsDo() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        assertThat(registry.session(balcony)).get().extracting(SessionEntry::available).isEqualTo(false);

        registry.updatePresenceLater(balcony, "c1", 7, true).get(5, TimeUnit.SECONDS);
        registry.updatePresenceLater(balcony, "someone-else", 10, false).get(5, TimeUnit.SECONDS);
        registry.updateCarbonsLater(balcony, "c1", true).get(5, TimeUnit.SECONDS);
        registry.updateCarbonsLater(balcony, "someone-else", false).get(5, TimeUnit.SECONDS);
        registry.markResumableLater(balcony, "c1", "sm-1").get(5, TimeUnit.SECONDS);
        registry.markResumableLater(balcony, "someone-else", "sm-2").get(5, TimeUnit.SECONDS);
        assertThat(registry.session(balcony)).get()
                .extracting(SessionEntry::priority, SessionEntry::available, SessionEntry::carbons,
                        SessionEntry::resumption)
                .containsExactly(7, true, true, "sm-1");

        registry.directedPresenceLater(balcony, "c1", "coven@conference.example.com/juliet", true)
                .get(5, TimeUnit.SECONDS);
        registry.directedPresenceLater(balcony, "c1", "nurse@example.com", true).get(5, TimeUnit.SECONDS);
        registry.directedPresenceLater(balcony, "c1", "nurse@example.com", false).get(5, TimeUnit.SECONDS);
        registry.directedPresenceLater(balcony, "stale", "tybalt@example.com", true).get(5, TimeUnit.SECONDS);
        assertThat(registry.takeDirectedPresenceLater(balcony).get(5, TimeUnit.SECONDS))
                .containsExactly("coven@conference.example.com/juliet");
        assertThat(registry.takeDirectedPresenceLater(balcony).get(5, TimeUnit.SECONDS)).as("taken once").isEmpty();

        registry.updatePresenceLater(balcony, "c1", 0, false).get(5, TimeUnit.SECONDS);
        assertThat(registry.session(balcony)).get().extracting(SessionEntry::available).isEqualTo(false);
    }
}
