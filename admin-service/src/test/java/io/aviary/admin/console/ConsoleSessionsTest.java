package io.aviary.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.clocktest.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

class ConsoleSessionsTest {

    private static final EntityBareJid ADMIN = JidCreate.entityBareFromOrThrowUnchecked("admin@example.org");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));

    @Test
    void aLoginEndsAfterItsIdleTimeButEachUseMovesTheEndOn() {
        ConsoleSessions sessions = new ConsoleSessions(ConsoleSessions.inMemory(), Set.of(ADMIN), Duration.ofMinutes(30), clock);
        ConsoleSessions.Started started = sessions.start(ADMIN);
        assertThat(started.cookie()).isNotEqualTo(started.session().csrf()).hasSizeGreaterThanOrEqualTo(43);

        clock.advance(Duration.ofMinutes(20));
        assertThat(sessions.session(started.cookie())).as("used after 20 minutes").isPresent();
        clock.advance(Duration.ofMinutes(25));
        assertThat(sessions.session(started.cookie())).as("45 minutes in, 25 after its last use").isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.session(started.cookie())).as("31 minutes unused").isEmpty();
    }

    @Test
    void aLoginEndsAtLogoutAndWhenItsJidIsNoLongerAnAdministrator() {
        ConsoleSessions.Store store = ConsoleSessions.inMemory();
        ConsoleSessions sessions = new ConsoleSessions(store, Set.of(ADMIN), Duration.ofMinutes(30), clock);
        ConsoleSessions.Started first = sessions.start(ADMIN);
        ConsoleSessions.Started second = sessions.start(ADMIN);
        assertThat(sessions.end(first.cookie())).isTrue();
        assertThat(sessions.session(first.cookie())).isEmpty();
        assertThat(sessions.session(second.cookie())).as("another login of the same administrator").isPresent();
        assertThat(sessions.session("made-up")).isEmpty();

        ConsoleSessions demoted = new ConsoleSessions(store, Set.of(), Duration.ofMinutes(30), clock);
        assertThat(demoted.session(second.cookie())).isEmpty();
    }

    @Test
    void failedLoginsFromOneAddressAreRefusedForAWhileAndOthersAreNot() {
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.wait("192.0.2.1")).isZero();
            throttle.failed("192.0.2.1");
        }
        assertThat(throttle.wait("192.0.2.1")).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.wait("192.0.2.2")).as("a bystander").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.wait("192.0.2.1")).isZero();

        throttle.failed("192.0.2.3");
        throttle.succeeded("192.0.2.3");
        throttle.failed("192.0.2.3");
        throttle.failed("192.0.2.3");
        assertThat(throttle.wait("192.0.2.3")).as("a success forgets the earlier failures").isZero();
    }

    @Test
    void theThrottlesMemoryIsBounded() {
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);
        for (int i = 0; i <= LoginThrottle.MAX_ADDRESSES + 10; i++) {
            throttle.failed("address-" + i);
        }
        assertThat(throttle.size()).isLessThanOrEqualTo(LoginThrottle.MAX_ADDRESSES);
    }
}
