package io.aviary.xep0092;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.ServerDescription;
import io.aviary.capability.spring.ConditionalOnCapability;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** XEP-0092 Software Version, switched by {@code aviary.capabilities.version.enabled}. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("version")
@EnableConfigurationProperties(VersionProperties.class)
public class VersionConfiguration {

    @Bean
    public Capability versionCapability(DomainBareJid domain, VersionProperties properties) {
        SoftwareVersion version = new SoftwareVersion(domain, ServerDescription.SERVER_NAME,
                properties.effectiveVersion(), properties.os());
        return Capability.of(Declaration.builder("version").summary("the server's name and version")
                .complete("XEP-0092", "Software Version", "1.1",
                        "name and version; OS only when configured")
                .iq(SoftwareVersion.NAMESPACE).build(), registrar -> registrar.iq(version));
    }
}
