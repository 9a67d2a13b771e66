package io.generalbots.scaling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Sentinel setup on loopback: a master, a replica and three sentinels watching the
 * master under a name, with a short {@code down-after-milliseconds} so that failover is quick.
 */
public final class RedisSentinels implements AutoCloseable {

    private final String masterName;
    private final RedisServer master;
    private final RedisServer replica;
    private final List<ServerProcess> sentinels;
    private final List<Integer> sentinelPorts;

    private RedisSentinels(String masterName, RedisServer master, RedisServer replica, List<ServerProcess> sentinels,
                           List<Integer> sentinelPorts) {
        this.masterName = masterName;
        this.master = master;
        this.replica = replica;
        this.sentinels = sentinels;
        this.sentinelPorts = sentinelPorts;
    }

    /**
     * Starts master, replica and three sentinels and waits until the sentinels see the replica.
     *
     * @param masterName         the monitored name, e.g. {@code mymaster}
     * @param downAfterMillis    sentinel's {@code down-after-milliseconds}
     * @return the setup
     */
    public static RedisSentinels start(String masterName, int downAfterMillis) {
        RedisServer master = RedisServer.start();
        RedisServer replica = RedisServer.start(FreePorts.find(), List.of("--replicaof", "127.0.0.1",
                Integer.toString(master.port())));
        List<ServerProcess> sentinels = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int port = FreePorts.find();
                Path conf = Files.createDirectories(Path.of("target", "servers")).toAbsolutePath()
                        .resolve("sentinel-" + port + ".conf");
                Files.writeString(conf, String.join("\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "protected-mode no",
                        "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " 2",
                        "sentinel down-after-milliseconds " + masterName + " " + downAfterMillis,
                        "sentinel failover-timeout " + masterName + " 10000",
                        "sentinel parallel-syncs " + masterName + " 1", ""));
                ServerProcess sentinel = new ServerProcess("sentinel-" + port,
                        List.of("redis-sentinel", conf.toString())).launch();
                sentinels.add(sentinel);
                ports.add(port);
                sentinel.awaitReady("PING", () -> ping(port), Duration.ofSeconds(15));
            }
            RedisSentinels setup = new RedisSentinels(masterName, master, replica, sentinels, ports);
            sentinels.get(0).awaitReady("replica known to sentinels", setup::replicaKnown, Duration.ofSeconds(30));
            return setup;
        } catch (IOException e) {
            sentinels.forEach(ServerProcess::close);
            master.close();
            replica.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sentinels.forEach(ServerProcess::close);
            master.close();
            replica.close();
            throw e;
        }
    }

    private static boolean ping(int port) {
        try {
            return RedisServer.command(port, "PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean replicaKnown() {
        try {
            for (int port : sentinelPorts) {
                String info = RedisServer.command(port, "INFO", "sentinel");
                if (!info.contains("slaves=1")) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The monitored master name.
     *
     * @return the name
     */
    public String masterName() {
        return masterName;
    }

    /**
     * The initial master.
     *
     * @return the master
     */
    public RedisServer master() {
        return master;
    }

    /**
     * The initial replica.
     *
     * @return the replica
     */
    public RedisServer replica() {
        return replica;
    }

    /**
     * The sentinels' ports.
     *
     * @return the ports
     */
    public List<Integer> sentinelPorts() {
        return sentinelPorts;
    }

    @Override
    public void close() {
        sentinels.forEach(ServerProcess::close);
        master.close();
        replica.close();
    }
}
