package io.aviary.standalone.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** An IRC user (RFC 2812) on a raw socket, for the gateway tests: registers, joins, speaks and waits for lines. */
final class IrcClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    IrcClient(String host, int port, String nick) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(200);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        send("NICK " + nick);
        send("USER " + nick + " 0 * :" + nick);
        await(" 001 ", 10_000);
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads lines until one contains {@code marker} (answering PINGs meanwhile); null after {@code millis}. */
    String await(String marker, long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            String line;
            try {
                line = in.readLine();
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (line == null) {
                return null;
            }
            if (line.startsWith("PING ")) {
                send("PONG " + line.substring(5));
            } else if (line.contains(marker)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            send("QUIT :bye");
        } catch (IOException e) {
            // closing anyway
        }
        socket.close();
    }
}
