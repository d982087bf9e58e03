package io.aviary.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How every simulated client connects and logs in.
 *
 * @param targets     c2s endpoints, used round-robin (the standalone app, or each gateway of a cluster)
 * @param domain      the XMPP domain of the accounts
 * @param startTls    whether clients negotiate STARTTLS (trusting any certificate) before SASL
 * @param mechanism   the SASL mechanism
 * @param password    the one password every benchmark account shares
 * @param userPrefix  accounts are {@code <prefix><n>@<domain>}, n from 1
 * @param timeout     how long a login (connect to bound) may take before it counts as failed
 * @param tlsEngine   the clients' TLS implementation
 * @param streamManagement whether clients enable XEP-0198 stream management with resumption after binding and
 *                    answer the server's acknowledgement requests, as mobile clients do
 */
public record ClientSettings(List<InetSocketAddress> targets, String domain, boolean startTls, Mechanism mechanism,
                      String password, String userPrefix, Duration timeout, TlsEngine tlsEngine,
                      boolean streamManagement) {

    public enum Mechanism { SCRAM_SHA_256, PLAIN }

    /** OpenSSL (BoringSSL) when it loads, OpenSSL only, or the JDK's engine, as the server's tls-provider. */
    public enum TlsEngine { AUTO, OPENSSL, JDK }

    public static List<InetSocketAddress> parseTargets(String list) {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (String target : list.split(",")) {
            String t = target.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a target is host:port, not '" + t + "'");
            }
            // Unresolved: Netty resolves on connect, and a literal address never costs a lookup.
            targets.add(InetSocketAddress.createUnresolved(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1))));
        }
        return List.copyOf(targets);
    }

    /** Localpart of account {@code n} (from 1). */
    public String username(int n) {
        return userPrefix + n;
    }

    public String bareJid(int n) {
        return username(n) + "@" + domain;
    }
}
