package io.aviary.s2s;

import io.aviary.tls.ServerCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * TLS of the s2s streams, TLS 1.2 and 1.3 only, with the server's certificate (the shared {@link ServerCertificate}:
 * the gateway's files or its self-signed pair) on both sides: presented to servers that connect here, and as the
 * client certificate of outgoing streams. The peer's certificate is not what authenticates it here: dialback does
 * (XEP-0220 over TLS, XEP-0344), so a self-signed peer is accepted for encryption.
 */
public final class S2sTls {

    private final SslContext server;
    private final SslContext client;

    public S2sTls(ServerCertificate certificate) throws SSLException {
        X509Certificate[] chain = certificate.chain().toArray(X509Certificate[]::new);
        this.server = SslContextBuilder.forServer(certificate.key(), chain).protocols("TLSv1.3", "TLSv1.2").build();
        this.client = SslContextBuilder.forClient().keyManager(certificate.key(), chain)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3", "TLSv1.2").build();
    }

    public SslContext server() {
        return server;
    }

    public SslContext client() {
        return client;
    }
}
