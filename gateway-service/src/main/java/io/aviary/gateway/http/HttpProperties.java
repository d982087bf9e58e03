package io.aviary.gateway.http;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gateway's HTTP listener for BOSH (XEP-0124/0206), WebSocket (RFC 7395) and
 * connection discovery (XEP-0156) ({@code aviary.gateway.http.*}). The listener binds to
 * {@code aviary.gateway.bind-address} and shares the gateway's stream limits and TLS certificate.
 *
 * @param enabled          whether the HTTP listener runs (default true)
 * @param port             plain HTTP port (default 5280; 0 picks a free port; -1 disables)
 * @param tlsPort          HTTPS port, with the gateway's certificate (default 5443; 0 picks a free port; -1 disables)
 * @param plainAuthAllowed whether clients on the plain HTTP port may authenticate, as if the connection were
 *                         encrypted (default false). Turn it on only behind a TLS-terminating reverse proxy or
 *                         for loopback tests: with it off, SASL on the plain port fails with
 *                         {@code encryption-required} (unless {@code aviary.gateway.tls-required=false})
 * @param allowedOrigins   origins allowed by CORS for BOSH and discovery, and for the WebSocket handshake's
 *                         {@code Origin}; {@code *} allows every origin (default {@code *}: clients authenticate
 *                         with SASL inside the stream, never with cookies, so a foreign page gains nothing)
 * @param publicUrl        base URL that discovery advertises, e.g. {@code https://xmpp.example.com}; default:
 *                         built from the request's {@code Host} header and the listener's scheme
 * @param maxBodyBytes     largest BOSH request body, in bytes (default 524288); larger requests get HTTP 413
 * @param boshMaxWait      longest time a BOSH request is held waiting for data, XEP-0124 'wait' (default 60s)
 * @param boshMaxHold      most requests held at once, XEP-0124 'hold' (default 1); 'requests' is one more
 * @param boshInactivity   a BOSH session with no request for this long ends, XEP-0124 'inactivity' (default 60s)
 * @param boshPolling      shortest interval between empty requests of a polling (hold=0) client, XEP-0124
 *                         'polling' (default 2s)
 * @param boshMaxPause     longest pause a client may ask for, XEP-0124 'maxpause' (default 120s)
 * @param idleTimeout      a connection that has not sent a whole request header this long after it opened or after
 *                         its last response is closed: silent connections, idle keep-alive and headers sent byte by
 *                         byte alike (default 60s). WebSocket connections leave HTTP behind at the upgrade; the
 *                         stream's {@code aviary.gateway.idle-timeout} watches them
 * @param readTimeout      a request body must arrive whole within this, with no pause longer than it (default 30s)
 */
@ConfigurationProperties(prefix = "aviary.gateway.http")
public record HttpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5280") int port,
        @DefaultValue("5443") int tlsPort,
        @DefaultValue("false") boolean plainAuthAllowed,
        @DefaultValue("*") List<String> allowedOrigins,
        String publicUrl,
        @DefaultValue("524288") int maxBodyBytes,
        @DefaultValue("60s") Duration boshMaxWait,
        @DefaultValue("1") int boshMaxHold,
        @DefaultValue("60s") Duration boshInactivity,
        @DefaultValue("2s") Duration boshPolling,
        @DefaultValue("120s") Duration boshMaxPause,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("30s") Duration readTimeout) {
}
