package io.aviary.gateway.http;

import java.util.List;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Cross-origin access for browser clients (Fetch standard, CORS protocol), per {@link HttpProperties#allowedOrigins()}. */
final class Cors {

    private final List<String> allowedOrigins;

    Cors(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Whether a request from {@code origin} (null when the client sent none, as non-browsers do) is allowed. */
    boolean allows(String origin) {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    /** Adds the CORS headers a response to {@code request} needs. */
    HttpServerResponse apply(HttpServerRequest request, HttpServerResponse response) {
        String origin = request.requestHeaders().get("Origin");
        if (origin == null || !allows(origin)) {
            return response;
        }
        response.header("Access-Control-Allow-Origin", allowedOrigins.contains("*") ? "*" : origin)
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type")
                .header("Access-Control-Max-Age", "86400");
        if (!allowedOrigins.contains("*")) {
            response.header("Vary", "Origin");
        }
        return response;
    }
}
