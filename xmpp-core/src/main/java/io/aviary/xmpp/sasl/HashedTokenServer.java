package io.aviary.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Hashed Token mechanisms of draft-schmaus-kitten-sasl-ht-08 as XEP-0484 (FAST) uses them: HT-SHA-256-NONE
 * without channel binding, -ENDP with tls-server-end-point, -EXPR with tls-exporter. One round trip:
 * <pre>
 * C: authcid NUL HMAC(token, "Initiator" || cb-data)      (initial response)
 * S: HMAC(token, "Responder" || cb-data)                  (additional data with success)
 * </pre>
 * The comparison is constant-time (XEP-0484 §8).
 */
public final class HashedTokenServer implements SaslServerMechanism {

    public static final String NONE = "HT-SHA-256-NONE";
    public static final String ENDP = "HT-SHA-256-ENDP";
    public static final String EXPR = "HT-SHA-256-EXPR";

    private static final byte[] INITIATOR = "Initiator".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONDER = "Responder".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final byte[] channelBinding;
    private final TokenVerifier tokens;
    private String username;
    private boolean done;
    private boolean succeeded;

    private HashedTokenServer(String name, byte[] channelBinding, TokenVerifier tokens) {
        this.name = name;
        this.channelBinding = channelBinding;
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** The HT mechanisms this stream's channel bindings allow, channel-bound ones first. */
    public static List<String> offered(ChannelBindings bindings) {
        List<String> names = new java.util.ArrayList<>(3);
        if (bindings.get(ChannelBinding.TLS_EXPORTER).isPresent()) {
            names.add(EXPR);
        }
        if (bindings.get(ChannelBinding.TLS_SERVER_END_POINT).isPresent()) {
            names.add(ENDP);
        }
        names.add(NONE);
        return names;
    }

    /** The mechanism {@code name} if this stream offers it. */
    public static Optional<SaslServerMechanism> create(String name, ChannelBindings bindings, TokenVerifier tokens) {
        if (!offered(bindings).contains(name)) {
            return Optional.empty();
        }
        byte[] data = switch (name) {
            case EXPR -> bindings.get(ChannelBinding.TLS_EXPORTER).orElseThrow().data();
            case ENDP -> bindings.get(ChannelBinding.TLS_SERVER_END_POINT).orElseThrow().data();
            default -> new byte[0];
        };
        return Optional.of(new HashedTokenServer(name, data, tokens));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SaslStep evaluate(byte[] initialResponse) throws SaslFailure {
        if (done) {
            throw new IllegalStateException("HT exchange already complete");
        }
        done = true;
        if (initialResponse == null) {
            throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, "HT needs an initial response");
        }
        int nul = indexOfNul(initialResponse);
        if (nul <= 0 || nul == initialResponse.length - 1) {
            throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, "expected authcid NUL hash");
        }
        String user = Usernames.normalize(Utf8.decode(Arrays.copyOf(initialResponse, nul)));
        byte[] hash = Arrays.copyOfRange(initialResponse, nul + 1, initialResponse.length);
        Optional<byte[]> key;
        try {
            key = tokens.verify(user, name, candidate ->
                    MessageDigest.isEqual(ScramAlgorithm.SHA_256.hmac(candidate, withBinding(INITIATOR)), hash));
        } catch (RuntimeException e) {
            throw new SaslFailure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE, "token lookup failed", e);
        }
        if (key.isEmpty()) {
            throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED, "no matching token");
        }
        username = user;
        succeeded = true;
        return SaslStep.success(ScramAlgorithm.SHA_256.hmac(key.get(), withBinding(RESPONDER)));
    }

    private byte[] withBinding(byte[] label) {
        byte[] input = Arrays.copyOf(label, label.length + channelBinding.length);
        System.arraycopy(channelBinding, 0, input, label.length, channelBinding.length);
        return input;
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean isComplete() {
        return succeeded;
    }

    @Override
    public String authenticatedUsername() {
        if (!succeeded) {
            throw new IllegalStateException("HT exchange has not succeeded");
        }
        return username;
    }

    @Override
    public Optional<String> authorizationId() {
        authenticatedUsername();
        return Optional.empty();
    }
}
