package io.aviary.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How many messages an Aviary server has sent to its clients so far: the sum of its
 * {@code xmpp_stanzas_total{direction="out",kind="message"}} series, read from its Prometheus endpoint. Sampled before
 * and after a step, the server's own delivery rate: under overload most messages arrive after the step and its grace,
 * so the generator's count of what arrived in time no longer says what the server did (docs/benchmarks.md, "The bus
 * under overload").
 */
record ServerMessages(long sent, long nanoTime) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String SERIES = "xmpp_stanzas_total{";

    /** The count now; null when no endpoint was given. */
    static ServerMessages of(URI metrics) throws InterruptedException {
        if (metrics == null) {
            return null;
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(metrics + " answered " + response.statusCode());
            }
            return new ServerMessages(sentIn(response.body()), System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server's metrics at " + metrics, e);
        }
    }

    /** The messages sent to clients in a Prometheus text exposition (0 when the series is absent). */
    static long sentIn(String exposition) {
        long sent = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(SERIES) && line.contains("direction=\"out\"") && line.contains("kind=\"message\"")) {
                sent += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sent;
    }

    /** Messages sent per second between {@code before} and this sample. */
    double perSecondSince(ServerMessages before) {
        return (sent - before.sent) * 1e9 / Math.max(1, nanoTime - before.nanoTime);
    }
}
