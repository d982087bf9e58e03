package io.aviary.xep0049;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/** XEP-0049 private XML storage, switched by {@code aviary.capabilities.private.enabled}. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("private")
@EnableConfigurationProperties(PrivateStorageProperties.class)
public class PrivateStorageConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public PrivateStore privateStore(DataSource dataSource) {
        return new JdbcPrivateStore(dataSource);
    }

    @Bean
    public Capability privateStorageCapability(DomainBareJid domain, PrivateStore store,
                                               PrivateStorageProperties properties) {
        return Capability.of(Declaration.builder("private").summary("XML an account keeps on the server for itself")
                .complete("XEP-0049", "Private XML Storage", "1.2",
                        "own data only; reserved namespaces refused; size limit")
                .iq(PrivateXmlStorage.NAMESPACE).listensTo(Events.ACCOUNT_REMOVED)
                .store("private").build(), registrar -> {
                    PrivateXmlStorage storage = new PrivateXmlStorage(domain, store, properties,
                            registrar.context()::send);
                    registrar.iq(storage);
                    registrar.on(Events.ACCOUNT_REMOVED, storage::accountDeleted);
                });
    }
}
