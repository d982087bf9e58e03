package io.aviary.s2s;

import io.aviary.tls.ServerCertificate;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS of the s2s streams, TLS 1.2 and 1.3 only, with the server's certificate (the shared {@link ServerCertificate}:
 * the gateway's files or its self-signed pair) on both sides: presented to servers that connect here, and as the
 * client certificate of outgoing streams. Any certificate is accepted during the handshake (TLS then gives
 * confidentiality); whether a peer's certificate authenticates its domain, for SASL EXTERNAL (RFC 6120 §13.7.1.2), is
 * {@link #authenticates decided} afterwards against {@code aviary.s2s.trusted-certificates} or the JDK's trust store.
 * Direct TLS streams (XEP-0368) also name their protocol, {@code xmpp-server}, by ALPN.
 */
public final class S2sTls {

    /** XEP-0368 §3: the ALPN protocol of a direct TLS connection to an {@code xmpps-server} service. */
    public static final String ALPN = "xmpp-server";

    private final SslContext server;
    private final SslContext client;
    private final SslContext directServer;
    private final SslContext directClient;
    private final X509TrustManager trust;

    /** @param trustedCertificates a PEM file of the CA (or self-signed peer) certificates trusted; null: the JDK's */
    public S2sTls(ServerCertificate certificate, Path trustedCertificates) throws IOException, GeneralSecurityException {
        X509Certificate[] chain = certificate.chain().toArray(X509Certificate[]::new);
        this.server = serverBuilder(certificate, chain).build();
        this.client = clientBuilder(certificate, chain).build();
        this.directServer = serverBuilder(certificate, chain).applicationProtocolConfig(alpn()).build();
        this.directClient = clientBuilder(certificate, chain).applicationProtocolConfig(alpn()).build();
        this.trust = trustManager(trustedCertificates);
    }

    private static SslContextBuilder serverBuilder(ServerCertificate certificate, X509Certificate[] chain) {
        return SslContextBuilder.forServer(certificate.key(), chain).protocols("TLSv1.3", "TLSv1.2")
                .clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
    }

    private static SslContextBuilder clientBuilder(ServerCertificate certificate, X509Certificate[] chain) {
        return SslContextBuilder.forClient().keyManager(certificate.key(), chain)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3", "TLSv1.2");
    }

    /**
     * {@code xmpp-server} offered and chosen. A peer that offers only other protocols, or none, still gets its stream:
     * XEP-0368 makes ALPN a SHOULD, and a port of its own needs no multiplexing.
     */
    private static ApplicationProtocolConfig alpn() {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN);
    }

    private static X509TrustManager trustManager(Path trustedCertificates) throws IOException, GeneralSecurityException {
        KeyStore store = null;
        if (trustedCertificates != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(trustedCertificates)) {
                Collection<? extends java.security.cert.Certificate> certificates =
                        CertificateFactory.getInstance("X.509").generateCertificates(in);
                int i = 0;
                for (java.security.cert.Certificate trusted : certificates) {
                    store.setCertificateEntry("trusted-" + i++, trusted);
                }
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    public SslContext server() {
        return server;
    }

    public SslContext client() {
        return client;
    }

    /** The context of the direct TLS port (XEP-0368), with ALPN. */
    public SslContext directServer() {
        return directServer;
    }

    /** The context of outgoing direct TLS connections (to {@code _xmpps-server} addresses), with ALPN. */
    public SslContext directClient() {
        return directClient;
    }

    /**
     * Whether {@code chain} is PKIX-valid under the trusted certificates and names {@code domain} (RFC 6125: a DNS
     * subject alternative name, a wildcard for one label, or the common name when there is no DNS name).
     */
    public boolean authenticates(List<X509Certificate> chain, String domain) {
        if (chain.isEmpty() || domain == null) {
            return false;
        }
        try {
            trust.checkClientTrusted(chain.toArray(X509Certificate[]::new), chain.get(0).getPublicKey().getAlgorithm());
            chain.get(0).checkValidity();
        } catch (CertificateException e) {
            return false;
        }
        return names(chain.get(0), domain.toLowerCase(Locale.ROOT));
    }

    private static boolean names(X509Certificate certificate, String domain) {
        boolean anyDns = false;
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) {
                        anyDns = true;
                        if (matches(String.valueOf(alternative.get(1)).toLowerCase(Locale.ROOT), domain)) {
                            return true;
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (anyDns) {
            return false;
        }
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())
                        && matches(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT), domain)) {
                    return true;
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return false;
    }

    private static boolean matches(String name, String domain) {
        if (name.startsWith("*.")) {
            int dot = domain.indexOf('.');
            return dot > 0 && domain.substring(dot + 1).equals(name.substring(2));
        }
        return name.equals(domain);
    }
}
