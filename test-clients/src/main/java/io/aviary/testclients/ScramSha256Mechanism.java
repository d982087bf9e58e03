package io.aviary.testclients;

import io.aviary.client.ScramClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.callback.CallbackHandler;
import org.jivesoftware.smack.SmackException.SmackSaslException;
import org.jivesoftware.smack.sasl.SASLMechanism;

/**
 * SCRAM-SHA-256 (RFC 7677) for Smack, which ships only SCRAM-SHA-1: the client side the tests log
 * in with, the load generator's {@link ScramClient} (written from the RFCs independently of the server's
 * implementation), without its cache of salted passwords. The -PLUS variant binds
 * to the TLS channel with tls-server-end-point (RFC 5929 §4.1), which Smack's own -PLUS gets wrong
 * (it names the digest after the key algorithm); it needs the STARTTLS session Smack hands over.
 */
public final class ScramSha256Mechanism extends SASLMechanism {

    public static final String NAME = "SCRAM-SHA-256";
    public static final String NAME_PLUS = "SCRAM-SHA-256-PLUS";

    private final boolean plus;
    private ScramClient client;
    private boolean verified;

    public ScramSha256Mechanism() {
        this(false);
    }

    /** With {@code plus}, SCRAM-SHA-256-PLUS bound to tls-server-end-point. */
    public ScramSha256Mechanism(boolean plus) {
        this.plus = plus;
    }

    @Override
    protected void authenticateInternal(CallbackHandler handler) throws SmackSaslException {
        throw new UnsupportedOperationException("callback handlers are not supported");
    }

    @Override
    protected byte[] getAuthenticationText() throws SmackSaslException {
        try {
            client = plus
                    ? new ScramClient(authenticationId, password, "p=tls-server-end-point,,", serverEndPoint(),
                            new ScramClient.SaltedPasswords())
                    : new ScramClient(authenticationId, password, new ScramClient.SaltedPasswords());
        } catch (GeneralSecurityException | SSLPeerUnverifiedException e) {
            throw new SmackSaslException(e);
        }
        return client.clientFirst().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected byte[] evaluateChallenge(byte[] challenge) throws SmackSaslException {
        String message = new String(challenge, StandardCharsets.UTF_8);
        if (!message.startsWith("v=")) {
            try {
                return client.clientFinal(message).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                throw new SmackSaslException(e);
            }
        }
        if (!client.verifyServerFinal(message)) {
            throw new SmackSaslException("server signature mismatch");
        }
        verified = true;
        return null;
    }

    /** tls-server-end-point: the hash of the server's certificate (RFC 5929 §4.1), from the STARTTLS session. */
    private byte[] serverEndPoint() throws GeneralSecurityException, SSLPeerUnverifiedException, SmackSaslException {
        if (sslSession == null) {
            throw new SmackSaslException(NAME_PLUS + " needs the TLS session (STARTTLS)");
        }
        X509Certificate certificate = (X509Certificate) sslSession.getPeerCertificates()[0];
        // The certificate's signature hash, except that MD5 and SHA-1 become SHA-256.
        String signatureHash = certificate.getSigAlgName().toUpperCase(Locale.ROOT).split("WITH")[0];
        String digest = switch (signatureHash) {
            case "SHA384" -> "SHA-384";
            case "SHA512" -> "SHA-512";
            default -> "SHA-256";
        };
        return MessageDigest.getInstance(digest).digest(certificate.getEncoded());
    }

    @Override
    public String getName() {
        return plus ? NAME_PLUS : NAME;
    }

    @Override
    public int getPriority() {
        // -PLUS after the plain variant: chosen only when a test enables it by name.
        return plus ? 60 : 50;
    }

    @Override
    protected void checkIfSuccessfulOrThrow() throws SmackSaslException {
        if (!verified) {
            throw new SmackSaslException("server-final-message was not verified");
        }
    }

    @Override
    protected SASLMechanism newInstance() {
        return new ScramSha256Mechanism(plus);
    }
}
