package io.aviary.xep0363;

import java.util.Locale;
import reactor.netty.http.server.HttpServerResponse;

/**
 * How a stored file is served so that nothing uploaded can run in the service's origin (XEP-0363 §11): only images,
 * audio, video and plain text are shown inline; anything that a browser could render as active content (HTML, SVG,
 * XML, scripts, any other text type) goes out as {@code application/octet-stream} attachment; every response forbids
 * sniffing and scripts.
 */
final class SafeServing {

    private SafeServing() {
    }

    static void headers(FileStore.StoredFile file, HttpServerResponse response) {
        String type = file.contentType() == null ? "application/octet-stream" : file.contentType();
        String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean inline = inline(media);
        response.header("Content-Type", inline || !active(media) ? type : "application/octet-stream")
                .header("Content-Disposition", (inline ? "inline" : "attachment") + "; filename*=UTF-8''"
                        + Slots.encodePathSegment(file.key().filename()))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("Referrer-Policy", "no-referrer")
                // A file never changes under its URL; it disappears when it expires.
                .header("Cache-Control", "public, max-age=86400, immutable");
    }

    /** Shown in the browser: media a browser does not execute. SVG is an image that can carry scripts. */
    static boolean inline(String media) {
        return media.equals("text/plain") || media.startsWith("audio/") || media.startsWith("video/")
                || (media.startsWith("image/") && !media.contains("svg") && !media.contains("xml"));
    }

    /** Anything a browser might render or run: HTML, XML, SVG, scripts, and every text type but plain text. */
    static boolean active(String media) {
        return media.startsWith("text/") || media.contains("html") || media.contains("xml") || media.contains("svg")
                || media.contains("script") || media.equals("application/pdf") || media.contains("wasm");
    }
}
