package io.generalbots.failover.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.config.HostAndPort;

/**
 * Immutable configuration of a {@link FailoverDataSource}: the cluster's nodes, how the primary is
 * found, and pool and driver settings whose defaults are chosen for failover (each explained on its
 * builder method). Build with {@link #custom()}; every value is checked when set, with a message
 * naming it and the bad value.
 */
public final class PostgresFailoverConfig {

    private final String name;
    private final List<HostAndPort> hosts;
    private final PrimaryDiscoveryMode discovery;
    private final int patroniPort;
    private final List<HostAndPort> patroniEndpoints;
    private final Duration patroniTimeout;
    private final Duration checkInterval;
    private final Duration retryTimeout;
    private final String database;
    private final String user;
    private final String password;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final Duration connectionTimeout;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration keepaliveTime;
    private final Duration maxLifetime;
    private final boolean readPool;
    private final int readPoolSize;
    private final OptionalLong readMaxLag;
    private final Properties driverProperties;

    private PostgresFailoverConfig(Builder b) {
        this.name = b.name;
        this.hosts = List.copyOf(b.hosts);
        this.discovery = b.discovery;
        this.patroniPort = b.patroniPort;
        this.patroniEndpoints = List.copyOf(b.patroniEndpoints);
        this.patroniTimeout = b.patroniTimeout;
        this.checkInterval = b.checkInterval;
        this.retryTimeout = b.retryTimeout;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.keepaliveTime = b.keepaliveTime;
        this.maxLifetime = b.maxLifetime;
        this.readPool = b.readPool;
        this.readPoolSize = b.readPoolSize;
        this.readMaxLag = b.readMaxLag;
        this.driverProperties = new Properties();
        this.driverProperties.putAll(b.driverProperties);
    }

    /**
     * A builder with the failover-safe defaults.
     *
     * @return a builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the pool's name, on every log line, event and meter */
    public String name() {
        return name;
    }

    /** @return the PostgreSQL nodes */
    public List<HostAndPort> hosts() {
        return hosts;
    }

    /** @return how the primary is found */
    public PrimaryDiscoveryMode discovery() {
        return discovery;
    }

    /** @return the Patroni REST port */
    public int patroniPort() {
        return patroniPort;
    }

    /**
     * The Patroni REST address of each node, in the order of {@link #hosts()}: as given, or each
     * host with {@link #patroniPort()}.
     *
     * @return the endpoints
     */
    public List<HostAndPort> patroniEndpoints() {
        if (!patroniEndpoints.isEmpty()) {
            return patroniEndpoints;
        }
        List<HostAndPort> out = new ArrayList<>();
        for (HostAndPort h : hosts) {
            out.add(new HostAndPort(h.host(), patroniPort));
        }
        return List.copyOf(out);
    }

    /** @return the time one Patroni REST request may take */
    public Duration patroniTimeout() {
        return patroniTimeout;
    }

    /** @return the time between background primary checks, zero for none */
    public Duration checkInterval() {
        return checkInterval;
    }

    /** @return how long idempotent work is retried across a failover */
    public Duration retryTimeout() {
        return retryTimeout;
    }

    /** @return the database name */
    public String database() {
        return database;
    }

    /** @return the user, or null */
    public String user() {
        return user;
    }

    /** @return the password, or null */
    public String password() {
        return password;
    }

    /** @return the write pool's maximum size */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /** @return the write pool's minimum idle connections */
    public int minimumIdle() {
        return minimumIdle;
    }

    /** @return how long a borrower waits for a pooled connection */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** @return pgjdbc's {@code connectTimeout} */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return pgjdbc's {@code socketTimeout} */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** @return HikariCP's {@code keepaliveTime} */
    public Duration keepaliveTime() {
        return keepaliveTime;
    }

    /** @return HikariCP's {@code maxLifetime} */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** @return whether a read pool over the replicas is opened */
    public boolean readPool() {
        return readPool;
    }

    /** @return the read pool's maximum size */
    public int readPoolSize() {
        return readPoolSize;
    }

    /** @return the largest replication lag in bytes for reads (patroni mode) */
    public OptionalLong readMaxLag() {
        return readMaxLag;
    }

    /** @return extra pgjdbc properties (a copy) */
    public Properties driverProperties() {
        Properties copy = new Properties();
        copy.putAll(driverProperties);
        return copy;
    }

    @Override
    public String toString() {
        return "PostgresFailoverConfig{" + name + ", " + discovery + " " + hosts + ", database " + database + "}";
    }

    /** Builds a {@link PostgresFailoverConfig}. */
    public static final class Builder {
        private String name = "gb-postgres";
        private List<HostAndPort> hosts = List.of();
        private PrimaryDiscoveryMode discovery = PrimaryDiscoveryMode.MULTIHOST;
        private int patroniPort = 8008;
        private List<HostAndPort> patroniEndpoints = List.of();
        private Duration patroniTimeout = Duration.ofSeconds(2);
        private Duration checkInterval = Duration.ofSeconds(5);
        private Duration retryTimeout = Duration.ofSeconds(30);
        private String database = "postgres";
        private String user;
        private String password;
        private int maximumPoolSize = 10;
        private int minimumIdle = 2;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration socketTimeout = Duration.ofSeconds(60);
        private Duration keepaliveTime = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofMinutes(10);
        private boolean readPool;
        private int readPoolSize = 5;
        private OptionalLong readMaxLag = OptionalLong.empty();
        private final Properties driverProperties = new Properties();

        private Builder() {
        }

        private Builder(PostgresFailoverConfig c) {
            name = c.name;
            hosts = c.hosts;
            discovery = c.discovery;
            patroniPort = c.patroniPort;
            patroniEndpoints = c.patroniEndpoints;
            patroniTimeout = c.patroniTimeout;
            checkInterval = c.checkInterval;
            retryTimeout = c.retryTimeout;
            database = c.database;
            user = c.user;
            password = c.password;
            maximumPoolSize = c.maximumPoolSize;
            minimumIdle = c.minimumIdle;
            connectionTimeout = c.connectionTimeout;
            connectTimeout = c.connectTimeout;
            socketTimeout = c.socketTimeout;
            keepaliveTime = c.keepaliveTime;
            maxLifetime = c.maxLifetime;
            readPool = c.readPool;
            readPoolSize = c.readPoolSize;
            readMaxLag = c.readMaxLag;
            driverProperties.putAll(c.driverProperties);
        }

        /**
         * Takes every value {@code config.csv} can set.
         *
         * @param s settings read from a file
         * @return this
         */
        public Builder settings(PostgresFailoverSettings s) {
            hosts(s.hosts());
            discovery(s.discovery());
            patroniPort(s.patroniPort());
            patroniEndpoints(s.patroniEndpoints());
            patroniTimeout(s.patroniTimeout());
            checkInterval(s.checkInterval());
            retryTimeout(s.retryTimeout());
            readPool(s.readPool());
            readMaxLag = s.readMaxLag();
            return this;
        }

        /**
         * The pool's name (default {@code gb-postgres}); use one per shard, e.g. {@code shard-1}.
         *
         * @param value a non-blank name
         * @return this
         */
        public Builder name(String value) {
            Checks.require(value != null && !value.isBlank(), "name", "a non-blank text", value);
            name = value;
            return this;
        }

        /**
         * The cluster's PostgreSQL nodes, in the order to try them.
         *
         * @param value one or more nodes
         * @return this
         */
        public Builder hosts(List<HostAndPort> value) {
            Objects.requireNonNull(value, "hosts");
            hosts = List.copyOf(new ArrayList<>(value));
            return this;
        }

        /**
         * The cluster's nodes as text, {@code host1:5432,host2:5432} (port 5432 if omitted).
         *
         * @param value the list
         * @return this
         */
        public Builder hosts(String value) {
            Objects.requireNonNull(value, "hosts");
            List<HostAndPort> list = new ArrayList<>();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    list.add(HostAndPort.parse(item, PostgresFailoverSettings.DEFAULT_POSTGRES_PORT));
                }
            }
            return hosts(list);
        }

        /**
         * How the primary is found (default {@link PrimaryDiscoveryMode#MULTIHOST}).
         *
         * @param value the mode
         * @return this
         */
        public Builder discovery(PrimaryDiscoveryMode value) {
            discovery = Objects.requireNonNull(value, "discovery");
            return this;
        }

        /**
         * The Patroni REST port on every node (default 8008, Patroni's own).
         *
         * @param value 1..65535
         * @return this
         */
        public Builder patroniPort(int value) {
            patroniPort = Checks.requireRange("patroniPort", value, 1, 65535);
            return this;
        }

        /**
         * The Patroni REST address of each node, one per host in the same order, for setups where
         * the port differs between nodes (several nodes on one machine). Empty (the default):
         * each host with {@link #patroniPort(int)}.
         *
         * @param value the endpoints
         * @return this
         */
        public Builder patroniEndpoints(List<HostAndPort> value) {
            patroniEndpoints = List.copyOf(Objects.requireNonNull(value, "patroniEndpoints"));
            return this;
        }

        /**
         * How long one Patroni REST request may take (default 2 s): a node that does not answer
         * in time counts as not the leader, so a dead node's API cannot stall discovery.
         *
         * @param value positive
         * @return this
         */
        public Builder patroniTimeout(Duration value) {
            patroniTimeout = Checks.requirePositive("patroniTimeout", value);
            return this;
        }

        /**
         * Time between background primary checks (default 5 s; zero: only after errors). The check
         * notices a planned switchover even while no query fails.
         *
         * @param value zero or positive
         * @return this
         */
        public Builder checkInterval(Duration value) {
            Objects.requireNonNull(value, "checkInterval");
            Checks.require(!value.isNegative(), "checkInterval", "zero or positive", value);
            checkInterval = value;
            return this;
        }

        /**
         * How long work marked idempotent is retried while the primary changes (default 30 s:
         * above Patroni's default {@code ttl} of 30 s is what a botserver needs; with a shorter
         * {@code ttl}, lower it).
         *
         * @param value zero or positive
         * @return this
         */
        public Builder retryTimeout(Duration value) {
            Objects.requireNonNull(value, "retryTimeout");
            Checks.require(!value.isNegative(), "retryTimeout", "zero or positive", value);
            retryTimeout = value;
            return this;
        }

        /**
         * The database name (default {@code postgres}).
         *
         * @param value the name
         * @return this
         */
        public Builder database(String value) {
            Checks.require(value != null && !value.isBlank(), "database", "a non-blank name", value);
            database = value;
            return this;
        }

        /**
         * The user and password.
         *
         * @param userName the user
         * @param secret   the password, or null
         * @return this
         */
        public Builder credentials(String userName, String secret) {
            Checks.require(userName != null && !userName.isBlank(), "user", "a non-blank name", userName);
            user = userName;
            password = secret;
            return this;
        }

        /**
         * The write pool's maximum size (default 10).
         *
         * @param value 1..1000
         * @return this
         */
        public Builder maximumPoolSize(int value) {
            maximumPoolSize = Checks.requireRange("maximumPoolSize", value, 1, 1000);
            return this;
        }

        /**
         * The write pool's minimum idle connections (default 2, not HikariCP's "= maximum": after
         * a failover the pool refills at once to this many connections on the new primary, not to
         * its full size, and an idle shard pool holds only this many).
         *
         * @param value 0..1000
         * @return this
         */
        public Builder minimumIdle(int value) {
            minimumIdle = Checks.requireRange("minimumIdle", value, 0, 1000);
            return this;
        }

        /**
         * How long a borrower waits for a pooled connection (HikariCP {@code connectionTimeout};
         * default 5 s, HikariCP's is 30 s): while no primary exists a borrower fails after this
         * and the failover-aware methods retry with a fresh view, instead of one borrower waiting
         * out the whole election.
         *
         * @param value at least 250 ms (HikariCP's minimum)
         * @return this
         */
        public Builder connectionTimeout(Duration value) {
            Checks.require(value != null && value.toMillis() >= 250, "connectionTimeout", "at least 250 ms", value);
            connectionTimeout = value;
            return this;
        }

        /**
         * pgjdbc's {@code connectTimeout} (default 3 s, the driver's is 10 s): a node that is
         * down without refusing (its host gone, packets dropped) costs at most this per attempt,
         * and in multihost mode per host tried.
         *
         * @param value 1 s or more (pgjdbc takes whole seconds)
         * @return this
         */
        public Builder connectTimeout(Duration value) {
            Checks.require(value != null && value.toSeconds() >= 1, "connectTimeout", "at least 1 s", value);
            connectTimeout = value;
            return this;
        }

        /**
         * pgjdbc's {@code socketTimeout} (default 60 s, the driver's is 0 = forever): a primary
         * that vanished without a TCP reset (power loss, network partition) otherwise leaves a
         * thread blocked in a read for as long as the kernel keeps the socket (many minutes). Set
         * it above your longest statement; zero turns it off.
         *
         * @param value zero or whole seconds
         * @return this
         */
        public Builder socketTimeout(Duration value) {
            Checks.require(value != null && !value.isNegative(), "socketTimeout", "zero or positive", value);
            socketTimeout = value;
            return this;
        }

        /**
         * HikariCP's {@code keepaliveTime} (default 30 s, HikariCP's is 2 min): idle connections
         * to a dead or demoted primary are found and replaced within this, not at the next
         * borrow.
         *
         * @param value zero (off) or at least 30 s (HikariCP's minimum)
         * @return this
         */
        public Builder keepaliveTime(Duration value) {
            Checks.require(value != null && (value.isZero() || value.toSeconds() >= 30), "keepaliveTime",
                    "zero or at least 30 s", value);
            keepaliveTime = value;
            return this;
        }

        /**
         * HikariCP's {@code maxLifetime} (default 10 min, HikariCP's is 30 min): kept below the
         * idle limits of the proxies commonly in front of PostgreSQL (HAProxy, PgBouncer, cloud
         * load balancers, often 15–30 min) so the pool retires connections before a middle box
         * cuts them silently; after a failover it also bounds how long any connection opened
         * before it can live.
         *
         * @param value at least 30 s
         * @return this
         */
        public Builder maxLifetime(Duration value) {
            Checks.require(value != null && value.toSeconds() >= 30, "maxLifetime", "at least 30 s", value);
            maxLifetime = value;
            return this;
        }

        /**
         * Whether to open a read pool over the replicas (default false).
         *
         * @param value true for a read pool
         * @return this
         */
        public Builder readPool(boolean value) {
            readPool = value;
            return this;
        }

        /**
         * The read pool's maximum size (default 5).
         *
         * @param value 1..1000
         * @return this
         */
        public Builder readPoolSize(int value) {
            readPoolSize = Checks.requireRange("readPoolSize", value, 1, 1000);
            return this;
        }

        /**
         * Replicas lagging more than this many bytes get no reads (patroni mode; Patroni's
         * {@code GET /replica?lag=N}). When no replica qualifies, reads go to the primary.
         *
         * @param bytes zero or more
         * @return this
         */
        public Builder readMaxLag(long bytes) {
            Checks.require(bytes >= 0, "readMaxLag", "zero or more bytes", bytes);
            readMaxLag = OptionalLong.of(bytes);
            return this;
        }

        /**
         * An extra pgjdbc connection property (e.g. {@code sslmode}). The properties the library
         * sets itself ({@code targetServerType}, timeouts) cannot be overridden here.
         *
         * @param key   the property
         * @param value its value
         * @return this
         */
        public Builder driverProperty(String key, String value) {
            Checks.require(key != null && !RESERVED.containsKey(key), "driverProperty",
                    "not one the library sets (" + String.join(", ", RESERVED.keySet()) + ")", key);
            driverProperties.setProperty(key, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public PostgresFailoverConfig build() {
            Checks.require(!hosts.isEmpty(), "hosts", "one or more PostgreSQL nodes", hosts);
            Checks.require(discovery != PrimaryDiscoveryMode.NONE || hosts.size() == 1, "hosts",
                    "one host when discovery is NONE", hosts);
            Checks.require(patroniEndpoints.isEmpty() || patroniEndpoints.size() == hosts.size(), "patroniEndpoints",
                    "one per host (" + hosts.size() + ")", patroniEndpoints);
            Checks.require(minimumIdle <= maximumPoolSize, "minimumIdle",
                    "at most maximumPoolSize (" + maximumPoolSize + ")", minimumIdle);
            Checks.require(keepaliveTime.compareTo(maxLifetime) < 0 || keepaliveTime.isZero(), "keepaliveTime",
                    "less than maxLifetime (" + maxLifetime + ")", keepaliveTime);
            Checks.require(readMaxLag.isEmpty() || discovery == PrimaryDiscoveryMode.PATRONI, "readMaxLag",
                    "unset unless discovery is PATRONI (only Patroni reports lag)", readMaxLag);
            return new PostgresFailoverConfig(this);
        }

        private static final Map<String, String> RESERVED = Map.of(
                "targetServerType", "", "loadBalanceHosts", "", "connectTimeout", "", "socketTimeout", "",
                "user", "", "password", "", "hostRecheckSeconds", "", "tcpKeepAlive", "", "readOnly", "");
    }
}
