package io.aviary.gateway.tls;

/**
 * Which TLS implementation the gateway's listeners use ({@code aviary.gateway.tls-provider}).
 * The handshake is most of a login's CPU with the JDK's engine (docs/benchmarks.md, "Logins").
 */
public enum TlsProvider {
    /** OpenSSL (BoringSSL through netty-tcnative) when its native library loads on this platform, else the JDK. */
    AUTO,
    /** OpenSSL only; the gateway does not start if the native library cannot be loaded. */
    OPENSSL,
    /** The JDK's own engine (JSSE). */
    JDK
}
