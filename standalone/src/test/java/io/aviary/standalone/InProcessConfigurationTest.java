package io.aviary.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;

/** The standalone bus as configured: a handler that failed on a store's lock time-out is given its message again. */
class InProcessConfigurationTest {

    @Test
    void aHandlerThatFailedOnALockTimeOutIsGivenItsMessageAgain() {
        InProcessConfiguration.BusProperties properties = new InProcessConfiguration.BusProperties(1, 0,
                Duration.ofSeconds(1), 2, Duration.ofMillis(1));
        try (InProcessBus bus = new InProcessConfiguration().inProcessBus(properties)) {
            AtomicInteger attempts = new AtomicInteger();
            bus.subscribe("t", "g", message -> {
                // What JdbcTemplate makes of H2's "Timeout trying to lock table" (error 50200).
                if (attempts.incrementAndGet() == 1) {
                    throw new CannotAcquireLockException("Timeout trying to lock table");
                }
            });
            bus.publish("t", "k", BusMessage.of(XmlElement.builder("message", "jabber:client").build()));

            assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(attempts).hasValue(2);
        }
    }
}
