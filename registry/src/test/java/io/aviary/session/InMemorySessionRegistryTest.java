package io.aviary.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class InMemorySessionRegistryTest extends SessionRegistryContract {

    @Override
    protected SessionRegistry registry() {
        return new InMemorySessionRegistry();
    }

    /** In one process the gateways are those holding sessions (the Redis registry's are those that beat). */
    @Test
    void theGatewaysAreThoseHoldingSessions() throws Exception {
        SessionRegistry registry = registry();
        assertThat(registry.gateways()).isEmpty();
        registry.bind(SessionEntry.bound(JidCreate.entityFullFrom("juliet@example.com/balcony"), "gw1", "c1"));
        registry.bind(SessionEntry.bound(JidCreate.entityFullFrom("romeo@example.com/orchard"), "gw2", "c2"));
        assertThat(registry.gateways()).containsExactlyInAnyOrder("gw1", "gw2");
        registry.unbind(JidCreate.entityFullFrom("romeo@example.com/orchard"), "c2");
        assertThat(registry.gateways()).containsExactly("gw1");
    }
}
