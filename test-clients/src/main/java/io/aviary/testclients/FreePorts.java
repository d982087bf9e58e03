package io.aviary.testclients;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for servers that must know each other's ports before they start (federation, interop, a tier started as
 * its own process). They come from below the kernel's ephemeral range: a port picked there could be taken, between
 * the pick and the server's bind, by any outgoing connection of the same machine (a client's, a database's), which
 * once made CI red. Below it only servers that ask for that very port can take it.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    /** Every port handed out in this JVM: never twice, as two tests' servers may overlap in time. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** {@code count} distinct free ports, none handed out before in this JVM. */
    public static synchronized int[] pick(int count) throws IOException {
        int ephemeral = firstEphemeralPort();
        if (ephemeral - LOWEST < 1_000) {
            throw new IllegalStateException("the ephemeral ports start at " + ephemeral + ": no room below them");
        }
        int[] ports = new int[count];
        for (int i = 0, tries = 0; i < count; tries++) {
            if (tries > 10_000) {
                throw new IOException("no free port found between " + LOWEST + " and " + ephemeral);
            }
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeral);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                ports[i++] = port;
            }
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port)); // the wildcard address: free on every interface
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The start of the kernel's ephemeral port range (Linux; 32768, its default, elsewhere). */
    private static int firstEphemeralPort() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        return Files.isReadable(range) ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 32_768;
    }
}
