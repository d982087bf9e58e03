package io.aviary.gateway;

import io.aviary.gateway.csi.CsiProperties;
import io.aviary.gateway.limits.ShaperProperties;
import io.aviary.gateway.tls.TlsProvider;
import io.aviary.gateway.warmup.WarmUpProperties;
import io.aviary.xmpp.xml.ParserLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the client gateway ({@code aviary.gateway.*}).
 *
 * @param enabled           whether this process runs the gateway tier (default true)
 * @param id                this gateway instance's id on the bus; default: a random id per start
 * @param bindAddress       address the listeners bind to (default 0.0.0.0)
 * @param c2sPort           client-to-server port with STARTTLS (default 5222; 0 picks a free port)
 * @param directTlsPort     client-to-server port with TLS from the first byte, XEP-0368 (default 5223; -1 disables)
 * @param tlsRequired       whether STARTTLS must be negotiated before SASL (default true, RFC 6120 §5.3.1)
 * @param tlsCertificate    PEM certificate chain; when unset a self-signed ECDSA P-256 one is generated in the data
 *                          directory (one generated earlier, RSA or EC, is reused)
 * @param tlsKey            PEM private key matching {@code tlsCertificate}, RSA or EC (PKCS#8, PKCS#1 or SEC 1);
 *                          both are read at start and again when they change
 * @param tlsReloadInterval how often the configured certificate and key files are checked for a change, which new
 *                          connections then get without a restart (default 1m; 0 never checks)
 * @param tlsProvider       TLS engine: {@code auto} (default: OpenSSL/BoringSSL when its native library loads,
 *                          else the JDK's; the start log says which), {@code openssl} (fail to start without it)
 *                          or {@code jdk}. OpenSSL makes a handshake several times cheaper (docs/benchmarks.md)
 * @param maxStanzaBytes    largest first-level element accepted, in bytes (default 262144)
 * @param maxDepth          deepest element nesting below the stream root (default 32)
 * @param maxAttributes     most attributes on one element (default 64)
 * @param maxStanzaElements most elements in one stanza, itself included (default 5000)
 * @param maxStanzaBytesBeforeAuth  largest first-level element before SASL success, in bytes (default 16384)
 * @param maxStanzaElementsBeforeAuth most elements in one first-level element before SASL success (default 100)
 * @param maxAuthAttempts   failed SASL attempts on one stream before it is closed (default 3, RFC 6120 §6.4.5)
 * @param failedLoginsPerMinute failed logins per client address and account per minute before further attempts at
 *                          that account from that address get {@code temporary-auth-failure} (default 10; more
 *                          limits in {@link io.aviary.gateway.stream.AuthProperties})
 * @param maxResourcesPerAccount bound resources per account (default 32)
 * @param registrationOpen  whether in-band registration (XEP-0077) is offered to unauthenticated streams (default false)
 * @param saslChannelBinding whether SCRAM-*-PLUS is offered with tls-server-end-point channel binding (default
 *                          false: clients that ignore XEP-0440 pick tls-unique, which TLS 1.3 lacks, and fail)
 * @param idleTimeout       a stream that sends nothing for this long is closed with connection-timeout (default 10m)
 * @param parserReleaseAfter a TCP stream that sends nothing for this long, between two stanzas, gives back its XML
 *                          parser's buffers (about 3 KB) until its next byte (default 30s; 0: only at the idle timeout)
 * @param negotiationTimeout a stream not authenticated and bound this long after its connection opened is closed
 *                          with connection-timeout, however much it sends (default 30s, as ejabberd's)
 * @param maxConnections    open client connections over all listeners, TCP and HTTP (default 100000; 0: no cap)
 * @param maxConnectionsPerAddress open client connections from one address over all listeners (default 100; 0: no
 *                          cap). Past either cap a new connection is closed at once, see TcpListener
 * @param outboundPause     while more than this waits to be sent to a client, its input is not read (default
 *                          256KB; reading resumes below half)
 * @param maxOutboundQueue  when more than this waits to be sent to a client, its stream ends with
 *                          resource-constraint and the connection is closed (default 4MB)
 * @param shaper            the per-connection traffic shaper of TCP and WebSocket streams ({@code shaper.*})
 * @param csi               XEP-0352 Client State Indication ({@code csi.*})
 * @param warmUp            the logins the gateway makes to itself at start before it reports ready ({@code warm-up.*})
 */
@ConfigurationProperties(prefix = "aviary.gateway")
public record GatewayProperties(
        @DefaultValue("true") boolean enabled,
        String id,
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue("5222") int c2sPort,
        @DefaultValue("5223") int directTlsPort,
        @DefaultValue("true") boolean tlsRequired,
        Path tlsCertificate,
        Path tlsKey,
        @DefaultValue("auto") TlsProvider tlsProvider,
        @DefaultValue("1m") Duration tlsReloadInterval,
        @DefaultValue("262144") int maxStanzaBytes,
        @DefaultValue("32") int maxDepth,
        @DefaultValue("64") int maxAttributes,
        @DefaultValue("5000") int maxStanzaElements,
        @DefaultValue("16384") int maxStanzaBytesBeforeAuth,
        @DefaultValue("100") int maxStanzaElementsBeforeAuth,
        @DefaultValue("3") int maxAuthAttempts,
        @DefaultValue("10") int failedLoginsPerMinute,
        @DefaultValue("32") int maxResourcesPerAccount,
        @DefaultValue("false") boolean registrationOpen,
        @DefaultValue("false") boolean saslChannelBinding,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("30s") Duration parserReleaseAfter,
        @DefaultValue("30s") Duration negotiationTimeout,
        @DefaultValue("100000") int maxConnections,
        @DefaultValue("100") int maxConnectionsPerAddress,
        @DefaultValue("256KB") DataSize outboundPause,
        @DefaultValue("4MB") DataSize maxOutboundQueue,
        @DefaultValue ShaperProperties shaper,
        @DefaultValue CsiProperties csi,
        @DefaultValue WarmUpProperties warmUp) {

    /** What the parser accepts from an authenticated stream. */
    public ParserLimits parserLimits() {
        return new ParserLimits(maxStanzaBytes, maxDepth, maxAttributes, maxStanzaElements);
    }

    /** What the parser accepts before SASL success: less, so an unauthenticated connection costs little memory. */
    public ParserLimits parserLimitsBeforeAuth() {
        return new ParserLimits(maxStanzaBytesBeforeAuth, maxDepth, maxAttributes, maxStanzaElementsBeforeAuth);
    }
}
