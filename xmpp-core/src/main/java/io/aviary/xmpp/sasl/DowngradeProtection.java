package io.aviary.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * XEP-0474 SASL SCRAM Downgrade Protection (v0.5): what the server advertised, signed into SCRAM's
 * server-first-message as the optional attribute {@code h} so a client detects a MITM that stripped mechanisms or
 * channel-binding types. Per XEP-0474 §5.1 (sorting by "i;octet", RFC 4790 §9.3, which for these ASCII names is
 * {@link String} order): S = the advertised mechanisms sorted and joined by %x1E, then, if XEP-0440 was used,
 * %x1F and the sorted channel-binding types joined by %x1E; {@code h} = base64(H(S)) with the SCRAM hash in use.
 *
 * <p>Only the mechanisms of the profile the client authenticates with count (XEP-0474 §5.1 note): FAST's HT-*
 * mechanisms are advertised inside SASL2's {@code <inline><fast/>}, not as SASL2 mechanisms, and must stay out of
 * the list, or clients that follow the XEP compute another hash and abort (a known interop trap).
 *
 * @param mechanisms          the mechanisms advertised in {@code <mechanisms/>} or {@code <authentication/>}
 * @param channelBindingTypes the types advertised with XEP-0440; empty when it was not used
 */
public record DowngradeProtection(List<String> mechanisms, List<String> channelBindingTypes) {

    /** No downgrade protection: SCRAM's server-first-message has no {@code h} attribute. */
    public static final DowngradeProtection NONE = new DowngradeProtection(List.of(), List.of());

    private static final char MECHANISM_SEPARATOR = '\u001e';
    private static final char CHANNEL_BINDING_SEPARATOR = '\u001f';

    public DowngradeProtection {
        mechanisms = List.copyOf(mechanisms);
        channelBindingTypes = List.copyOf(channelBindingTypes);
        if (mechanisms.stream().anyMatch(m -> m.startsWith("HT-"))) {
            throw new IllegalArgumentException("FAST mechanisms are not SASL mechanisms of the profile: " + mechanisms);
        }
    }

    /** The string S of XEP-0474 §5.1. */
    public String input() {
        StringBuilder s = new StringBuilder(String.join(String.valueOf(MECHANISM_SEPARATOR),
                mechanisms.stream().sorted().toList()));
        if (!channelBindingTypes.isEmpty()) {
            s.append(CHANNEL_BINDING_SEPARATOR).append(String.join(String.valueOf(MECHANISM_SEPARATOR),
                    channelBindingTypes.stream().sorted().toList()));
        }
        return s.toString();
    }

    /** The {@code h} attribute's value for SCRAM with {@code algorithm}. */
    public String hash(ScramAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        return Base64.getEncoder().encodeToString(algorithm.hash(input().getBytes(StandardCharsets.US_ASCII)));
    }

    boolean enabled() {
        return !mechanisms.isEmpty();
    }
}
