package io.aviary.xep0114;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.redis.RedisProcess;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** One contract for both {@link ComponentHolders}: in memory and on a real redis-server. */
class ComponentHoldersContractTest {

    private static final DomainBareJid IRC = JidCreate.domainBareFromOrThrowUnchecked("irc.example.org");

    static Stream<Arguments> holders() {
        return Stream.of(Arguments.of("memory", (java.util.function.Supplier<ComponentHolders>) LocalComponentHolders::new),
                Arguments.of("redis", (java.util.function.Supplier<ComponentHolders>)
                        () -> new RedisComponentHolders(RedisProcess.flushed(), Duration.ofSeconds(30))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void oneInstanceHoldsADomainUntilItReleasesIt(String name, java.util.function.Supplier<ComponentHolders> make) {
        ComponentHolders holders = make.get();
        assertThat(holders.holder(IRC)).isEmpty();
        assertThat(holders.hold(IRC, "s2s-a")).isTrue();
        assertThat(holders.hold(IRC, "s2s-a")).as("holding again is renewing").isTrue();
        assertThat(holders.hold(IRC, "s2s-b")).as("another instance is refused").isFalse();
        assertThat(holders.renew(IRC, "s2s-b")).isFalse();
        assertThat(holders.holder(IRC)).contains("s2s-a");

        holders.release(IRC, "s2s-b");
        assertThat(holders.holder(IRC)).as("only the holder releases").contains("s2s-a");
        holders.release(IRC, "s2s-a");
        assertThat(holders.holder(IRC)).isEmpty();
        assertThat(holders.hold(IRC, "s2s-b")).isTrue();
        assertThat(holders.holder(IRC)).contains("s2s-b");
    }

    @Test
    void onRedisTheHoldOfAnInstanceThatStoppedRenewingExpires() throws Exception {
        ComponentHolders holders = new RedisComponentHolders(RedisProcess.flushed(), Duration.ofMillis(400));
        assertThat(holders.hold(IRC, "s2s-a")).isTrue();
        Thread.sleep(250);
        assertThat(holders.renew(IRC, "s2s-a")).isTrue();
        Thread.sleep(250);
        assertThat(holders.hold(IRC, "s2s-b")).as("renewed, so still held").isFalse();
        long deadline = System.currentTimeMillis() + 3_000;
        while (holders.holder(IRC).isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(holders.holder(IRC)).as("expired").isEmpty();
        assertThat(holders.hold(IRC, "s2s-b")).isTrue();
    }
}
