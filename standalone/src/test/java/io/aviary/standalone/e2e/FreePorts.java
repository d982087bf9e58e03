package io.aviary.standalone.e2e;

import java.io.IOException;
import java.net.ServerSocket;

/** Free loopback ports for servers that must know each other's ports before they start (federation, interop). */
final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct free ports: held together while picked, so that none is picked twice. */
    static int[] pick(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
