package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.AccountConfiguration;
import io.aviary.account.AccountStore;
import io.aviary.account.Accounts;
import io.aviary.account.JdbcAccountStore;
import io.aviary.account.InBandRegistration;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The roster service's auto-configuration on an H2 database that Spring Boot's Flyway migrates at start-up. */
class RosterServiceConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class, RosterServiceConfiguration.class,
                    AccountConfiguration.class))
            .withPropertyValues(datasource());

    ApplicationContextRunner context() {
        return context;
    }

    /** The {@code spring.datasource.*} properties of a fresh database; the PostgreSQL subclass overrides it. */
    String[] datasource() {
        return new String[] {"spring.datasource.url=jdbc:h2:mem:config-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"};
    }

    @Test
    void accountsAreStoredInTheMigratedDatabase() {
        context.run(ctx -> {
            assertThat(ctx).hasSingleBean(Accounts.class).hasSingleBean(InBandRegistration.class);
            assertThat(ctx.getBean(AccountStore.class)).isInstanceOf(JdbcAccountStore.class);

            Accounts accounts = ctx.getBean(Accounts.class);
            assertThat(accounts.register("juliet", "R0m30").outcome()).isEqualTo(Accounts.Outcome.CREATED);
            assertThat(accounts.list()).containsExactly("juliet");
            assertThat(ctx.getBean(AccountStore.class).scram("juliet", ScramAlgorithm.SHA_256).orElseThrow()
                    .iterations()).isEqualTo(4096);
        });
    }

    @Test
    void iterationCountIsConfigurable() {
        context.withPropertyValues("aviary.accounts.scram-iterations=10000").run(ctx -> {
            Accounts accounts = ctx.getBean(Accounts.class);
            assertThat(accounts.scramIterations()).isEqualTo(10000);
            accounts.register("romeo", "J0liet");
            assertThat(accounts.store().scram("romeo", ScramAlgorithm.SHA_1).orElseThrow().iterations()).isEqualTo(10000);
        });
    }

    @Test
    void anInvalidIterationCountFailsStartup() {
        context.withPropertyValues("aviary.accounts.scram-iterations=0")
                .run(ctx -> assertThat(ctx).hasFailed());
    }
}
