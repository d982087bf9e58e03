package io.aviary.xep0065;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The XEP-0065 SOCKS5 bytestreams proxy (capability {@code proxy65}, on the upload topic) at {@code proxy.<domain>},
 * switched by {@code aviary.capabilities.proxy65.enabled}. Where the upload tier runs ({@code aviary.upload.enabled}),
 * since the SOCKS5 listener must be on the instance that answers the proxy's IQs: the one that owns the upload
 * topic's partition of the key {@code proxy.<domain>} answers the streamhost query with its own address, so the
 * clients' connections and the activation meet there (docs/architecture.md).
 */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("proxy65")
@ConditionalOnProperty(prefix = "aviary.upload", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(Proxy65Properties.class)
public class Proxy65Configuration {

    @Bean(initMethod = "start", destroyMethod = "close")
    public Socks5Listener proxy65Listener(Proxy65Properties properties, ObjectProvider<MeterRegistry> meters) {
        Transfers transfers = new Transfers(properties.maxTransfers(), properties.maxBytes().toBytes(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
        return new Socks5Listener(properties, transfers);
    }

    @Bean
    public Capability proxy65Capability(DomainBareJid domain, Proxy65Properties properties, Socks5Listener listener)
            throws XmppStringprepException {
        DomainBareJid address = JidCreate.domainBareFrom(
                properties.address() == null || properties.address().isBlank() ? "proxy." + domain
                        : properties.address());
        HostedService service = HostedService.of(address, "SOCKS5 Bytestreams Service", "proxy", "bytestreams",
                Set.of(BytestreamsService.NAMESPACE));
        String host = advertisedHost(properties, domain);
        return Capability.of(declaration(service), registrar -> registrar.service(address, new BytestreamsService(
                service, () -> new StreamHost(address.toString(), host,
                        properties.advertisedPort() != 0 ? properties.advertisedPort() : listener.port()),
                listener.transfers(), registrar.context()::send)));
    }

    /** The configured host; else the bind address unless it is a wildcard; else the domain. */
    static String advertisedHost(Proxy65Properties properties, DomainBareJid domain) {
        if (properties.advertisedHost() != null && !properties.advertisedHost().isBlank()) {
            return properties.advertisedHost();
        }
        String bind = properties.bindAddress();
        try {
            if (!bind.isBlank() && !InetAddress.getByName(bind).isAnyLocalAddress()) {
                return bind;
            }
        } catch (UnknownHostException e) {
            return bind; // it resolved when the listener bound it; a client resolves it again
        }
        return domain.toString();
    }

    static Declaration declaration(HostedService service) {
        return Declaration.builder("proxy65").summary("a SOCKS5 bytestreams proxy for file transfer between clients")
                .topic(Topics.UPLOAD)
                .complete("XEP-0065", "SOCKS5 Bytestreams", "1.8.2",
                        "the proxy (`proxy.<domain>`): streamhost query with a configurable advertised host, activation "
                                + "by the requester only, per-transfer byte and idle limits; no UDP")
                .hostedService(service).build();
    }
}
