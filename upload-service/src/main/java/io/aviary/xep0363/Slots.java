package io.aviary.xep0363;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Makes the URLs of a slot (XEP-0363 §4): a signed, expiring PUT URL and the public GET URL of the same file. */
public final class Slots {

    /** The path under which files are PUT and served. */
    public static final String PATH = "/upload/";

    private final URI base;
    private final SlotSigner signer;
    private final Duration validity;
    private final Clock clock;

    public Slots(URI base, SlotSigner signer, Duration validity, Clock clock) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.signer = signer;
        this.validity = validity;
        this.clock = clock;
    }

    /** A slot's URLs. */
    public record Slot(FileKey key, String put, String get) {
    }

    public Slot create(FileKey key, long size, String contentType) {
        Instant expires = clock.instant().plus(validity).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String get = base + PATH + key.owner() + "/" + key.token() + "/" + encodePathSegment(key.filename());
        String put = get + "?size=" + size + "&type=" + URLEncoder.encode(contentType, StandardCharsets.UTF_8)
                + "&expires=" + expires.getEpochSecond() + "&sig=" + signer.sign(key, size, contentType, expires);
        return new Slot(key, put, get);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, so any filename is one safe path segment. */
    static String encodePathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
