package io.aviary.testclients;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An external component (XEP-0114) speaking raw XML over a plain socket, as a gateway would: opens the stream, proves
 * the secret with the handshake, then sends and waits for stanzas. Every wait is bounded.
 */
public final class RawComponent implements AutoCloseable {

    private static final Pattern STREAM_ID = Pattern.compile("<stream:stream[^>]*\\sid=['\"]([^'\"]+)['\"]");
    private static final long WAIT_MILLIS = 10_000;

    private final Socket socket;
    private final String domain;
    private final StringBuilder received = new StringBuilder();
    private boolean closedByServer;

    private RawComponent(int port, String domain) throws IOException {
        this.domain = domain;
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(100);
    }

    /** A connection to the component port, before the stream is opened. */
    public static RawComponent open(int port, String domain) throws IOException {
        return new RawComponent(port, domain);
    }

    /** Connects and completes the handshake with {@code secret}; fails when the server refuses it. */
    public static RawComponent connect(int port, String domain, String secret) throws IOException {
        RawComponent component = open(port, domain);
        String answer = component.handshake(secret);
        if (!answer.contains("<handshake/>")) {
            component.close();
            throw new IOException("handshake for " + domain + " refused: " + answer);
        }
        return component;
    }

    /**
     * Opens the stream and sends the handshake for {@code secret} (XEP-0114 §3: hex SHA-1 of the stream id and the
     * secret); returns everything the server answered (its header, then {@code <handshake/>} or a stream error) and
     * forgets it, so the next wait is for stanzas.
     */
    public String handshake(String secret) throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
                + "xmlns:stream='http://etherx.jabber.org/streams' to='" + domain + "'>");
        Matcher id = STREAM_ID.matcher(readUntil(STREAM_ID, "</stream:stream>"));
        if (id.find() && !received.toString().contains("<stream:error")) {
            send("<handshake>" + digest(id.group(1), secret) + "</handshake>");
            readUntil(Pattern.compile(Pattern.quote("<handshake/>")), "</stream:stream>");
        }
        if (!received.toString().contains("<handshake/>")) {
            awaitClose(5_000);
        }
        return take();
    }

    public RawComponent send(String xml) throws IOException {
        socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    /** Waits for {@code marker}; returns what arrived since the last wait and forgets it; fails without it. */
    public String expect(String marker) throws IOException {
        readUntil(Pattern.compile(Pattern.quote(marker)), null);
        String all = take();
        if (!all.contains(marker)) {
            throw new IOException("expected " + marker + ", got: " + all);
        }
        return all;
    }

    /** Waits for {@code marker} (or the end of the stream); returns everything received so far, kept. */
    public String read(String marker) throws IOException {
        return readUntil(Pattern.compile(Pattern.quote(marker)), "</stream:stream>");
    }

    /** Waits for the server to close the connection; true if it did within {@code millis}. */
    public boolean awaitClose(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (!closedByServer && System.currentTimeMillis() < deadline) {
            readSome();
        }
        return closedByServer;
    }

    public static String digest(String streamId, String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String readUntil(Pattern pattern, String end) throws IOException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!pattern.matcher(received).find() && (end == null || !received.toString().contains(end))
                && !closedByServer && System.currentTimeMillis() < deadline) {
            readSome();
        }
        return received.toString();
    }

    private void readSome() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                closedByServer = true;
            } else {
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            // keep waiting until the caller's deadline
        } catch (IOException e) {
            closedByServer = true;
        }
    }

    private String take() {
        String all = received.toString();
        received.setLength(0);
        return all;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
