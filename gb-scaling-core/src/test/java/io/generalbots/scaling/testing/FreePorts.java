package io.generalbots.scaling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback TCP ports for servers that tests start. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port that is free on 127.0.0.1 right now, and whose port + {@code spare} are free too
     * (Redis Cluster needs port + 10000 for its bus).
     *
     * @param spare an offset that must be free as well, or 0
     * @return the port
     */
    public static int find(int spare) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (spare == 0) {
                return port;
            }
            if (port + spare < 65536 && isFree(port + spare)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair found");
    }

    /**
     * A free port on 127.0.0.1.
     *
     * @return the port
     */
    public static int find() {
        return find(0);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
