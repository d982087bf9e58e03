package io.aviary.xep0215;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The external services (STUN and TURN) the server tells its users about, under {@code aviary.extdisco}. With no
 * service configured the capability declares no feature and answers nothing (see {@link ExtdiscoConfiguration}).
 *
 * @param services       {@code aviary.extdisco.services[n].*}: the services, in the order they are listed to clients
 *                       (default none)
 * @param credentialTtl  {@code aviary.extdisco.credential-ttl}: how long TURN credentials are valid (default 1 day, as
 *                       Prosody's {@code mod_external_services} and the TURN REST API draft's example: a client asks
 *                       when it connects and may hold a call longer than an hour; a leaked credential still dies
 *                       within a day and names its account)
 */
@ConfigurationProperties(prefix = "aviary.extdisco")
public record ExtdiscoProperties(@DefaultValue List<Service> services, @DefaultValue("1d") Duration credentialTtl) {

    public ExtdiscoProperties {
        services = List.copyOf(services);
        if (credentialTtl.isNegative() || credentialTtl.isZero() || credentialTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("aviary.extdisco.credential-ttl must be at least one second");
        }
    }

    /**
     * One external service.
     *
     * @param host      {@code host}: its host name or IP address, as clients reach it (required)
     * @param port      {@code port}: its port (default 3478 for {@code stun} and {@code turn}, 5349 for {@code stuns}
     *                  and {@code turns}: RFC 8489 §9, RFC 8656 §19)
     * @param type      {@code type}: {@code stun}, {@code stuns}, {@code turn} or {@code turns} (required)
     * @param transport {@code transport}: {@code udp} or {@code tcp} (default {@code udp}, {@code tcp} for the TLS types)
     * @param name      {@code name}: a label clients may show (default none)
     * @param secret    {@code secret}: for {@code turn} and {@code turns}, the shared secret of the TURN REST API
     *                  (coturn's {@code static-auth-secret} with {@code use-auth-secret}); the server then hands out
     *                  time-limited credentials and lists the service as {@code restricted} (default none: the service
     *                  needs no credentials). Never written to a stanza, a log or {@link #toString()}.
     */
    public record Service(String host, Integer port, String type, String transport, String name, String secret) {

        static final Set<String> TYPES = Set.of("stun", "stuns", "turn", "turns");
        static final Set<String> TRANSPORTS = Set.of("udp", "tcp");

        public Service {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("aviary.extdisco.services[].host is required");
            }
            type = type == null ? null : type.toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("aviary.extdisco.services[].type of " + host + " must be one of "
                        + TYPES + ", not " + type);
            }
            boolean tls = type.endsWith("s");
            port = port == null ? (tls ? 5349 : 3478) : port;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("aviary.extdisco.services[].port of " + host + " is not a port: " + port);
            }
            transport = transport == null ? (tls ? "tcp" : "udp") : transport.toLowerCase(Locale.ROOT);
            if (!TRANSPORTS.contains(transport)) {
                throw new IllegalArgumentException("aviary.extdisco.services[].transport of " + host + " must be one of "
                        + TRANSPORTS + ", not " + transport);
            }
            secret = secret == null || secret.isEmpty() ? null : secret;
            if (secret != null && type.startsWith("stun")) {
                throw new IllegalArgumentException("aviary.extdisco.services[].secret of " + host
                        + ": STUN binding needs no credentials; a secret belongs to a turn or turns service");
            }
        }

        /** Whether clients need credentials from this server to use it (XEP-0215 §2 {@code restricted}). */
        public boolean restricted() {
            return secret != null;
        }

        @Override
        public String toString() {
            return "Service[host=" + host + ", port=" + port + ", type=" + type + ", transport=" + transport + ", name="
                    + name + ", secret=" + (secret == null ? "none" : "******") + "]";
        }
    }
}
