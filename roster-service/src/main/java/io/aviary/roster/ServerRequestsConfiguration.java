package io.aviary.roster;

import io.aviary.bus.StanzaBus;
import io.aviary.service.IqHandler;
import io.aviary.service.MessageHandler;
import io.aviary.service.PresenceHandler;
import io.aviary.service.ServerRequests;
import io.aviary.xep0199.Ping;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Requests to the server: the {@link ServerRequests} consumer of the service topic, when a bus is present and
 * {@code aviary.roster.enabled} (default true). Processes that only need the capabilities' beans (a cluster
 * gateway advertises their stream features and caps; a router applies their filters) switch it off.
 */
@AutoConfiguration(after = {RosterServiceConfiguration.class, ImConfiguration.class})
@ConditionalOnBean(StanzaBus.class)
public class ServerRequestsConfiguration {

    @Bean
    public Ping ping() {
        return new Ping();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(prefix = "aviary.roster", name = "enabled", matchIfMissing = true)
    public ServerRequests serverRequests(StanzaBus bus, List<IqHandler> handlers,
                                         ObjectProvider<PresenceHandler> presenceHandlers,
                                         ObjectProvider<MessageHandler> messageHandlers) {
        return new ServerRequests(bus, handlers, presenceHandlers.orderedStream().toList(),
                messageHandlers.orderedStream().toList());
    }
}
