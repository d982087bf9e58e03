package io.aviary.xep0363;

import io.aviary.tls.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs PUT URLs: HMAC-SHA256 over the file key, the size, the content type and the expiry, so the HTTP side checks a
 * PUT with no session lookup and no shared state, and any change to one of them breaks the signature (XEP-0363 §11:
 * the PUT URL must not be usable for anything but the slot).
 */
public final class SlotSigner {

    private static final Logger log = LoggerFactory.getLogger(SlotSigner.class);
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec secretKey;

    public SlotSigner(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("aviary.upload.http.secret must be at least 16 bytes");
        }
        this.secretKey = new SecretKeySpec(secret, ALGORITHM);
    }

    /**
     * The configured secret; or, where none is configured and {@code clustered} is false, the one kept in
     * {@code <dataDir>/upload-secret}, made on first start. A cluster must configure it: its upload instances must
     * all accept each other's URLs.
     */
    public static SlotSigner of(String configured, boolean clustered, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return new SlotSigner(configured.getBytes(StandardCharsets.UTF_8));
        }
        if (clustered) {
            throw new IllegalStateException("aviary.upload.http.secret must be set in a cluster: every upload instance "
                    + "checks the PUT URLs the others sign (AVIARY_UPLOAD_HTTP_SECRET, at least 16 random bytes)");
        }
        Path file = dataDir.resolve("upload-secret");
        if (!Files.exists(file)) {
            OwnerOnlyFiles.directory(dataDir);
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.writeString(OwnerOnlyFiles.newFile(file), Base64.getEncoder().encodeToString(secret));
            log.info("HTTP upload: generated the PUT URL signing secret in {}", file);
        }
        return new SlotSigner(Base64.getDecoder().decode(Files.readString(file).trim()));
    }

    /** The signature of a PUT of {@code size} bytes of {@code contentType} to {@code key} until {@code expires}. */
    public String sign(FileKey key, long size, String contentType, Instant expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secretKey);
            // Newlines cannot occur in any field (FileKey refuses control characters), so no two inputs collide.
            String signed = key + "\n" + size + "\n" + contentType + "\n" + expires.getEpochSecond();
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code signature} is the one {@link #sign} gives, compared in constant time. */
    public boolean verify(FileKey key, long size, String contentType, Instant expires, String signature) {
        return signature != null && MessageDigest.isEqual(
                sign(key, size, contentType, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
