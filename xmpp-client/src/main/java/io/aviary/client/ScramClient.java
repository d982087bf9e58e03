package io.aviary.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677), one instance per authentication exchange, without channel
 * binding or with the binding's GS2 header and data (the end-to-end tests' SCRAM-SHA-256-PLUS). xmpp-core only has the
 * server side, so this is written here, from the RFCs.
 *
 * <p>Hi() (PBKDF2, 4096 iterations by default) costs the client a few milliseconds of CPU, far more
 * than the server's share of a login; RFC 5802 §5.1 lets a client cache SaltedPassword per salt and
 * iteration count, so the generator does ({@link SaltedPasswords}): only the first login of each
 * account pays for it, and the login figures measure the server rather than the generator.
 * With {@code --scram-cache FILE} the cache outlives the run. The cache is keyed by salt and
 * iteration count only: one generator run uses one password.
 */
public final class ScramClient {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NO_CHANNEL_BINDING = "n,,";

    private final String username;
    private final String password;
    private final String gs2Header;
    /** c= of the client-final-message (RFC 5802 §7): the GS2 header, then the channel binding's data. */
    private final String channelBinding;
    private final String clientNonce;
    private final SaltedPasswords saltedPasswords;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    public ScramClient(String username, String password, SaltedPasswords saltedPasswords) {
        this(username, password, randomNonce(), NO_CHANNEL_BINDING, new byte[0], saltedPasswords);
    }

    /**
     * Bound to a channel: {@code gs2Header} such as {@code p=tls-server-end-point,,} and the binding's data (RFC 5929;
     * empty for the {@code n} and {@code y} headers).
     */
    public ScramClient(String username, String password, String gs2Header, byte[] channelBindingData,
                       SaltedPasswords saltedPasswords) {
        this(username, password, randomNonce(), gs2Header, channelBindingData, saltedPasswords);
    }

    /** For tests: a fixed nonce reproduces the RFC 7677 example. */
    ScramClient(String username, String password, String clientNonce, SaltedPasswords saltedPasswords) {
        this(username, password, clientNonce, NO_CHANNEL_BINDING, new byte[0], saltedPasswords);
    }

    private ScramClient(String username, String password, String clientNonce, String gs2Header,
                        byte[] channelBindingData, SaltedPasswords saltedPasswords) {
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
        this.gs2Header = gs2Header;
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] binding = new byte[header.length + channelBindingData.length];
        System.arraycopy(header, 0, binding, 0, header.length);
        System.arraycopy(channelBindingData, 0, binding, header.length, channelBindingData.length);
        this.channelBinding = Base64.getEncoder().encodeToString(binding);
        this.saltedPasswords = saltedPasswords;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The client-first-message (RFC 5802 §5.1), after its GS2 header. */
    public String clientFirst() {
        clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
        return gs2Header + clientFirstBare;
    }

    /** The client-final-message answering {@code serverFirst}; throws when the server's nonce is not ours extended. */
    public String clientFinal(String serverFirst) {
        Map<Character, String> attributes = attributes(serverFirst);
        String nonce = required(attributes, 'r', serverFirst);
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("server nonce does not extend the client nonce");
        }
        byte[] salt = Base64.getDecoder().decode(required(attributes, 's', serverFirst));
        int iterations = Integer.parseInt(required(attributes, 'i', serverFirst));
        byte[] saltedPassword = saltedPasswords.get(password, salt, iterations);
        String withoutProof = "c=" + channelBinding + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientKey = hmac(saltedPassword, "Client Key");
        byte[] clientSignature = hmac(sha256(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether the server-final-message proves the server knows the credentials (RFC 5802 §3, ServerSignature). */
    public boolean verifyServerFinal(String serverFinal) {
        if (expectedServerSignature == null || !serverFinal.startsWith("v=")) {
            return false;
        }
        byte[] signature = Base64.getDecoder().decode(required(attributes(serverFinal), 'v', serverFinal));
        return MessageDigest.isEqual(signature, expectedServerSignature);
    }

    private static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    /** The attributes of a SCRAM message by name ({@code r}, {@code s}, {@code i}, XEP-0474's {@code h}, {@code v}...). */
    public static Map<Character, String> attributes(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.putIfAbsent(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
    }

    private static String required(Map<Character, String> attributes, char name, String message) {
        String value = attributes.get(name);
        if (value == null) {
            throw new IllegalStateException("SCRAM message without '" + name + "': " + message);
        }
        return value;
    }

    private static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * SaltedPassword := Hi(Normalize(password), salt, i), cached per salt and iteration count. The
     * benchmark password is ASCII, for which SASLprep / OpaqueString normalisation is the identity.
     */
    public static final class SaltedPasswords {
        private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

        byte[] get(String password, byte[] salt, int iterations) {
            String key = Base64.getEncoder().encodeToString(salt) + "/" + iterations;
            return cache.computeIfAbsent(key, k -> hi(password, salt, iterations));
        }

        /**
         * Loads entries saved by {@link #save} (one {@code salt/iterations saltedPassword} line each,
         * Base64), so a second run against the same accounts pays no Hi() at all.
         */
        public void load(Path file) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            for (String line : Files.readAllLines(file)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    cache.put(line.substring(0, space), Base64.getDecoder().decode(line.substring(space + 1)));
                }
            }
        }

        public void save(Path file) throws IOException {
            StringBuilder sb = new StringBuilder();
            cache.forEach((key, value) -> sb.append(key).append(' ').append(Base64.getEncoder().encodeToString(value))
                    .append('\n'));
            Files.writeString(file, sb);
        }

        public int size() {
            return cache.size();
        }

        private static byte[] hi(String password, byte[] salt, int iterations) {
            try {
                PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JRE", e);
            }
        }
    }
}
