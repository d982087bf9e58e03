package io.aviary.xmpp.sasl;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * The mechanisms one stream offers (RFC 6120 §6.4.1, {@code <mechanisms/>}) and the factory for
 * the one the client picks. Built per stream, since TLS state and channel bindings are per stream.
 *
 * <p>Offer order is preference order, strongest first:
 * SCRAM-SHA-512-PLUS, SCRAM-SHA-256-PLUS, SCRAM-SHA-1-PLUS (only with channel binding), then
 * SCRAM-SHA-512, SCRAM-SHA-256, SCRAM-SHA-1, then PLAIN (only over TLS).
 */
public final class SaslMechanisms {

    private static final List<ScramAlgorithm> SCRAM_ORDER =
            List.of(ScramAlgorithm.SHA_512, ScramAlgorithm.SHA_256, ScramAlgorithm.SHA_1);

    private final CredentialLookup lookup;
    private final DomainBareJid domain;
    private final SecureRandom random;
    private final boolean tls;
    private final ChannelBindings channelBindings;
    private final DecoyCredentials decoys;
    private final List<String> offered;

    /**
     * @param tls whether the stream is TLS-protected (STARTTLS done, or direct TLS).
     * @param channelBindings the bindings that TLS session provides; must be empty without TLS.
     * @param decoys credentials for unknown users; use one server-wide secret for all nodes.
     */
    public SaslMechanisms(CredentialLookup lookup, DomainBareJid domain, SecureRandom random, boolean tls,
            ChannelBindings channelBindings, DecoyCredentials decoys) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.random = Objects.requireNonNull(random, "random");
        this.tls = tls;
        this.channelBindings = Objects.requireNonNull(channelBindings, "channelBindings");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
        if (!tls && !channelBindings.isEmpty()) {
            throw new IllegalArgumentException("channel bindings without TLS");
        }
        this.offered = List.copyOf(computeOffered());
    }

    /** As above with {@link DecoyCredentials#perProcess()}: fine for a single node. */
    public SaslMechanisms(CredentialLookup lookup, DomainBareJid domain, SecureRandom random, boolean tls,
            ChannelBindings channelBindings) {
        this(lookup, domain, random, tls, channelBindings, DecoyCredentials.perProcess());
    }

    private List<String> computeOffered() {
        List<String> names = new ArrayList<>(7);
        if (!channelBindings.isEmpty()) {
            for (ScramAlgorithm algorithm : SCRAM_ORDER) {
                names.add(algorithm.plusMechanismName());
            }
        }
        for (ScramAlgorithm algorithm : SCRAM_ORDER) {
            names.add(algorithm.mechanismName());
        }
        if (tls) {
            names.add(PlainServer.NAME);
        }
        return names;
    }

    /** Mechanism names to advertise, in preference order. */
    public List<String> offered() {
        return offered;
    }

    /**
     * Channel binding types to advertise with XEP-0440 ({@code <sasl-channel-binding/>}), so
     * clients pick one we support instead of guessing; empty when no -PLUS mechanism is offered.
     */
    public List<String> channelBindingTypes() {
        return channelBindings.types();
    }

    /**
     * XEP-0474: what SCRAM signs into server-first-message, namely the mechanisms offered here and the channel-binding
     * types, which the gateway advertises with XEP-0440 whenever there are any.
     */
    public DowngradeProtection downgradeProtection() {
        return new DowngradeProtection(offered, channelBindings.types());
    }

    /**
     * A fresh mechanism for the client's {@code <auth mechanism='...'/>}; empty for names that are
     * unknown or not offered on this stream — the caller answers {@code invalid-mechanism}
     * (RFC 6120 §6.5.7). Names are matched exactly: RFC 4422 §3.1 names are upper case.
     */
    public Optional<SaslServerMechanism> create(String mechanismName) {
        if (mechanismName == null || !offered.contains(mechanismName)) {
            return Optional.empty();
        }
        if (mechanismName.equals(PlainServer.NAME)) {
            return Optional.of(new PlainServer(lookup, domain, decoys));
        }
        return ScramAlgorithm.fromMechanismName(mechanismName)
                .map(algorithm -> new ScramServer(algorithm, ScramAlgorithm.isPlus(mechanismName), lookup, domain,
                        channelBindings, random, decoys, downgradeProtection()));
    }
}
