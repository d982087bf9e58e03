package io.aviary.testclients;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) for one exchange, without a transport: what
 * {@link ScramSha256Mechanism} runs inside Smack and what raw-socket tests run by hand. Written from the RFCs,
 * independently of the server's implementation.
 */
public final class ScramSha256Client {

    private final String username;
    private final String password;
    private final String gs2Header;
    private final byte[] channelBindingData;
    private final String nonce;
    private String clientFirstBare;
    private String serverFirst;
    private byte[] expectedServerSignature;

    /** Without channel binding ({@code n,,}). */
    public ScramSha256Client(String username, String password) {
        this(username, password, "n,,", new byte[0]);
    }

    /** With {@code gs2Header} (e.g. {@code p=tls-server-end-point,,}) and the binding's data (empty for n and y). */
    public ScramSha256Client(String username, String password, String gs2Header, byte[] channelBindingData) {
        this.username = username;
        this.password = password;
        this.gs2Header = gs2Header;
        this.channelBindingData = channelBindingData.clone();
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        this.nonce = Base64.getEncoder().encodeToString(random);
    }

    public String clientFirst() {
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        return gs2Header + clientFirstBare;
    }

    /** The attributes of a SCRAM message ({@code r}, {@code s}, {@code i}, XEP-0474's {@code h}, {@code v}...). */
    public static Map<Character, String> attributes(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.put(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
    }

    public String clientFinal(String serverFirstMessage) throws GeneralSecurityException {
        serverFirst = serverFirstMessage;
        Map<Character, String> attributes = attributes(serverFirstMessage);
        String serverNonce = attributes.get('r');
        if (serverNonce == null || !serverNonce.startsWith(nonce)) {
            throw new GeneralSecurityException("server nonce does not extend ours");
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get('s'));
        int iterations = Integer.parseInt(attributes.get('i'));
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] binding = new byte[header.length + channelBindingData.length];
        System.arraycopy(header, 0, binding, 0, header.length);
        System.arraycopy(channelBindingData, 0, binding, header.length, channelBindingData.length);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(binding) + ",r=" + serverNonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether server-final-message ({@code v=}) proves the server knew the password's keys. */
    public boolean verifyServerFinal(String serverFinal) {
        byte[] signature = Base64.getDecoder().decode(attributes(serverFinal).getOrDefault('v', ""));
        return expectedServerSignature != null && MessageDigest.isEqual(signature, expectedServerSignature);
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
