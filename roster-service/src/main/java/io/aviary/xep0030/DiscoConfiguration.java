package io.aviary.xep0030;

import io.aviary.account.AccountVisibility;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.ServerDescription;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.xmpp.disco.DiscoInfo;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/** XEP-0030 Service Discovery of the domain and of accounts, switched by {@code aviary.capabilities.disco.enabled}. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("disco")
public class DiscoConfiguration {

    @Bean
    public Capability discoCapability(DomainBareJid domain, Supplier<ServerDescription> server,
                                      AccountVisibility visibility, ObjectProvider<DataSource> dataSource) {
        DiscoInfoHandler info = new DiscoInfoHandler(domain, server, visibility);
        DataSource source = dataSource.getIfAvailable();
        DiscoItemsHandler items = new DiscoItemsHandler(domain, server, visibility,
                source == null ? AccountNodes.NONE : AccountNodes.on(source));
        return Capability.of(Declaration.builder("disco").summary("what the server and its accounts implement")
                .complete("XEP-0030", "Service Discovery", "2.5rc3", "the domain (`server/im`, exactly the "
                        + "declared features); accounts answer themselves and subscribed contacts; the domain's items are its hosted services, an account's its "
                        + "PEP nodes")
                .iq(DiscoInfo.INFO).iq(DiscoInfo.ITEMS)
                .accountFeature(DiscoInfo.INFO).accountFeature(DiscoInfo.ITEMS).build(), registrar -> {
                    registrar.iq(info);
                    registrar.iq(items);
                });
    }
}
