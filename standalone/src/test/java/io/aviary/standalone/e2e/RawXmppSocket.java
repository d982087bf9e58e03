package io.aviary.standalone.e2e;

import io.aviary.testclients.XmppClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** A client that writes raw bytes, for the inputs a well-behaved library never sends. */
public final class RawXmppSocket implements AutoCloseable {

    public static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private Socket socket;
    /** The TCP connection under {@link #socket}, which is its TLS layer after {@link #upgradeToTls()}. */
    private final Socket tcp;
    private final StringBuilder received = new StringBuilder();
    private boolean closedByServer;

    public RawXmppSocket(int port) throws IOException {
        this(port, "127.0.0.1", 0);
    }

    /** With a receive buffer of {@code receiveBufferBytes} (0: the system's), set before connecting so TCP honours it. */
    public RawXmppSocket(int port, int receiveBufferBytes) throws IOException {
        this(port, "127.0.0.1", receiveBufferBytes);
    }

    /** Connects from another loopback address (127.0.0.0/8), for tests of per-address limits. */
    public RawXmppSocket(int port, String localAddress) throws IOException {
        this(port, localAddress, 0);
    }

    private RawXmppSocket(int port, String localAddress, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        tcp = socket;
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(200);
    }

    /**
     * Logs in over STARTTLS with SASL PLAIN and binds {@code resource}, for tests that must send bytes no client
     * library would once the stream is established.
     */
    public static RawXmppSocket loggedIn(int port, String user, String password, String resource) throws IOException {
        RawXmppSocket raw = authenticated(port, user, password);
        raw.step("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>", "</iq>");
        return raw;
    }

    /** Logs in over STARTTLS with SASL PLAIN and stops before binding (the features after SASL have been read). */
    public static RawXmppSocket authenticated(int port, String user, String password) throws IOException {
        RawXmppSocket raw = new RawXmppSocket(port);
        raw.step(HEADER, "</stream:features>");
        raw.step("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<proceed");
        raw.upgradeToTls();
        raw.step(HEADER, "</stream:features>");
        String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        raw.step("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>", "<success");
        raw.step(HEADER, "</stream:features>");
        return raw;
    }

    /**
     * Sends {@code xml}, waits for {@code marker} and forgets what arrived, so the next step waits for its own;
     * returns what arrived.
     */
    public String step(String xml, String marker) throws IOException {
        String reply = send(xml).readUntil(marker, 10_000);
        if (!reply.contains(marker)) {
            close();
            throw new IOException("expected " + marker + " after " + xml + ", got: " + reply);
        }
        received.setLength(0);
        return reply;
    }

    /** Writes text; a server that already closed may make this fail, which the caller may ignore. */
    public RawXmppSocket send(String xml) throws IOException {
        socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    /** Writes bytes that are not XML (TLS records, garbage). */
    public RawXmppSocket sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public boolean trySend(String xml) {
        try {
            send(xml);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads until {@code marker} has arrived, the server closes, or the timeout passes; returns all received so far. */
    public String readUntil(String marker, long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (System.currentTimeMillis() < deadline && !received.toString().contains(marker) && !closedByServer) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    closedByServer = true;
                } else {
                    chunk.write(buffer, 0, n);
                    received.append(chunk.toString(StandardCharsets.UTF_8));
                    chunk.reset();
                }
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            } catch (IOException e) {
                closedByServer = true;
            }
        }
        return received.toString();
    }

    /** Waits for the server to close the connection; true if it did within the timeout. */
    public boolean awaitClose(long timeoutMillis) throws IOException {
        readUntil("\u0000never", timeoutMillis);
        return closedByServer;
    }

    /** Layers TLS over the connection after {@code <proceed/>} (RFC 6120 §5.4.3.3). */
    public void upgradeToTls() throws IOException {
        SSLSocket tls = (SSLSocket) XmppClients.trustAllContext().getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        tls.setSoTimeout(200);
        socket = tls;
        received.setLength(0);
    }

    /** The TLS session after {@link #upgradeToTls()}. */
    public SSLSession tlsSession() {
        return ((SSLSocket) socket).getSession();
    }

    public String received() {
        return received.toString();
    }

    /**
     * Closes the TCP connection without TLS's close_notify, which would wait for a write that another thread is
     * blocked in (a client flooding a server that does not read it); that write then fails.
     */
    public void abort() throws IOException {
        tcp.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
