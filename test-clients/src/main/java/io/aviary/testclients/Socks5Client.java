package io.aviary.testclients;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The client side of a SOCKS5 bytestream (RFC 1928 as XEP-0065 §5.3 and XEP-0260 use it): no authentication, then
 * CONNECT to the domain name that is the hex SHA-1 of the session id and the two parties' full JIDs, port 0. For
 * clients that speak the proxy's protocol themselves, as a Jingle file transfer client does.
 */
public final class Socks5Client {

    private Socks5Client() {
    }

    /** XEP-0065 §5.3.2 and XEP-0260 §2.2: {@code SHA1(sid + requester + target)}, lower-case hex. */
    public static String destination(String sid, String requester, String target) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((sid + requester + target).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection through which the proxy relays, once the bytestream is activated. */
    public static Socket connect(String host, int port, String destination, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(new byte[] {5, 1, 0});
        out.flush();
        if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 0) {
            socket.close();
            throw new IOException("the proxy refused the no-authentication method");
        }
        byte[] name = destination.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[7 + name.length];
        request[0] = 5;
        request[1] = 1;
        request[3] = 3;
        request[4] = (byte) name.length;
        System.arraycopy(name, 0, request, 5, name.length);
        out.write(request);
        out.flush();
        byte[] reply = new byte[5];
        in.readFully(reply);
        if (reply[0] != 5 || reply[1] != 0) {
            socket.close();
            throw new IOException("the proxy answered CONNECT with reply code " + reply[1]);
        }
        in.readFully(new byte[(reply[4] & 0xff) + 2]);
        return socket;
    }
}
