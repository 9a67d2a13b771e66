package io.generalbots.scaling.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server on a free loopback port, without persistence, for one test class.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisClient client = RedisClient.create(redis.uri());
 * }
 * }</pre>
 */
public final class RedisServer extends ServerProcess {

    private final int port;
    private final List<String> extraArgs;

    private RedisServer(int port, List<String> extraArgs, Path dir) {
        super("redis-" + port, command(port, extraArgs, dir));
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    private static List<String> command(int port, List<String> extraArgs, Path dir) {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--protected-mode", "no"));
        cmd.addAll(extraArgs);
        return cmd;
    }

    /**
     * Starts a standalone server on a free port and waits until it answers PING.
     *
     * @return the running server
     */
    public static RedisServer start() {
        return start(FreePorts.find(), List.of());
    }

    /**
     * Starts a server with extra arguments (e.g. {@code --cluster-enabled yes}).
     *
     * @param port      the port
     * @param extraArgs more redis-server arguments
     * @return the running server
     */
    public static RedisServer start(int port, List<String> extraArgs) {
        Path dir;
        try {
            dir = Files.createDirectories(Path.of("target", "servers", "redis-" + port)).toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RedisServer server = new RedisServer(port, extraArgs, dir);
        server.launch();
        server.awaitReady("PING", server::answersPing, Duration.ofSeconds(15));
        return server;
    }

    /**
     * Starts the server again on the same port after {@link #kill()} or {@link #close()}.
     *
     * @return a new running server on the same port
     */
    public RedisServer restart() {
        return start(port, extraArgs);
    }

    /**
     * The port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * {@code redis://127.0.0.1:PORT}.
     *
     * @return the URI
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Whether the server answers {@code PING} with {@code PONG}.
     *
     * @return true if it does
     */
    public boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends one inline command and returns the first line of the reply (raw RESP), e.g.
     * {@code +OK}, {@code :12}, or the bulk's header for bulk replies.
     *
     * @param words the command words (no spaces inside a word)
     * @return the first reply line
     * @throws IOException if the server cannot be reached
     */
    public String command(String... words) throws IOException {
        return command(port, words);
    }

    /**
     * Sends one command to a Redis on a loopback port and returns the whole reply as text
     * (bulk strings are returned with their content).
     *
     * @param port  the port
     * @param words the words
     * @return the reply
     * @throws IOException if unreachable
     */
    public static String command(int port, String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            StringBuilder out = new StringBuilder("*").append(words.length).append("\r\n");
            for (String w : words) {
                byte[] b = w.getBytes(StandardCharsets.UTF_8);
                out.append('$').append(b.length).append("\r\n").append(w).append("\r\n");
            }
            OutputStream os = socket.getOutputStream();
            os.write(out.toString().getBytes(StandardCharsets.UTF_8));
            os.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first == null) {
                throw new IOException("connection closed");
            }
            if (first.startsWith("$") && !first.equals("$-1")) {
                int len = Integer.parseInt(first.substring(1));
                char[] buf = new char[len];
                int read = 0;
                while (read < len) {
                    int n = in.read(buf, read, len - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                return new String(buf, 0, read);
            }
            return first;
        }
    }
}
