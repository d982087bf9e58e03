package io.aviary.xep0065;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The XEP-0065 bytestreams proxy ({@code aviary.proxy65.*}).
 *
 * @param address            the service's JID (default {@code proxy.<aviary.domain>})
 * @param bindAddress        the address the SOCKS5 listener binds (default empty: every interface)
 * @param port               the SOCKS5 port (default 7777, ejabberd's; 0 picks a free one, for tests)
 * @param advertisedHost     the host the streamhost query answers, which clients connect to (default the bind
 *                           address, or the domain when binding every interface); behind NAT or in a cluster set it
 *                           to this instance's public name or address (a pod's IP in Kubernetes)
 * @param advertisedPort     the port the streamhost query answers (default 0: the port bound)
 * @param maxBytes           the most bytes one transfer relays, both directions together (default 1GB); beyond, both
 *                           connections are closed
 * @param idleTimeout        an activated transfer with no byte either way for this long is closed (default 2m)
 * @param activationTimeout  a connection not activated within this time is closed (default 60s: the target connects
 *                           first and waits while the requester connects and activates)
 * @param maxTransfers       the most hashes (pending or activated transfers) at once; a connection for a new hash beyond
 *                           is refused with SOCKS5 reply 0x02 (default 1000)
 */
@ConfigurationProperties(prefix = "aviary.proxy65")
public record Proxy65Properties(String address, @DefaultValue("") String bindAddress, @DefaultValue("7777") int port,
                                String advertisedHost, @DefaultValue("0") int advertisedPort,
                                @DefaultValue("1GB") DataSize maxBytes, @DefaultValue("2m") Duration idleTimeout,
                                @DefaultValue("60s") Duration activationTimeout,
                                @DefaultValue("1000") int maxTransfers) {

    public Proxy65Properties {
        if (port < 0 || port > 65535 || advertisedPort < 0 || advertisedPort > 65535) {
            throw new IllegalArgumentException("aviary.proxy65.port and advertised-port must be 0-65535");
        }
        if (maxTransfers < 1) {
            throw new IllegalArgumentException("aviary.proxy65.max-transfers must be at least 1");
        }
        if (maxBytes.toBytes() < 1 || idleTimeout.isNegative() || idleTimeout.isZero()
                || activationTimeout.isNegative() || activationTimeout.isZero()) {
            throw new IllegalArgumentException("aviary.proxy65.max-bytes and the timeouts must be positive");
        }
    }
}
