package io.aviary.admin.console;

import io.aviary.admin.AdminOperations;
import io.aviary.admin.Administrators;
import io.aviary.admin.api.AdminApi;
import io.aviary.admin.api.AdminApiConfiguration;
import io.aviary.admin.api.AdminAuthentication;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The web admin console ({@link AdminConsole}) next to the admin API it drives; off with {@code aviary.admin.console.enabled=false}. */
@AutoConfiguration(after = AdminApiConfiguration.class)
@ConditionalOnBean(AdminApi.class)
@ConditionalOnProperty(prefix = "aviary.admin.console", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleConfiguration {

    @Bean
    public ConsoleSessions consoleSessions(ObjectProvider<DataSource> dataSource, Administrators administrators,
                                           ConsoleProperties properties) {
        DataSource database = dataSource.getIfAvailable();
        return new ConsoleSessions(database != null ? ConsoleSessions.jdbc(database) : ConsoleSessions.inMemory(),
                administrators.jids(), properties.idleTimeout(), Clock.systemUTC());
    }

    @Bean
    public AdminConsole adminConsole(ConsoleSessions sessions, AdminAuthentication authentication,
                                     AdminOperations operations, ConsoleProperties properties) {
        return new AdminConsole(sessions, authentication, operations, properties, Clock.systemUTC());
    }

    @Bean
    public RouterFunction<ServerResponse> adminConsoleRoutes(AdminConsole console) {
        return console.routes();
    }
}
