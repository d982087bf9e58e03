package io.aviary.session;

import static org.assertj.core.api.Assertions.assertThat;

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
}
