package io.aviary.s2s;

import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/** What an s2s stream writes to, independent of the transport (tests may fake it). */
interface Link {

    void write(String xml);

    /** Closes once what was written is sent (or after a grace period). */
    void close();

    /**
     * Starts TLS on the connection: as the server after writing {@code <proceed/>} ({@code proceed} non-null, sent in
     * the clear before the handshake, RFC 6120 §5.4.2.3), or as the client towards {@code peerHost}. {@code done} runs
     * once the handshake succeeded, {@code failed} when it did not.
     */
    void startTls(SslContext context, String proceed, String peerHost, Runnable done, Consumer<Throwable> failed);

    /** Whether the connection is encrypted. */
    boolean secure();

    /** The certificate chain the peer presented in the TLS handshake; empty when none (or no TLS). */
    List<X509Certificate> peerCertificates();

    /** Runs {@code task} on the connection's thread, where its input is parsed. */
    void execute(Runnable task);

    String remoteAddress();
}
