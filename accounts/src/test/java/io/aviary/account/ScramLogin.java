package io.aviary.account;

import io.aviary.xmpp.sasl.ChannelBindings;
import io.aviary.xmpp.sasl.CredentialLookup;
import io.aviary.xmpp.sasl.DecoyCredentials;
import io.aviary.xmpp.sasl.SaslFailure;
import io.aviary.xmpp.sasl.SaslServerMechanism;
import io.aviary.xmpp.sasl.SaslStep;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramServer;
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
import org.jxmpp.jid.impl.JidCreate;

/**
 * A client's side of SCRAM (RFC 5802 §3, ASCII passwords only, no channel binding) against the
 * real {@link ScramServer}: proves that what an account was stored with lets its owner log in.
 */
public final class ScramLogin {

    private ScramLogin() {
    }

    /** True when the exchange ends in success with a valid server signature. */
    public static boolean login(CredentialLookup lookup, ScramAlgorithm algorithm, String username, String password) {
        try {
            SaslServerMechanism server = new ScramServer(algorithm, false, lookup, JidCreate.domainBareFrom("localhost"),
                    ChannelBindings.none(), new SecureRandom(), DecoyCredentials.perProcess());
            String clientNonce = "fyko+d2lbbFgONRv9qkxdawL";
            String clientFirstBare = "n=" + username + ",r=" + clientNonce;
            String serverFirst = utf8(server.evaluate(bytes("n,," + clientFirstBare)).data());
            Map<String, String> attrs = attributes(serverFirst);
            byte[] salted = salted(algorithm, password, Base64.getDecoder().decode(attrs.get("s")),
                    Integer.parseInt(attrs.get("i")));
            String withoutProof = "c=biws,r=" + attrs.get("r");
            byte[] authMessage = bytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
            byte[] clientKey = hmac(algorithm, salted, bytes("Client Key"));
            byte[] storedKey = MessageDigest.getInstance(algorithm.digestAlgorithm()).digest(clientKey);
            byte[] signature = hmac(algorithm, storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            SaslStep last = server.evaluate(bytes(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
            byte[] serverSignature = hmac(algorithm, hmac(algorithm, salted, bytes("Server Key")), authMessage);
            return last.complete() && attributes(utf8(last.data())).get("v")
                    .equals(Base64.getEncoder().encodeToString(serverSignature));
        } catch (SaslFailure e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] salted(ScramAlgorithm algorithm, String password, byte[] salt, int iterations)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, algorithm.keyLength() * 8);
        return SecretKeyFactory.getInstance(algorithm.pbkdf2Algorithm()).generateSecret(spec).getEncoded();
    }

    private static byte[] hmac(ScramAlgorithm algorithm, byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.hmacAlgorithm());
        mac.init(new SecretKeySpec(key, algorithm.hmacAlgorithm()));
        return mac.doFinal(data);
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> map = new HashMap<>();
        for (String part : message.split(",")) {
            map.put(part.substring(0, 1), part.substring(2));
        }
        return map;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
