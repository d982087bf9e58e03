package io.aviary.standalone.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An external component (XEP-0114) speaking raw XML over {@link RawXmppSocket}, as a gateway would. */
final class RawComponent implements AutoCloseable {

    private static final Pattern STREAM_ID = Pattern.compile("<stream:stream[^>]*\\sid=['\"]([^'\"]+)['\"]");

    private final RawXmppSocket socket;
    private final String domain;

    private RawComponent(RawXmppSocket socket, String domain) {
        this.socket = socket;
        this.domain = domain;
    }

    /** Opens the stream for {@code domain}; returns what the server answered and the socket, not yet authenticated. */
    static RawComponent open(int port, String domain) throws IOException {
        return new RawComponent(new RawXmppSocket(port), domain);
    }

    /** Connects and completes the handshake with {@code secret}. */
    static RawComponent connect(int port, String domain, String secret) throws IOException {
        RawComponent component = open(port, domain);
        String answer = component.handshake(secret);
        if (!answer.contains("<handshake/>")) {
            component.close();
            throw new IOException("handshake for " + domain + " refused: " + answer);
        }
        return component;
    }

    /**
     * Opens the stream and sends the handshake for {@code secret}; returns everything the server answered (its header,
     * then {@code <handshake/>} or a stream error), and forgets it so the next wait is for stanzas.
     */
    String handshake(String secret) throws IOException {
        socket.send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
                + "xmlns:stream='http://etherx.jabber.org/streams' to='" + domain + "'>");
        String header = awaitMatch(STREAM_ID);
        Matcher id = STREAM_ID.matcher(header);
        if (id.find() && !header.contains("<stream:error")) {
            socket.send("<handshake>" + digest(id.group(1), secret) + "</handshake>");
            socket.readUntil("handshake/>", 10_000);
            if (!socket.received().contains("<handshake/>")) {
                socket.awaitClose(5_000);
            }
        } else {
            socket.awaitClose(5_000);
        }
        return socket.step("", ""); // returns what arrived and forgets it
    }

    /** Reads until {@code pattern} matches what arrived (or the server closes, or 10 s pass). */
    private String awaitMatch(Pattern pattern) throws IOException {
        long deadline = System.currentTimeMillis() + 10_000;
        String received = socket.readUntil("<stream:stream", 10_000);
        while (!pattern.matcher(received).find() && !received.contains("</stream:stream>")
                && System.currentTimeMillis() < deadline) {
            received = socket.readUntil("\u0000never", 100);
        }
        return received;
    }

    /** Sends raw XML. */
    RawComponent send(String xml) throws IOException {
        socket.send(xml);
        return this;
    }

    /** Waits for {@code marker}; returns what arrived since the last wait and forgets it. */
    String expect(String marker) throws IOException {
        return socket.step("", marker);
    }

    /** Waits up to {@code millis} for {@code marker}; returns everything received so far (kept). */
    String read(String marker, long millis) throws IOException {
        return socket.readUntil(marker, millis);
    }

    boolean awaitClose(long millis) throws IOException {
        return socket.awaitClose(millis);
    }

    static String digest(String streamId, String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
