package io.aviary.xep0114;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * External components (XEP-0114, {@code aviary.components.*}).
 *
 * @param port             the component port (default 5347, the port XEP-0114 components expect; 0 picks a free one,
 *                         for tests); opened only when some component is configured
 * @param bindAddress      the address the listener binds (default 127.0.0.1: components usually run next to the
 *                         server, and the handshake is a shared secret over a stream without TLS)
 * @param maxStanzaBytes   the largest stanza a component may send (default 256KB, the c2s limit after login)
 * @param maxOutboundQueue when more than this waits to be sent to a component (it does not read), its stream ends
 *                         with {@code resource-constraint} (default 16MB: a gateway takes more than one user's traffic)
 * @param handshakeTimeout a connection that has not completed the handshake within this time is closed (default 10s)
 * @param services         the components allowed to connect; none by default
 * @param instanceId       this s2s instance's id in a cluster, which names its own topic {@code xmpp.s2s.<id>} where
 *                         other instances forward the stanzas for the components connected here (default: random)
 * @param holderTtl        in a cluster, how long an instance's hold on a component's domain lasts without renewal
 *                         (default 30s; renewed every third of it): how soon a component may reconnect to another
 *                         instance after its instance died
 */
@ConfigurationProperties(prefix = "aviary.components")
public record ComponentsProperties(@DefaultValue("5347") int port, @DefaultValue("127.0.0.1") String bindAddress,
                                   @DefaultValue("256KB") DataSize maxStanzaBytes,
                                   @DefaultValue("16MB") DataSize maxOutboundQueue,
                                   @DefaultValue("10s") Duration handshakeTimeout,
                                   @DefaultValue List<Component> services, String instanceId,
                                   @DefaultValue("30s") Duration holderTtl) {

    /**
     * One component.
     *
     * @param domain   the domain it serves ({@code irc.example.org}): its stream's {@code to}, the {@code from} of its
     *                 stanzas, and what the router hands it
     * @param secret   the shared secret of the handshake (XEP-0114 §3: SHA-1 of the stream id and this)
     * @param name     its name in the domain's disco#items (default: the domain)
     * @param category its disco identity's category (default {@code gateway}; XEP-0100 gateways are)
     * @param type     its disco identity's type (default {@code generic}; {@code irc} for an IRC gateway)
     */
    public record Component(String domain, String secret, String name, @DefaultValue("gateway") String category,
                            @DefaultValue("generic") String type) {

        public Component {
            if (domain == null || domain.isBlank() || secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("aviary.components.services[n] needs a domain and a secret");
            }
            name = name == null || name.isBlank() ? domain : name;
            category = category == null || category.isBlank() ? "gateway" : category;
            type = type == null || type.isBlank() ? "generic" : type;
        }
    }

    public ComponentsProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("aviary.components.port must be 0-65535");
        }
        if (maxOutboundQueue.toBytes() < 1024 || maxStanzaBytes.toBytes() < 1024 || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("aviary.components.max-stanza-bytes and max-outbound-queue must be at least 1KB and "
                    + "handshake-timeout positive");
        }
        services = services == null ? List.of() : List.copyOf(services);
        instanceId = instanceId == null || instanceId.isBlank()
                ? "s2s-" + java.util.UUID.randomUUID().toString().substring(0, 8) : instanceId;
        if (holderTtl.toMillis() < 300) {
            throw new IllegalArgumentException("aviary.components.holder-ttl must be at least 300ms");
        }
        Set<String> domains = new HashSet<>();
        for (Component component : services) {
            if (!domains.add(component.domain())) {
                throw new IllegalArgumentException("aviary.components.services: " + component.domain() + " twice");
            }
        }
    }
}
