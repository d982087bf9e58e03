package io.aviary.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.session.redis.RedisProcess;
import io.aviary.session.redis.RedisResumptionStore;
import io.aviary.session.resumption.ResumptionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ResumableDeliveryTest} with the cluster's store on a real redis-server: the router does not wait for it. */
class RedisResumableDeliveryTest extends ResumableDeliveryTest {

    @Override
    ResumptionStore newStore() {
        return new RedisResumptionStore(RedisProcess.flushed(), Duration.ofMinutes(15), Clock.systemUTC());
    }

    @Test
    void manyDeliveriesWhoseAppendsAreAnsweredLaterKeepTheirOrder() throws Exception {
        bindResumable(1_000);
        for (int i = 1; i <= 300; i++) {
            romeoSays("m" + i);
        }
        for (int i = 1; i <= 300; i++) {
            BusMessage delivery = gateway.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).as("delivery %d", i).isNotNull();
            assertThat(delivery.header(BusMessage.POSITION)).isEqualTo(Integer.toString(i));
            assertThat(body(delivery.stanza())).isEqualTo("m" + i);
        }
    }
}
