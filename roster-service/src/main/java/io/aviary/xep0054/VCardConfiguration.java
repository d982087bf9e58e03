package io.aviary.xep0054;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.service.PresenceDecorator;
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

/** XEP-0054 vcard-temp, switched by {@code aviary.capabilities.vcard.enabled}; the store is JDBC unless another is defined. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("vcard")
@EnableConfigurationProperties(VCardProperties.class)
public class VCardConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public VCardStore vCardStore(DataSource dataSource) {
        return new JdbcVCardStore(dataSource);
    }

    /** XEP-0398 §4: the photo's hash in the presence the roster capability broadcasts. */
    @Bean
    public PresenceDecorator vCardAvatarHash(VCardStore store) {
        return new AvatarHash(store);
    }

    @Bean
    public Capability vCardCapability(DomainBareJid domain, VCardStore store, VCardProperties properties) {
        return Capability.of(Declaration.builder("vcard").summary("each account's vCard, readable by anyone")
                .complete("XEP-0054", "vcard-temp", "1.2", "anyone reads, only the owner writes; size limit")
                .iq(VCardTemp.NAMESPACE).accountFeature(VCardTemp.NAMESPACE).accountIq(VCardTemp.TO_VCARD)
                .listensTo(Events.ACCOUNT_REMOVED).store("vcard").build(), registrar -> {
                    VCardTemp vcard = new VCardTemp(domain, store, properties.maxBytes(), registrar.context()::send);
                    registrar.iq(vcard);
                    registrar.iq(vcard.fromPep());
                    registrar.on(Events.ACCOUNT_REMOVED, vcard::accountDeleted);
                });
    }
}
