package io.aviary.admin.api;

import io.aviary.account.Accounts;
import io.aviary.account.InvitationProperties;
import io.aviary.admin.AbuseReview;
import io.aviary.admin.AdminOperations;
import io.aviary.admin.AdminServiceConfiguration;
import io.aviary.admin.Administrators;
import io.aviary.admin.HostedServices;
import io.aviary.admin.UserRosters;
import io.aviary.service.InvitationIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.spring.CapabilitiesConfiguration;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin REST API ({@link AdminApi}) on the management port, with API tokens in the database (memory without one).
 * On unless {@code aviary.admin.api.enabled=false}.
 */
@AutoConfiguration(after = AdminServiceConfiguration.class)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(AdminOperations.class)
@ConditionalOnProperty(prefix = "aviary.admin.api", name = "enabled", matchIfMissing = true)
public class AdminApiConfiguration {

    @Bean
    public ApiTokens apiTokens(ObjectProvider<DataSource> dataSource) {
        DataSource database = dataSource.getIfAvailable();
        return new ApiTokens(database != null ? ApiTokens.jdbc(database) : ApiTokens.inMemory());
    }

    /** Basic logins and tokens, and the web console's login when the console is on. */
    @Bean
    public AdminAuthentication adminAuthentication(Accounts accounts, Administrators administrators, DomainBareJid domain,
                                                   ApiTokens tokens,
                                                   ObjectProvider<AdminAuthentication.SessionLogin> sessions) {
        return new AdminAuthentication(accounts, administrators.jids(), domain, tokens, sessions.getIfAvailable());
    }

    @Bean
    public AdminApi adminApi(AdminOperations operations, AdminAuthentication authentication, ApiTokens tokens,
                             AbuseReview review, ObjectProvider<InvitationIssuer> invitations,
                             ObjectProvider<InvitationProperties> invitationSettings, ServerInformation server,
                             UserRosters rosters, HostedServices hosted) {
        InvitationProperties settings = invitationSettings.getIfAvailable();
        InvitationIssuer issuer = settings != null && settings.enabled() ? invitations.getIfAvailable() : null;
        return new AdminApi(operations, authentication, tokens, review, issuer,
                settings == null ? Duration.ofDays(7) : settings.validity(), server, rosters, hosted);
    }

    @Bean
    public ServerInformation serverInformation(AdminOperations operations, StanzaBus bus,
                                               ObjectProvider<CapabilityCatalogue> catalogue,
                                               ObjectProvider<CapabilitiesConfiguration.PluginCapabilities> plugins,
                                               ObjectProvider<ServerHealth> health, ConfigurableEnvironment environment,
                                               ObjectProvider<MeterRegistry> meters) {
        Map<String, String> pluginOfCapability = new HashMap<>();
        plugins.ifAvailable(loaded -> loaded.plugins().forEach(plugin -> plugin.capabilities().forEach(capability ->
                pluginOfCapability.put(capability.declaration().name(), plugin.jar().getFileName().toString()))));
        ServerHealth serverHealth = health.getIfAvailable();
        CapabilityCatalogue capabilities = catalogue.getIfAvailable();
        return new ServerInformation(operations, bus, capabilities != null ? capabilities::declarations : List::of,
                pluginOfCapability,
                serverHealth != null ? serverHealth : Map::of, new MaskedConfiguration(environment),
                new InstanceMetrics(meters.getIfAvailable(SimpleMeterRegistry::new)));
    }

    /** The actuator's health, where this process has one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
    static class Health {

        @Bean
        public ServerHealth serverHealth(
                ObjectProvider<org.springframework.boot.health.actuate.endpoint.HealthEndpoint> endpoint) {
            return new ServerHealth(endpoint);
        }
    }

    @Bean
    public RouterFunction<ServerResponse> adminApiRoutes(AdminApi api) {
        return api.routes();
    }
}
