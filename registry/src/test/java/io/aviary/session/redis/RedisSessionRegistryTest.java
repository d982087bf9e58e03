package io.aviary.session.redis;

import io.aviary.session.SessionRegistry;
import io.aviary.session.SessionRegistryContract;
import java.time.Duration;

/** The registry contract against a real redis-server. */
class RedisSessionRegistryTest extends SessionRegistryContract {

    @Override
    protected SessionRegistry registry() {
        return new RedisSessionRegistry(RedisProcess.flushed(), Duration.ofMinutes(5));
    }
}
