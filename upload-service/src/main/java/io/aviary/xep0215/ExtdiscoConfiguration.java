package io.aviary.xep0215;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.spring.ConditionalOnCapability;
import java.time.Clock;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0215 External Service Discovery (capability {@code extdisco}, on the upload topic), switched by
 * {@code aviary.capabilities.extdisco.enabled}. With no service in {@code aviary.extdisco.services} the capability
 * declares its specification but no IQ namespace: the domain does not advertise {@code urn:xmpp:extdisco:2} and a
 * request gets {@code service-unavailable}, since an advertised feature that always answers an empty list would
 * only send clients looking for STUN and TURN elsewhere after a wasted round trip.
 */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("extdisco")
// Only where the upload service runs: the catalogue keeps one declaration per capability name, so another tier's
// copy (a cluster test has every tier's classes; its configuration has no services) must not stand for it.
@ConditionalOnProperty(prefix = "aviary.upload", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ExtdiscoProperties.class)
public class ExtdiscoConfiguration {

    @Bean
    public Capability extdiscoCapability(DomainBareJid domain, ExtdiscoProperties properties) {
        boolean configured = !properties.services().isEmpty();
        ExternalServicesHandler handler = new ExternalServicesHandler(domain, properties.services(),
                new TurnCredentials(Clock.systemUTC(), properties.credentialTtl()));
        return Capability.of(declaration(configured), registrar -> {
            if (configured) {
                registrar.iq(handler);
            }
        });
    }

    static Declaration declaration(boolean configured) {
        Declaration.Builder declaration = Declaration.builder("extdisco")
                .summary("STUN and TURN services for calls, with time-limited TURN credentials")
                .topic(Topics.UPLOAD)
                .complete("XEP-0215", "External Service Discovery", "1.0.0",
                        "stun, stuns, turn, turns from aviary.extdisco.services; TURN REST API credentials (coturn "
                                + "use-auth-secret); advertised only with services configured; no pushes");
        if (configured) {
            declaration.iq(ExternalServicesHandler.NAMESPACE);
        }
        return declaration.build();
    }
}
