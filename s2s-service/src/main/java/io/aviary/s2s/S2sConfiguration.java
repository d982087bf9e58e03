package io.aviary.s2s;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.s2s.dialback.DialbackKeys;
import io.aviary.service.Outbox;
import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Server-to-server federation (capability {@code federation}) where the s2s tier runs ({@code aviary.s2s.enabled}, the
 * default): the {@link Federation} (the s2s topic's consumer, replacing the components-only one, and the s2s
 * listeners) and its declaration, whose topic tells the router that stanzas to other domains have somewhere to go.
 * {@code aviary.capabilities.federation.enabled=false} switches federation off and leaves the components, with
 * {@code ComponentsOnlyDelivery} as the topic's consumer ({@code aviary.s2s.enabled=false} switches off the whole tier,
 * components included, as in a cluster's other services).
 */
@AutoConfiguration(afterName = {"io.aviary.xep0114.ComponentsConfiguration",
        "io.aviary.capability.spring.CapabilitiesConfiguration"},
        beforeName = "io.aviary.xep0114.ComponentsOnlyDeliveryConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnProperty(prefix = "aviary.s2s", name = "enabled", matchIfMissing = true)
@ConditionalOnCapability("federation")
@EnableConfigurationProperties(S2sProperties.class)
public class S2sConfiguration {

    /**
     * The certificate of the s2s streams: {@code aviary.s2s.certificate} and {@code key}, else the gateway's files,
     * else the self-signed pair the gateway uses (generated in {@code <data-dir>/tls} on first start).
     */
    @Bean
    public S2sTls s2sTls(S2sProperties properties, Environment environment,
                         @Value("${aviary.domain:localhost}") String domain,
                         @Value("${aviary.data-dir:./data}") Path dataDir) throws IOException, GeneralSecurityException {
        // The gateway's files as text: the environment's conversion service has no String-to-Path converter.
        Path certificateFile = properties.certificate() != null ? properties.certificate()
                : pathOrNull(environment.getProperty("aviary.gateway.tls-certificate"));
        Path keyFile = properties.certificate() != null ? properties.key()
                : pathOrNull(environment.getProperty("aviary.gateway.tls-key"));
        ServerCertificate certificate = certificateFile != null ? ServerCertificate.load(certificateFile, keyFile)
                : ServerCertificate.selfSigned(dataDir.resolve("tls"), domain);
        return new S2sTls(certificate, properties.trustedCertificates());
    }

    private static Path pathOrNull(String path) {
        return path == null || path.isBlank() ? null : Path.of(path);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public Federation federation(S2sProperties properties, @Value("${aviary.domain:localhost}") String domain,
                                 StanzaBus bus, Outbox outbox, ObjectProvider<ComponentDomains> components,
                                 ObjectProvider<CapabilityCatalogue> catalogue, S2sTls tls,
                                 ObjectProvider<MeterRegistry> meters) {
        return new Federation(properties, domain, hostedServices(catalogue.getIfAvailable()), bus, outbox,
                components.getIfAvailable(), new DialbackKeys(properties.dialbackSecret()),
                new RemoteAddresses(properties.routes(), new JndiDns()), tls,
                new S2sMetrics(meters.getIfAvailable(SimpleMeterRegistry::new)));
    }

    /** The hosted services' domains ({@code conference.<domain>}), as the server's catalogue declares them. */
    private static java.util.function.Predicate<String> hostedServices(CapabilityCatalogue catalogue) {
        if (catalogue == null) {
            return domain -> false;
        }
        return domain -> catalogue.declarations().stream().flatMap(d -> d.services().stream())
                .map(HostedService::address).anyMatch(address -> address.toString().equals(domain));
    }

    @Bean
    public Capability federationCapability() {
        return Capability.of(declaration(), registrar -> { });
    }

    static Declaration declaration() {
        return Declaration.builder("federation")
                .summary("server-to-server streams (5269, and direct TLS on 5270)")
                .topic(Topics.S2S)
                .partial("RFC 6120", "XMPP Core", "RFC", "server-to-server streams: STARTTLS required by default, "
                        + "static routes, SRV (_xmpps-server, _xmpp-server) then the domain on 5269; SASL EXTERNAL "
                        + "when the peer's certificate is valid for its domain under aviary.s2s.trusted-certificates, "
                        + "else dialback; XEP-0368 direct TLS port and _xmpps-server records")
                .complete("XEP-0220", "Server Dialback", "1.4.1", "both sides, and the authoritative side's db:verify; "
                        + "over TLS only unless aviary.s2s.tls-required=false")
                .complete("XEP-0185", "Dialback Key Generation and Validation", "1.0",
                        "HMAC-SHA256 keys from aviary.s2s.dialback-secret")
                .complete("XEP-0288", "Bidirectional Server-to-Server Connections", "1.0.1",
                        "offered on incoming streams and asked for on outgoing ones: one stream carries both ways")
                .complete("XEP-0344", "Impact of TLS and DNSSEC on Dialback", "1.0.1",
                        "dialback only over TLS by default; a certificate valid for the domain answers dialback "
                                + "without the callback; aviary.s2s.secure-auth requires one")
                .complete("XEP-0368", "SRV records for XMPP over TLS", "1.1.0",
                        "_xmpps-server records tried first and the direct TLS port 5270, both with ALPN xmpp-server")
                .build();
    }
}
