package io.aviary.testclients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection to a direct TLS port (XEP-0368) that offers some ALPN protocols and opens a stream: the protocol the
 * server chose ("" for none) and the start of its answer to the stream header.
 */
public record AlpnProbe(String protocol, String answer) {

    public static AlpnProbe connect(int port, String streamHeader, String... offered) throws IOException {
        try (SSLSocket socket = (SSLSocket) XmppClients.trustAllContext().getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(offered);
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write(streamHeader.getBytes(StandardCharsets.UTF_8));
            byte[] answer = new byte[4096];
            int read = socket.getInputStream().read(answer);
            return new AlpnProbe(socket.getApplicationProtocol(),
                    new String(answer, 0, Math.max(read, 0), StandardCharsets.UTF_8));
        }
    }
}
