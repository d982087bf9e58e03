package io.aviary.testclients;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.callback.CallbackHandler;
import org.jivesoftware.smack.SmackException.SmackSaslException;
import org.jivesoftware.smack.sasl.SASLMechanism;

/**
 * SCRAM-SHA-256 (RFC 7677) for Smack, which ships only SCRAM-SHA-1: the client side the tests log
 * in with. Written from the RFC independently of the server's implementation. The -PLUS variant binds
 * to the TLS channel with tls-server-end-point (RFC 5929 §4.1), which Smack's own -PLUS gets wrong
 * (it names the digest after the key algorithm); it needs the STARTTLS session Smack hands over.
 */
public final class ScramSha256Mechanism extends SASLMechanism {

    public static final String NAME = "SCRAM-SHA-256";
    public static final String NAME_PLUS = "SCRAM-SHA-256-PLUS";

    private final boolean plus;
    private String gs2Header;

    private String clientFirstBare;
    private String nonce;
    private byte[] expectedServerSignature;
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
    protected byte[] getAuthenticationText() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        nonce = Base64.getEncoder().encodeToString(random);
        clientFirstBare = "n=" + authenticationId.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        gs2Header = plus ? "p=tls-server-end-point,," : "n,,";
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected byte[] evaluateChallenge(byte[] challenge) throws SmackSaslException {
        String message = new String(challenge, StandardCharsets.UTF_8);
        Map<Character, String> attributes = parse(message);
        if (expectedServerSignature == null) {
            return clientFinal(message, attributes);
        }
        byte[] signature = Base64.getDecoder().decode(attributes.getOrDefault('v', ""));
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new SmackSaslException("server signature mismatch");
        }
        verified = true;
        return null;
    }

    private byte[] clientFinal(String serverFirst, Map<Character, String> attributes) throws SmackSaslException {
        String serverNonce = attributes.get('r');
        if (serverNonce == null || !serverNonce.startsWith(nonce)) {
            throw new SmackSaslException("server nonce does not extend ours");
        }
        try {
            byte[] salt = Base64.getDecoder().decode(attributes.get('s'));
            int iterations = Integer.parseInt(attributes.get('i'));
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String withoutProof = "c=" + Base64.getEncoder().encodeToString(channelBinding()) + ",r=" + serverNonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | SSLPeerUnverifiedException | RuntimeException e) {
            throw new SmackSaslException(e);
        }
    }

    /** The GS2 header, followed for -PLUS by the hash of the server's certificate (RFC 5802 §7, RFC 5929 §4.1). */
    private byte[] channelBinding() throws GeneralSecurityException, SSLPeerUnverifiedException, SmackSaslException {
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        if (!plus) {
            return header;
        }
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
        byte[] hash = MessageDigest.getInstance(digest).digest(certificate.getEncoded());
        byte[] binding = new byte[header.length + hash.length];
        System.arraycopy(header, 0, binding, 0, header.length);
        System.arraycopy(hash, 0, binding, header.length, hash.length);
        return binding;
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<Character, String> parse(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.put(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
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
