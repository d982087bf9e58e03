package io.aviary.admin.api;

import io.aviary.account.Accounts;
import io.aviary.account.InvitationProperties;
import io.aviary.admin.AbuseReview;
import io.aviary.admin.AdminOperations;
import io.aviary.admin.AdminServiceConfiguration;
import io.aviary.admin.Administrators;
import io.aviary.service.InvitationIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
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
                             ObjectProvider<InvitationProperties> invitationSettings,
                             ObjectProvider<MeterRegistry> meters) {
        InvitationProperties settings = invitationSettings.getIfAvailable();
        InvitationIssuer issuer = settings != null && settings.enabled() ? invitations.getIfAvailable() : null;
        return new AdminApi(operations, authentication, tokens, review, issuer,
                settings == null ? Duration.ofDays(7) : settings.validity(),
                new InstanceMetrics(meters.getIfAvailable(SimpleMeterRegistry::new)));
    }

    @Bean
    public RouterFunction<ServerResponse> adminApiRoutes(AdminApi api) {
        return api.routes();
    }
}
