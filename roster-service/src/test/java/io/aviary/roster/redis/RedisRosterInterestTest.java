package io.aviary.roster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.redistest.SessionTtl;
import io.aviary.roster.RosterInterest;
import io.aviary.roster.RosterInterestContract;
import io.aviary.session.redis.RedisProcess;
import io.aviary.session.redis.RegistryKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The roster-interest contract on a real redis-server, plus the key layout and TTLs. */
class RedisRosterInterestTest extends RosterInterestContract {

    private static final Duration TTL = Duration.ofMinutes(5);

    private StringRedisTemplate redis;

    @Override
    protected RosterInterest newInterest() {
        redis = RedisProcess.flushed();
        return new RedisRosterInterest(redis, TTL);
    }

    @Test
    void eachAccountIsOneSetOfFullJidsWithTheSessionTtl() {
        interest.interested(jid("juliet@localhost/balcony"));

        assertThat(redis.opsForSet().members("roster:{juliet@localhost}:interested"))
                .containsExactly("juliet@localhost/balcony");
        SessionTtl.assertExpiresWithin(redis, "roster:{juliet@localhost}:interested", TTL.minusSeconds(10), TTL);
    }

    @Test
    void aGatewayHeartbeatKeepsTheInterestOfItsUsersAlive() {
        RosterInterest shortLived = new RedisRosterInterest(redis, Duration.ofSeconds(3));
        shortLived.interested(jid("juliet@localhost/balcony"));
        shortLived.interested(jid("romeo@localhost/orchard"));

        SessionTtl.beatWithSessionOf(redis, jid("juliet@localhost/balcony"), TTL);

        SessionTtl.assertExpiresWithin(redis, RegistryKeys.rosterInterest(account("juliet@localhost")),
                Duration.ofSeconds(3), TTL);
        SessionTtl.assertExpiresWithin(redis, RegistryKeys.rosterInterest(account("romeo@localhost")),
                Duration.ZERO, Duration.ofSeconds(3));
    }
}
