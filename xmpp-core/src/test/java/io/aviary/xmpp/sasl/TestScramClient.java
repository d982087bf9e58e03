package io.aviary.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal SCRAM client for tests, written independently of the server code: its own Hi() loop
 * (RFC 5802 §2.2) instead of JCA PBKDF2, its own message building. Knobs let tests misbehave.
 */
final class TestScramClient {

    private final ScramAlgorithm algorithm;
    private final String username;
    private final String password;
    private final String clientNonce;

    private String gs2Flag = "n";
    private String authzid;
    private byte[] cbindData = new byte[0];

    private String clientFirstBare;
    private String gs2Header;
    private byte[] expectedServerSignature;

    TestScramClient(ScramAlgorithm algorithm, String username, String password, String clientNonce) {
        this.algorithm = algorithm;
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    /** Bind to {@code type} with {@code data} ("p=type"). */
    TestScramClient binding(String type, byte[] data) {
        this.gs2Flag = "p=" + type;
        this.cbindData = data.clone();
        return this;
    }

    /** Set the raw gs2-cbind-flag ("n", "y", "p=..."). */
    TestScramClient flag(String flag) {
        this.gs2Flag = flag;
        return this;
    }

    TestScramClient authzid(String authzid) {
        this.authzid = authzid;
        return this;
    }

    String clientFirst() {
        gs2Header = gs2Flag + "," + (authzid == null ? "" : "a=" + SaslNames.encode(authzid)) + ",";
        clientFirstBare = "n=" + SaslNames.encode(username) + ",r=" + clientNonce;
        return gs2Header + clientFirstBare;
    }

    /** The correct client-final-message for {@code serverFirst}. */
    String clientFinal(String serverFirst) {
        return clientFinal(serverFirst, channelBindingValue(), nonceOf(serverFirst));
    }

    /** A client-final-message with the given c= and r= values, but a proof computed honestly over them. */
    String clientFinal(String serverFirst, String cValue, String nonce) {
        String withoutProof = "c=" + cValue + ",r=" + nonce;
        byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, 's'));
        int iterations = Integer.parseInt(attribute(serverFirst, 'i'));
        byte[] saltedPassword = hi(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = hash(clientKey);
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        expectedServerSignature = hmac(serverKey, authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** The honest c= value: base64(gs2-header || cbind-data). */
    String channelBindingValue() {
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(header, header.length + cbindData.length);
        System.arraycopy(cbindData, 0, input, header.length, cbindData.length);
        return Base64.getEncoder().encodeToString(input);
    }

    boolean verifyServerFinal(String serverFinal) {
        return serverFinal.startsWith("v=")
                && MessageDigest.isEqual(Base64.getDecoder().decode(serverFinal.substring(2)), expectedServerSignature);
    }

    static String nonceOf(String serverFirst) {
        return attribute(serverFirst, 'r');
    }

    static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new AssertionError("no " + name + "= in " + message);
    }

    /** Hi(str, salt, i) spelled out as in RFC 5802 §2.2: U1 = HMAC(str, salt + INT(1)), Ui = HMAC(str, Ui-1). */
    private byte[] hi(byte[] str, byte[] salt, int iterations) {
        byte[] first = Arrays.copyOf(salt, salt.length + 4);
        first[salt.length + 3] = 1;
        byte[] u = hmac(str, first);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(str, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm.hmacAlgorithm());
            mac.init(new SecretKeySpec(key, algorithm.hmacAlgorithm()));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.digestAlgorithm()).digest(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Hi() exposed for ScramCredentialsTest's cross-check of the JCA-based derivation. */
    static byte[] referenceSaltedPassword(ScramAlgorithm algorithm, byte[] passwordUtf8, byte[] salt, int iterations) {
        return new TestScramClient(algorithm, "x", "x", "x").hi(passwordUtf8, salt, iterations);
    }

    static byte[] referenceHmac(ScramAlgorithm algorithm, byte[] key, byte[] data) {
        return new TestScramClient(algorithm, "x", "x", "x").hmac(key, data);
    }

    static byte[] referenceHash(ScramAlgorithm algorithm, byte[] data) {
        return new TestScramClient(algorithm, "x", "x", "x").hash(data);
    }
}
