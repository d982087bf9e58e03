package io.aviary.gateway.tls;

import io.aviary.tls.ServerCertificate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS configuration: TLS 1.2 and 1.3 only (design.md, "Security defaults"), on the chosen engine. The
 * certificate can be {@link #reload replaced} while the server runs (a renewed certificate): new connections get the
 * new one, established ones keep theirs. The direct TLS port (XEP-0368) also names its protocol, {@code xmpp-client},
 * by ALPN.
 */
public final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    /** XEP-0368 §3: the ALPN protocol of a direct TLS connection to an {@code xmpps-client} service. */
    public static final String ALPN = "xmpp-client";

    private final ReloadableSslContext context;
    private final ReloadableSslContext directTls;
    private final SslProvider provider;
    private volatile X509Certificate certificate;

    public ServerTls(ServerCertificate serverCertificate, TlsProvider requested) throws SSLException {
        this.provider = engine(requested);
        this.certificate = serverCertificate.certificate();
        this.context = new ReloadableSslContext(build(serverCertificate, provider, null));
        this.directTls = new ReloadableSslContext(build(serverCertificate, provider, alpn()));
        log.info("TLS: {} engine, {} certificate {} from {}", describe(provider), serverCertificate.key().getAlgorithm(),
                certificate.getSubjectX500Principal().getName(), serverCertificate.certificateFile());
    }

    /** The key and chain in memory, not the files: what is presented and what signs stay one pair. */
    private static SslContext build(ServerCertificate serverCertificate, SslProvider provider,
                                    ApplicationProtocolConfig alpn) throws SSLException {
        return SslContextBuilder
                .forServer(serverCertificate.key(), serverCertificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(alpn)
                .build();
    }

    /**
     * {@code xmpp-client} chosen when offered. A client that offers only other protocols, or none, still gets its
     * stream: XEP-0368 makes ALPN a SHOULD, and the port is XMPP's alone.
     */
    private static ApplicationProtocolConfig alpn() {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN);
    }

    /** Presents {@code replacement} to every connection from now on. */
    public void reload(ServerCertificate replacement) throws SSLException {
        context.replace(build(replacement, provider, null));
        directTls.replace(build(replacement, provider, alpn()));
        certificate = replacement.certificate();
        log.info("TLS: certificate {} (valid until {}) loaded from {}",
                certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant(),
                replacement.certificateFile());
    }

    /** The engine {@code requested} stands for on this machine; {@code OPENSSL} fails when the native library is missing. */
    public static SslProvider engine(TlsProvider requested) {
        return switch (requested) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("aviary.gateway.tls-provider=openssl but OpenSSL cannot be loaded",
                            OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> {
                if (OpenSsl.isAvailable()) {
                    yield SslProvider.OPENSSL;
                }
                log.info("TLS: OpenSSL is not available here ({}); using the JDK engine", String.valueOf(OpenSsl.unavailabilityCause()));
                yield SslProvider.JDK;
            }
        };
    }

    private static String describe(SslProvider provider) {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
    }

    public SslContext context() {
        return context;
    }

    /** The engine in use: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider provider() {
        return provider;
    }

    /** The certificate presented to new connections. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A handler for direct TLS (XEP-0368): the handshake starts with the connection, ALPN included. */
    public SslHandler handler(ByteBufAllocator allocator) {
        return directTls.newHandler(allocator);
    }

    /**
     * A handler for STARTTLS: {@code startTls} lets the {@code <proceed/>} that precedes the
     * handshake leave unencrypted (RFC 6120 §5.4.2.3).
     */
    public SslHandler startTlsHandler(ByteBufAllocator allocator) {
        return new SslHandler(context.newEngine(allocator), true);
    }
}
