package io.aviary.gateway.tls;

import io.aviary.tls.ServerCertificate;
import io.netty.buffer.ByteBufAllocator;
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
 * new one, established ones keep theirs.
 */
public final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final ReloadableSslContext context;
    private final SslProvider provider;
    private volatile X509Certificate certificate;

    public ServerTls(ServerCertificate serverCertificate, TlsProvider requested) throws SSLException {
        this.provider = engine(requested);
        this.certificate = serverCertificate.certificate();
        this.context = new ReloadableSslContext(build(serverCertificate, provider));
        log.info("TLS: {} engine, {} certificate {} from {}", describe(provider), serverCertificate.key().getAlgorithm(),
                certificate.getSubjectX500Principal().getName(), serverCertificate.certificateFile());
    }

    /** The key and chain in memory, not the files: what is presented and what signs stay one pair. */
    private static SslContext build(ServerCertificate serverCertificate, SslProvider provider) throws SSLException {
        return SslContextBuilder
                .forServer(serverCertificate.key(), serverCertificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /** Presents {@code replacement} to every connection from now on. */
    public void reload(ServerCertificate replacement) throws SSLException {
        context.replace(build(replacement, provider));
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

    /** A handler for direct TLS (XEP-0368): the handshake starts with the connection. */
    public SslHandler handler(ByteBufAllocator allocator) {
        return context.newHandler(allocator);
    }

    /**
     * A handler for STARTTLS: {@code startTls} lets the {@code <proceed/>} that precedes the
     * handshake leave unencrypted (RFC 6120 §5.4.2.3).
     */
    public SslHandler startTlsHandler(ByteBufAllocator allocator) {
        return new SslHandler(context.newEngine(allocator), true);
    }
}
