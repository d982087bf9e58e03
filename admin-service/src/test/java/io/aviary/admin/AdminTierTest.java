package io.aviary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.AccountStore;
import io.aviary.account.Accounts;
import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.Declaration;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The admin tier with only what a cluster gives it (a bus, a registry, the account store on a database): it wires,
 * declares its capability on {@link Topics#ADMIN}, and its consumer of that topic answers XEP-0050 commands through the
 * bus, replying on the route topic as every service does.
 */
class AdminTierTest {

    private static final String COMMANDS = "http://jabber.org/protocol/commands";
    private static final String DATA = "jabber:x:data";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    io.aviary.capability.spring.CapabilitiesConfiguration.class,
                    io.aviary.account.AccountConfiguration.class, io.aviary.session.RegistryConfiguration.class,
                    AdminServiceConfiguration.class, io.aviary.xep0133.ServiceAdministrationConfiguration.class))
            .withBean(StanzaBus.class, () -> new InProcessBus(2))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:admin-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "aviary.domain=localhost", "aviary.admins[0]=admin@localhost", "spring.application.name=admin");

    @Test
    void theAdminTierWiresFromTheBusTheRegistryAndTheAccountsAlone() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AdminOperations.class).hasBean("adminRequests");
            Declaration declaration = context.getBean(CapabilityRegistry.class).declarations().stream()
                    .filter(d -> d.name().equals("service-admin")).findFirst().orElseThrow();
            assertThat(declaration.topic()).isEqualTo(Topics.ADMIN);
            assertThat(declaration.itemNodes()).containsExactly(COMMANDS);
        });
    }

    @Test
    void commandsArriveOnTheAdminTopicAndRepliesLeaveOnTheRouteTopic() {
        runner.run(context -> {
            StanzaBus bus = context.getBean(StanzaBus.class);
            BlockingQueue<Stanza> replies = new LinkedBlockingQueue<>();
            bus.subscribe(Topics.ROUTE, "test", m -> Stanza.of(m.stanza()).ifPresent(replies::add));

            bus.publish(Topics.ADMIN, "admin@localhost", BusMessage.of(command("admin@localhost/console", "c1", null, null)));
            Stanza form = replies.poll(5, TimeUnit.SECONDS);
            assertThat(form).isNotNull();
            XmlElement executing = form.payload().orElseThrow();
            assertThat(executing.attributeOrNull("status")).isEqualTo("executing");
            String session = executing.attributeOrNull("sessionid");

            bus.publish(Topics.ADMIN, "admin@localhost", BusMessage.of(command("admin@localhost/console", "c2", session,
                    XmlElement.builder("x", DATA).attribute("type", "submit")
                            .child(field("accountjid", "viola@localhost")).child(field("password", "cesario"))
                            .child(field("password-verify", "cesario")).build())));
            Stanza done = replies.poll(5, TimeUnit.SECONDS);
            assertThat(done.type()).isEqualTo("result");
            assertThat(done.payload().orElseThrow().attributeOrNull("status")).isEqualTo("completed");
            assertThat(context.getBean(AccountStore.class).exists("viola")).isTrue();
            assertThat(context.getBean(Accounts.class).verifyPassword("viola", "cesario")).isTrue();
            assertThat(context.getBean(AuditLog.class).latest(1)).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo("create-user"));

            bus.publish(Topics.ADMIN, "viola@localhost", BusMessage.of(command("viola@localhost/phone", "c3", null, null)));
            Stanza refused = replies.poll(5, TimeUnit.SECONDS);
            assertThat(refused.type()).isEqualTo("error");
            assertThat(refused.element().toXml()).contains("<forbidden");
        });
    }

    private static XmlElement command(String from, String id, String session, XmlElement form) {
        XmlElement.Builder command = XmlElement.builder("command", COMMANDS)
                .attribute("node", "http://jabber.org/protocol/admin#add-user").attribute("sessionid", session)
                .attribute("action", session == null ? "execute" : "complete");
        if (form != null) {
            command.child(form);
        }
        return XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set").attribute("id", id)
                .attribute("from", from).attribute("to", "localhost").child(command.build()).build();
    }

    private static XmlElement field(String var, String value) {
        return XmlElement.builder("field", DATA).attribute("var", var).textChild("value", value).build();
    }
}
