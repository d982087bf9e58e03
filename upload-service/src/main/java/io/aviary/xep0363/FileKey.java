package io.aviary.xep0363;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jxmpp.jid.EntityBareJid;

/**
 * The key of an uploaded file, {@code <owner>/<token>/<filename>}: the owner is the first 128 bits of the SHA-256 of
 * the uploader's bare JID (files group by account without naming it in URLs), the token 128 random bits (the GET URL
 * cannot be guessed, XEP-0363 §11), and the filename the client asked for, so downloads keep it.
 */
public record FileKey(String owner, String token, String filename) {

    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public FileKey {
        if (!HEX32.matcher(owner).matches() || !HEX32.matcher(token).matches() || !validFilename(filename)) {
            throw new IllegalArgumentException("not a file key: " + owner + "/" + token + "/" + filename);
        }
    }

    /** A new key for {@code filename} uploaded by {@code uploader}. */
    public static FileKey create(EntityBareJid uploader, String filename) {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return new FileKey(owner(uploader), HexFormat.of().formatHex(token), filename);
    }

    /** The owner part of {@code account}'s keys. */
    public static String owner(EntityBareJid account) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(account.toString().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code owner/token/filename}, the decoded path of a URL or an object key. */
    public static Optional<FileKey> parse(String path) {
        String[] parts = path.split("/", 3);
        if (parts.length != 3 || !HEX32.matcher(parts[0]).matches() || !HEX32.matcher(parts[1]).matches()
                || !validFilename(parts[2])) {
            return Optional.empty();
        }
        return Optional.of(new FileKey(parts[0], parts[1], parts[2]));
    }

    /**
     * A filename we store and serve: one path segment of at most 255 UTF-8 bytes, not {@code .} or {@code ..},
     * without control characters, slashes or backslashes.
     */
    public static boolean validFilename(String name) {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..")
                || name.getBytes(StandardCharsets.UTF_8).length > 255) {
            return false;
        }
        return name.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\'
                || Character.getType(c) == Character.FORMAT);
    }

    @Override
    public String toString() {
        return owner + "/" + token + "/" + filename;
    }
}
