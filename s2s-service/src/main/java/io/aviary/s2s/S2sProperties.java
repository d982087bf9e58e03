package io.aviary.s2s;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Server-to-server federation (RFC 6120, {@code aviary.s2s.*}).
 *
 * @param enabled         whether this process federates (default true); false leaves only the components' consumer of
 *                        the s2s topic, and every remote domain is unreachable
 * @param port            the s2s port for STARTTLS streams (default 5269; 0 picks a free one, for tests; -1 none)
 * @param directTlsPort   the XEP-0368 direct TLS port (default 5270; 0 a free one; -1 none)
 * @param bindAddress     the address the listeners bind (default 0.0.0.0: remote servers connect from anywhere)
 * @param routes          static routes, domain to {@code host:port}, tried before DNS (private federations, tests)
 * @param tlsRequired     streams both ways must be encrypted before authentication (default true): a peer that does
 *                        not offer STARTTLS is not used, and dialback is refused on an unencrypted stream (XEP-0344)
 * @param certificate     the PEM certificate chain presented to peers (default: the gateway's
 *                        {@code aviary.gateway.tls-certificate}, else the self-signed pair in {@code <data-dir>/tls})
 * @param key             the PEM private key of {@code certificate}
 * @param trustedCertificates a PEM file of the certificates (CAs, or a peer's own) whose chains authenticate a
 *                        peer's domain for SASL EXTERNAL (default: the JDK's trust store); dialback needs none
 * @param secureAuth      require a certificate valid for the peer's domain both ways (default false, as Prosody's
 *                        {@code s2s_secure_auth}): an outgoing stream to a server whose certificate does not name the
 *                        domain it serves is abandoned (its stanzas bounce), and an incoming peer must prove its domain
 *                        with its certificate (SASL EXTERNAL, or dialback with a valid certificate, XEP-0344); dialback
 *                        alone, which trusts DNS, is refused
 * @param dialbackSecret  the secret of the dialback keys (XEP-0185). Default: a random one per process, which is right
 *                        for one server; <em>every instance of a cluster must be given the same one</em>, since a
 *                        remote server may ask any instance to verify a key another instance issued
 * @param allow           when not empty, the only remote domains federated with (both ways)
 * @param deny            remote domains never federated with (both ways); wins over {@code allow}
 * @param idleTimeout     a stream, incoming or outgoing, with no traffic for this long is closed (default 10m)
 * @param connectTimeout  how long an outgoing stream may take from the first connection attempt until it is
 *                        authenticated (default 30s); its stanzas then bounce with {@code remote-server-timeout}
 * @param queueLimit      stanzas held for a remote domain while its stream is set up (default 1000); more bounce
 * @param retryDelay      after a remote domain could not be reached, stanzas for it bounce at once for this long
 *                        (default 30s) instead of each trying again: a user (or a spammer) writing to dead domains does
 *                        not make the server connect out for every stanza
 * @param maxStanzaBytes  the largest stanza a remote server may send (default 256KB, the c2s limit after login)
 * @param maxBytesPerSecond what one stream may send us a second (default 5MB: a server carries many users' traffic,
 *                        five times a client's after login); beyond it the stream is not read from until the second
 *                        is over, as the c2s shaper does; 0 switches it off
 * @param maxConnectionsPerAddress streams one remote address may hold open to this instance (default 64: a server
 *                        opens one per pair of domains); more are closed at once; 0 switches it off
 */
@ConfigurationProperties(prefix = "aviary.s2s")
public record S2sProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5269") int port,
                            @DefaultValue("5270") int directTlsPort, @DefaultValue("0.0.0.0") String bindAddress,
                            @DefaultValue Map<String, String> routes, @DefaultValue("true") boolean tlsRequired,
                            Path certificate, Path key, Path trustedCertificates, @DefaultValue("false") boolean secureAuth,
                            String dialbackSecret, @DefaultValue List<String> allow,
                            @DefaultValue List<String> deny, @DefaultValue("10m") Duration idleTimeout,
                            @DefaultValue("30s") Duration connectTimeout, @DefaultValue("1000") int queueLimit,
                            @DefaultValue("30s") Duration retryDelay,
                            @DefaultValue("256KB") DataSize maxStanzaBytes,
                            @DefaultValue("5MB") DataSize maxBytesPerSecond,
                            @DefaultValue("64") int maxConnectionsPerAddress) {

    public S2sProperties {
        if (port < -1 || port > 65535 || directTlsPort < -1 || directTlsPort > 65535) {
            throw new IllegalArgumentException("aviary.s2s.port and direct-tls-port must be -1 (off) or 0-65535");
        }
        if (maxBytesPerSecond.isNegative() || maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("aviary.s2s.max-bytes-per-second and max-connections-per-address must not "
                    + "be negative");
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("aviary.s2s.retry-delay must not be negative");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()
                || queueLimit < 1 || maxStanzaBytes.toBytes() < 1024) {
            throw new IllegalArgumentException("aviary.s2s.idle-timeout and connect-timeout must be positive, queue-limit "
                    + "at least 1 and max-stanza-bytes at least 1KB");
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("aviary.s2s.certificate and aviary.s2s.key go together");
        }
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }
}
