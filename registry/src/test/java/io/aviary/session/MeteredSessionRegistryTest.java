package io.aviary.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** The metered registry passes the contract, and counts a write answered later that failed as it counts the others. */
class MeteredSessionRegistryTest extends SessionRegistryContract {

    private static final EntityFullJid BALCONY = JidCreate.entityFullFromOrThrowUnchecked("juliet@example.com/balcony");

    @Override
    protected SessionRegistry registry() {
        return new MeteredSessionRegistry(new InMemorySessionRegistry(), new SimpleMeterRegistry());
    }

    @Test
    void aWriteAnsweredLaterThatFailsIsCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CompletableFuture<Void> redisAnswers = new CompletableFuture<>();
        SessionRegistry metered = new MeteredSessionRegistry(new ForwardingSessionRegistry(new InMemorySessionRegistry()) {
            @Override
            public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                               boolean available) {
                return redisAnswers;
            }
        }, meters);

        CompletableFuture<Void> written = metered.updatePresenceLater(BALCONY, "c1", 0, true);
        assertThat(meters.find("xmpp.registry.errors").counter()).as("before the answer").isNull();
        redisAnswers.completeExceptionally(new IllegalStateException("Redis did not answer in time"));

        assertThat(written).isCompletedExceptionally();
        assertThat(meters.get("xmpp.registry.errors").tag("operation", "update-presence").counter().count())
                .isEqualTo(1.0);
    }
}
