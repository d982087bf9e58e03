package io.aviary.gateway.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/** The gateway's TLS configuration: TLS 1.2 and 1.3 only (design.md, "Security defaults"). */
public final class ServerTls {

    private final SslContext context;
    private final X509Certificate certificate;

    public ServerTls(ServerCertificate serverCertificate) throws SSLException {
        this.certificate = serverCertificate.certificate();
        this.context = SslContextBuilder
                .forServer(serverCertificate.certificateFile().toFile(), serverCertificate.keyFile().toFile())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    public SslContext context() {
        return context;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A handler for STARTTLS: {@code startTls} lets the {@code <proceed/>} that precedes the
     * handshake leave unencrypted (RFC 6120 §5.4.2.3).
     */
    public SslHandler startTlsHandler(ByteBufAllocator allocator) {
        return new SslHandler(context.newEngine(allocator), true);
    }
}
