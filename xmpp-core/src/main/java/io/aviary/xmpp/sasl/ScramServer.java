package io.aviary.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;

/**
 * Server side of SCRAM-SHA-1/256/512 and their -PLUS variants (RFC 5802, RFC 7677), for one
 * exchange:
 * <pre>
 * C: n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL                     (auth, or response to empty challenge)
 * S: r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=...,i=4096 (challenge)
 * C: c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=... (response)
 * S: v=rmF9pqV8S7suAoZWja4dJRkFsKQ=                          (additional data with success)
 * </pre>
 * Unknown users get {@link DecoyCredentials} and fail only at proof time, with the same
 * not-authorized as a wrong password.
 */
public final class ScramServer implements SaslServerMechanism {

    /** 18 random bytes = 24 base64 characters, all "printable" in the RFC 5802 §7 sense. */
    private static final int SERVER_NONCE_BYTES = 18;

    private enum State { INITIAL, AWAIT_CLIENT_FIRST, AWAIT_CLIENT_FINAL, SUCCEEDED, FAILED }

    private final ScramAlgorithm algorithm;
    private final boolean plus;
    private final CredentialLookup lookup;
    private final DomainBareJid domain;
    private final ChannelBindings channelBindings;
    private final DecoyCredentials decoys;
    private final Supplier<String> serverNonce;
    private final DowngradeProtection downgradeProtection;

    private State state = State.INITIAL;
    private ScramClientFirst clientFirst;
    private String username;
    private ScramCredentials credentials;
    private boolean knownUser;
    private String nonce;
    private String serverFirst;
    private String expectedChannelBinding;
    private Optional<String> authorizationId = Optional.empty();

    /**
     * @param plus whether this is the -PLUS mechanism, which requires channel binding.
     * @param channelBindings what this stream's TLS session offers; when non-empty the server is
     *     taken to advertise -PLUS mechanisms, which matters for the 'y' flag (RFC 5802 §6).
     */
    public ScramServer(ScramAlgorithm algorithm, boolean plus, CredentialLookup lookup, DomainBareJid domain,
            ChannelBindings channelBindings, SecureRandom random, DecoyCredentials decoys) {
        this(algorithm, plus, lookup, domain, channelBindings, random, decoys, DowngradeProtection.NONE);
    }

    /** As above, with XEP-0474's {@code h} attribute in server-first-message unless {@code downgradeProtection} is NONE. */
    public ScramServer(ScramAlgorithm algorithm, boolean plus, CredentialLookup lookup, DomainBareJid domain,
            ChannelBindings channelBindings, SecureRandom random, DecoyCredentials decoys,
            DowngradeProtection downgradeProtection) {
        this(algorithm, plus, lookup, domain, channelBindings, decoys, randomNonce(random), downgradeProtection);
    }

    /** For tests: a fixed server nonce reproduces the RFC examples. */
    ScramServer(ScramAlgorithm algorithm, boolean plus, CredentialLookup lookup, DomainBareJid domain,
            ChannelBindings channelBindings, DecoyCredentials decoys, Supplier<String> serverNonce) {
        this(algorithm, plus, lookup, domain, channelBindings, decoys, serverNonce, DowngradeProtection.NONE);
    }

    private ScramServer(ScramAlgorithm algorithm, boolean plus, CredentialLookup lookup, DomainBareJid domain,
            ChannelBindings channelBindings, DecoyCredentials decoys, Supplier<String> serverNonce,
            DowngradeProtection downgradeProtection) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.plus = plus;
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.channelBindings = Objects.requireNonNull(channelBindings, "channelBindings");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
        this.serverNonce = Objects.requireNonNull(serverNonce, "serverNonce");
        this.downgradeProtection = Objects.requireNonNull(downgradeProtection, "downgradeProtection");
    }

    private static Supplier<String> randomNonce(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return () -> {
            byte[] bytes = new byte[SERVER_NONCE_BYTES];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        };
    }

    @Override
    public String name() {
        return algorithm.mechanismName(plus);
    }

    @Override
    public SaslStep evaluate(byte[] clientResponse) throws SaslFailure {
        try {
            switch (state) {
                case INITIAL:
                    if (clientResponse == null) {
                        // SCRAM is client-first; without an initial response we send an empty
                        // challenge and expect client-first-message in the response (RFC 6120 §6.4.2,
                        // RFC 4422 §5 item 2a).
                        state = State.AWAIT_CLIENT_FIRST;
                        return SaslStep.challenge(new byte[0]);
                    }
                    return clientFirst(clientResponse);
                case AWAIT_CLIENT_FIRST:
                    return clientFirst(clientResponse);
                case AWAIT_CLIENT_FINAL:
                    return clientFinal(clientResponse);
                default:
                    throw new IllegalStateException("SCRAM exchange already " + state);
            }
        } catch (SaslFailure | RuntimeException e) {
            if (state != State.SUCCEEDED) {
                state = State.FAILED;
            }
            throw e;
        }
    }

    private SaslStep clientFirst(byte[] response) throws SaslFailure {
        String message = nonEmpty(response);
        ScramClientFirst first = ScramClientFirst.parse(message);
        byte[] cbindData = checkChannelBindingFlag(first);
        String user = Usernames.normalize(first.username());
        ScramCredentials stored = lookUp(user);
        knownUser = stored != null;
        credentials = knownUser ? stored : decoys.forUser(user, algorithm);

        String suffix = serverNonce.get();
        ScramClientFirst.checkNonce(suffix);
        nonce = first.clientNonce() + suffix;
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations();
        if (downgradeProtection.enabled()) {
            // RFC 5802 §7 allows extensions after i=; the client signs them with the rest of server-first.
            serverFirst += ",h=" + downgradeProtection.hash(algorithm);
        }
        // c= is base64(gs2-header || cbind-data) (RFC 5802 §7, cbind-input); for 'n' and 'y'
        // there is no cbind-data, so "n,," gives the well-known "biws".
        byte[] header = first.gs2Header().getBytes(StandardCharsets.UTF_8);
        byte[] cbindInput = new byte[header.length + cbindData.length];
        System.arraycopy(header, 0, cbindInput, 0, header.length);
        System.arraycopy(cbindData, 0, cbindInput, header.length, cbindData.length);
        expectedChannelBinding = Base64.getEncoder().encodeToString(cbindInput);

        clientFirst = first;
        username = user;
        state = State.AWAIT_CLIENT_FINAL;
        return SaslStep.challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the channel binding data to expect in c= (empty without binding). */
    private byte[] checkChannelBindingFlag(ScramClientFirst first) throws SaslFailure {
        switch (first.cbindFlag()) {
            case 'p':
                if (!plus) {
                    // RFC 5802 §6: a client that binds selects the -PLUS mechanism.
                    throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST,
                            "channel binding requested with " + name());
                }
                return channelBindings.get(first.cbName())
                        .orElseThrow(() -> new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED,
                                "unsupported channel binding type " + first.cbName()))
                        .data();
            case 'y':
                if (plus) {
                    throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, name() + " requires p=");
                }
                if (channelBindings.isEmpty()) {
                    return new byte[0];
                }
                // RFC 5802 §6: "If the flag is set to "y" and the server supports channel binding,
                // the server MUST fail authentication." The client saw no -PLUS mechanism although
                // we offered one, so someone stripped it from the list: a downgrade attack.
                throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED,
                        "client claims the server lacks channel binding (downgrade)");
            default:
                if (plus) {
                    throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, name() + " requires p=");
                }
                return new byte[0];
        }
    }

    private ScramCredentials lookUp(String user) throws SaslFailure {
        Optional<ScramCredentials> found;
        try {
            found = lookup.scram(user, algorithm);
        } catch (RuntimeException e) {
            // RFC 6120 §6.5.11: a temporary error within the receiving entity; the client may retry.
            throw new SaslFailure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE, "credential lookup failed", e);
        }
        if (found == null || found.isEmpty()) {
            return null;
        }
        if (found.get().algorithm() != algorithm) {
            throw new SaslFailure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE,
                    "credential store returned " + found.get().algorithm() + " credentials for " + algorithm);
        }
        return found.get();
    }

    private SaslStep clientFinal(byte[] response) throws SaslFailure {
        ScramClientFinal last = ScramClientFinal.parse(nonEmpty(response));
        if (!MessageDigest.isEqual(last.channelBinding().getBytes(StandardCharsets.UTF_8),
                expectedChannelBinding.getBytes(StandardCharsets.UTF_8))) {
            // Either a different gs2-header than in client-first or different TLS channel data:
            // the latter is exactly what channel binding exists to detect (a MITM).
            throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED, "channel binding mismatch");
        }
        if (!last.nonce().equals(nonce)) {
            throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED, "nonce mismatch");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(last.proof());
        } catch (IllegalArgumentException e) {
            throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, "proof is not base64", e);
        }

        // RFC 5802 §3:
        //   AuthMessage     := client-first-message-bare + "," + server-first-message + ","
        //                      + client-final-message-without-proof
        //   ClientSignature := HMAC(StoredKey, AuthMessage)
        //   ClientProof     := ClientKey XOR ClientSignature
        //   ServerSignature := HMAC(ServerKey, AuthMessage)
        // so ClientKey = ClientProof XOR ClientSignature, and H(ClientKey) must equal StoredKey.
        byte[] authMessage = (clientFirst.bare() + "," + serverFirst + "," + last.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = credentials.storedKey();
        byte[] clientSignature = algorithm.hmac(storedKey, authMessage);
        boolean proofMatches = false;
        if (proof.length == clientSignature.length) {
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            proofMatches = MessageDigest.isEqual(algorithm.hash(clientKey), storedKey);
        }
        if (!proofMatches || !knownUser) {
            throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED,
                    knownUser ? "wrong proof" : "unknown user");
        }
        authorizationId = AuthorizationIdentity.check(clientFirst.authzid(), username, domain);

        byte[] serverSignature = algorithm.hmac(credentials.serverKey(), authMessage);
        state = State.SUCCEEDED;
        return SaslStep.success(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String nonEmpty(byte[] response) throws SaslFailure {
        if (response == null || response.length == 0) {
            throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, "empty SCRAM message");
        }
        return Utf8.decode(response);
    }

    @Override
    public boolean isComplete() {
        return state == State.SUCCEEDED;
    }

    @Override
    public String authenticatedUsername() {
        requireSuccess();
        return username;
    }

    @Override
    public Optional<String> authorizationId() {
        requireSuccess();
        return authorizationId;
    }

    private void requireSuccess() {
        if (state != State.SUCCEEDED) {
            throw new IllegalStateException("SCRAM exchange has not succeeded");
        }
    }
}
