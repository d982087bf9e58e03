package io.aviary.roster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.bus.StanzaBus;
import io.aviary.presence.InMemoryPresenceStore;
import io.aviary.presence.PresenceStore;
import io.aviary.presence.ResourcePresence;
import io.aviary.presence.redis.RedisPresenceStore;
import io.aviary.account.AccountConfiguration;
import io.aviary.capability.spring.CapabilitiesConfiguration;
import io.aviary.roster.RosterConfiguration;
import io.aviary.roster.InMemoryRosterInterest;
import io.aviary.roster.RosterInterest;
import io.aviary.roster.RosterServiceConfiguration;
import io.aviary.session.RegistryConfiguration;
import io.aviary.session.redis.RedisProcess;
import io.aviary.session.redis.RedisRegistryConfiguration;
import io.aviary.session.redis.RegistryKeys;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

class RedisImStateConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    RegistryConfiguration.class, RedisRegistryConfiguration.class,
                    RosterServiceConfiguration.class, AccountConfiguration.class, CapabilitiesConfiguration.class,
                    RedisImStateConfiguration.class, RosterConfiguration.class))
            .withBean(StanzaBus.class, () -> new InProcessBus(1))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:im-state-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void withoutTheRedisRegistryPresenceAndRosterInterestStayInMemory() {
        runner.run(context -> {
            assertThat(context).getBean(PresenceStore.class).isInstanceOf(InMemoryPresenceStore.class);
            assertThat(context).getBean(RosterInterest.class).isInstanceOf(InMemoryRosterInterest.class);
        });
    }

    @Test
    void withTheRedisRegistryBothLiveInItsRedisForASessionTtl() {
        StringRedisTemplate redis = RedisProcess.flushed();
        runner.withPropertyValues("aviary.registry.type=redis",
                        "aviary.registry.redis.url=redis://127.0.0.1:" + RedisProcess.port(),
                        "aviary.registry.redis.session-ttl=10m")
                .run(context -> {
                    assertThat(context).hasSingleBean(PresenceStore.class).hasSingleBean(RosterInterest.class);
                    assertThat(context).getBean(PresenceStore.class).isInstanceOf(RedisPresenceStore.class);
                    assertThat(context).getBean(RosterInterest.class).isInstanceOf(RedisRosterInterest.class);

                    EntityFullJid juliet = JidCreate.entityFullFrom("juliet@localhost/balcony");
                    context.getBean(PresenceStore.class).available(new ResourcePresence(juliet,
                            XmlElement.builder("presence", "jabber:client").attribute("from", juliet.toString()).build(), 0));
                    context.getBean(RosterInterest.class).interested(juliet);
                    for (String key : new String[] {RegistryKeys.presence(juliet.asEntityBareJid()),
                            RegistryKeys.rosterInterest(juliet.asEntityBareJid())}) {
                        assertThat(redis.getExpire(key, TimeUnit.MILLISECONDS)).as(key)
                                .isGreaterThan(Duration.ofMinutes(5).toMillis());
                    }
                });
    }
}
