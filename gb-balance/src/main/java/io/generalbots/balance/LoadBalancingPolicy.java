package io.generalbots.balance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.generalbots.scaling.Checks;

/**
 * How a {@link LoadBalancer} chooses among its available upstreams, with the semantics of Caddy's
 * {@code lb_policy} of the same name. An immutable description: each balancer makes its own
 * selector (with its own round-robin counter) from it, so one policy can configure many balancers.
 *
 * <table>
 *   <caption>Policies</caption>
 *   <tr><th>policy</th><th>chooses</th></tr>
 *   <tr><td>{@link #roundRobin()}</td><td>the next upstream in turn, skipping unavailable ones</td></tr>
 *   <tr><td>{@link #first()}</td><td>the first available upstream, in the order they were given</td></tr>
 *   <tr><td>{@link #leastConn()}</td><td>the one with the fewest active requests; ties at random</td></tr>
 *   <tr><td>{@link #ipHash()}</td><td>rendezvous (highest random weight) hash of the client IP:
 *       removing an upstream moves only its own clients</td></tr>
 *   <tr><td>{@link #cookie(String, String)}</td><td>the upstream named by the request's cookie
 *       (HMAC-SHA256 of its address); without a valid cookie, or when that upstream is gone or
 *       down, a random one, and the lease carries the cookie to set</td></tr>
 *   <tr><td>{@link #random()}</td><td>a random one (Caddy's default)</td></tr>
 *   <tr><td>{@link #randomChoose(int)}</td><td>N random ones, then the least loaded of them
 *       (power of N choices)</td></tr>
 *   <tr><td>{@link #peakEwma()}</td><td>two random ones, then the lower of latency estimate
 *       (peak EWMA) × (active requests + 1); failed calls count as slow. Not in Caddy.</td></tr>
 * </table>
 */
public final class LoadBalancingPolicy {

    /** The kinds of policy. */
    enum Kind { ROUND_ROBIN, FIRST, LEAST_CONN, IP_HASH, COOKIE, RANDOM, RANDOM_CHOOSE, PEAK_EWMA, CUSTOM }

    private final Kind kind;
    private final int choose;
    private final String cookieName;
    private final String cookieSecret;
    private final BalancingPolicyProvider custom;

    private LoadBalancingPolicy(Kind kind, int choose, String cookieName, String cookieSecret) {
        this(kind, choose, cookieName, cookieSecret, null);
    }

    private LoadBalancingPolicy(Kind kind, int choose, String cookieName, String cookieSecret,
                                BalancingPolicyProvider custom) {
        this.kind = kind;
        this.choose = choose;
        this.cookieName = cookieName;
        this.cookieSecret = cookieSecret;
        this.custom = custom;
    }

    /**
     * A policy of your own.
     *
     * @param provider the policy
     * @return the policy
     */
    public static LoadBalancingPolicy custom(BalancingPolicyProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return new LoadBalancingPolicy(Kind.CUSTOM, 0, null, null, provider);
    }

    /**
     * The policy of a name, as {@code scale-lb-policy} takes it: {@code random},
     * {@code round_robin}, {@code least_conn}, {@code first}, {@code ip_hash}, {@code peak_ewma},
     * {@code random_choose N}, or the name of a {@link BalancingPolicyProvider} on the class path.
     * ({@code cookie} needs a secret: build it with {@link #cookie(String, String)}.)
     *
     * @param name the name
     * @return the policy
     * @throws IllegalArgumentException naming the value and the names known, if none has that name
     */
    public static LoadBalancingPolicy named(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "random":
                return random();
            case "round_robin":
                return roundRobin();
            case "least_conn":
                return leastConn();
            case "first":
                return first();
            case "ip_hash":
                return ipHash();
            case "peak_ewma":
                return peakEwma();
            default:
                break;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("random_choose\\s+(\\d{1,3})").matcher(n);
        if (m.matches()) {
            return randomChoose(Integer.parseInt(m.group(1)));
        }
        return io.generalbots.scaling.Plugins.find(BalancingPolicyProvider.class, BalancingPolicyProvider::name, n)
                .map(LoadBalancingPolicy::custom)
                .orElseThrow(() -> new IllegalArgumentException(BUILT_IN + pluginNames() + ", but was \"" + name + "\""));
    }

    static final String BUILT_IN = "scale-lb-policy must be one of random, round_robin, least_conn, first, ip_hash, "
            + "peak_ewma, random_choose N";

    static String pluginNames() {
        java.util.List<String> names = io.generalbots.scaling.Plugins.names(BalancingPolicyProvider.class,
                BalancingPolicyProvider::name);
        return names.isEmpty() ? " (or a BalancingPolicyProvider's name)" : " or a BalancingPolicyProvider: "
                + String.join(", ", names);
    }

    /** @return {@code round_robin} */
    public static LoadBalancingPolicy roundRobin() {
        return new LoadBalancingPolicy(Kind.ROUND_ROBIN, 0, null, null);
    }

    /** @return {@code first} */
    public static LoadBalancingPolicy first() {
        return new LoadBalancingPolicy(Kind.FIRST, 0, null, null);
    }

    /** @return {@code least_conn} (counts active requests) */
    public static LoadBalancingPolicy leastConn() {
        return new LoadBalancingPolicy(Kind.LEAST_CONN, 0, null, null);
    }

    /** @return {@code ip_hash}: needs {@link PickRequest#clientIp()} */
    public static LoadBalancingPolicy ipHash() {
        return new LoadBalancingPolicy(Kind.IP_HASH, 0, null, null);
    }

    /** @return {@code random} */
    public static LoadBalancingPolicy random() {
        return new LoadBalancingPolicy(Kind.RANDOM, 0, null, null);
    }

    /**
     * {@code cookie lb SECRET}: sticky sessions with Caddy's default cookie name {@code lb}.
     *
     * @param secret the HMAC key (Caddy's default is empty)
     * @return the policy
     */
    public static LoadBalancingPolicy cookie(String secret) {
        return cookie("lb", secret);
    }

    /**
     * {@code cookie NAME SECRET}: sticky sessions; the cookie's value is the hex HMAC-SHA256 of the
     * upstream's {@code host:port} keyed by the secret, exactly as Caddy computes it, so a cookie
     * set by Caddy is understood here and the other way round.
     *
     * @param name   the cookie name, a token
     * @param secret the HMAC key, may be empty
     * @return the policy
     */
    public static LoadBalancingPolicy cookie(String name, String secret) {
        Checks.require(name != null && name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"), "cookie name",
                "a cookie token", name);
        return new LoadBalancingPolicy(Kind.COOKIE, 0, name, Objects.requireNonNull(secret, "secret"));
    }

    /**
     * {@code random_choose N}: the least loaded of N random upstreams (N = 2: power of two choices).
     *
     * @param n 2..100
     * @return the policy
     */
    public static LoadBalancingPolicy randomChoose(int n) {
        return new LoadBalancingPolicy(Kind.RANDOM_CHOOSE, Checks.requireRange("random_choose", n, 2, 100), null, null);
    }

    /** @return latency-aware power of two choices with peak EWMA (not a Caddy policy) */
    public static LoadBalancingPolicy peakEwma() {
        return new LoadBalancingPolicy(Kind.PEAK_EWMA, 2, null, null);
    }

    Kind kind() {
        return kind;
    }

    /**
     * The cookie's name for the {@code cookie} policy.
     *
     * @return the name, or null for other policies
     */
    public String cookieName() {
        return cookieName;
    }

    /**
     * The policy as Caddy writes it, e.g. {@code round_robin} or {@code random_choose 2}
     * ({@code peak_ewma} for the policy Caddy does not have; the cookie secret is not shown).
     *
     * @return the text
     */
    @Override
    public String toString() {
        switch (kind) {
            case RANDOM_CHOOSE:
                return "random_choose " + choose;
            case COOKIE:
                return "cookie " + cookieName;
            case CUSTOM:
                return custom.name();
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    UpstreamSelector newSelector() {
        switch (kind) {
            case CUSTOM:
                return Objects.requireNonNull(custom.newSelector(), () -> "policy " + custom.name()
                        + " returned no selector");
            case ROUND_ROBIN:
                return new RoundRobin();
            case FIRST:
                return (pool, request, now) -> {
                    for (Upstream u : pool) {
                        if (u.isAvailable(now)) {
                            return u;
                        }
                    }
                    return null;
                };
            case LEAST_CONN:
                return (pool, request, now) -> leastConn(pool, pool.length, now);
            case IP_HASH:
                return (pool, request, now) -> rendezvous(pool, request.requireClientIp(), now);
            case COOKIE:
                return new Cookie(cookieSecret);
            case RANDOM:
                return (pool, request, now) -> randomAvailable(pool, now);
            case RANDOM_CHOOSE:
                return (pool, request, now) -> randomChoose(pool, choose, now);
            case PEAK_EWMA:
                return (pool, request, now) -> peakEwma(pool, now);
            default:
                throw new AssertionError(kind);
        }
    }

    static final class RoundRobin implements UpstreamSelector {
        private final AtomicInteger robin = new AtomicInteger();

        @Override
        public Upstream select(Upstream[] pool, PickRequest request, long now) {
            int n = pool.length;
            for (int i = 0; i < n; i++) {
                Upstream u = pool[Integer.remainderUnsigned(robin.incrementAndGet(), n)];
                if (u.isAvailable(now)) {
                    return u;
                }
            }
            return null;
        }
    }

    static final class Cookie implements UpstreamSelector {
        private final SecretKeySpec key;
        private final ConcurrentHashMap<Upstream, String> values = new ConcurrentHashMap<>();

        Cookie(String secret) {
            this.key = new SecretKeySpec(secret.isEmpty() ? new byte[1] : secret.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256");
            hmac("warm-up");   // loads the JCE provider now, not on the first pick (it can take 100s of ms)
        }

        @Override
        public Upstream select(Upstream[] pool, PickRequest request, long now) {
            String cookie = request.cookie();
            if (cookie != null) {
                for (Upstream u : pool) {
                    if (cookie.equals(cookieValue(u)) && u.isAvailable(now)) {
                        return u;
                    }
                }
            }
            return randomAvailable(pool, now);
        }

        @Override
        public String cookieValue(Upstream upstream) {
            String value = values.get(upstream);
            if (value == null) {
                value = hmac(upstream.dial());
                values.put(upstream, value);
                values.keySet().removeIf(Upstream::isRemoved);   // rare: only when upstreams change
            }
            return value;
        }

        private String hmac(String dial) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                // Go's hmac.New with an empty key equals HMAC with a key of zero bytes; the JDK
                // refuses an empty key, and a one-byte zero key gives the same HMAC (keys are
                // zero-padded to the block size).
                mac.init(key);
                return HexFormat.of().formatHex(mac.doFinal(dial.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }
    }

    static Upstream randomAvailable(Upstream[] pool, long now) {
        int n = pool.length;
        if (n == 0) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Upstream u = pool[random.nextInt(n)];
        if (u.isAvailable(now)) {
            return u;   // the common case; the same distribution as the reservoir below
        }
        Upstream chosen = null;
        int count = 0;
        for (Upstream candidate : pool) {
            if (candidate.isAvailable(now) && random.nextInt(++count) == 0) {
                chosen = candidate;
            }
        }
        return chosen;
    }

    static Upstream leastConn(Upstream[] pool, int n, long now) {
        Upstream best = null;
        int least = Integer.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            Upstream u = pool[i];
            if (!u.isAvailable(now)) {
                continue;
            }
            int active = u.activeRequests();
            if (active < least) {
                least = active;
                best = u;
                ties = 1;
            } else if (active == least && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                best = u;
            }
        }
        return best;
    }

    static Upstream rendezvous(Upstream[] pool, String key, long now) {
        long k = Hashes.mix64(Hashes.fnv1a64(key));
        Upstream best = null;
        long bestScore = 0;
        for (Upstream u : pool) {
            if (!u.isAvailable(now)) {
                continue;
            }
            long score = Hashes.mix64(u.hash() ^ k);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = u;
                bestScore = score;
            }
        }
        return best;
    }

    static Upstream randomChoose(Upstream[] pool, int n, long now) {
        Upstream[] chosen = new Upstream[n];
        int count = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Upstream u : pool) {
            if (!u.isAvailable(now)) {
                continue;
            }
            count++;
            if (count <= n) {
                chosen[count - 1] = u;
            } else {
                int j = random.nextInt(count);
                if (j < n) {
                    chosen[j] = u;
                }
            }
        }
        return leastConn(chosen, Math.min(count, n), now);
    }

    static Upstream peakEwma(Upstream[] pool, long now) {
        int n = pool.length;
        if (n == 0) {
            return null;
        }
        if (n > 1) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int i = random.nextInt(n);
            int j = random.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            Upstream a = pool[i];
            Upstream b = pool[j];
            if (a.isAvailable(now) && b.isAvailable(now)) {
                return cost(a, now) <= cost(b, now) ? a : b;
            }
        }
        // some are down: two random ones among the available (reservoir)
        Upstream[] two = new Upstream[2];
        int count = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Upstream u : pool) {
            if (!u.isAvailable(now)) {
                continue;
            }
            count++;
            if (count <= 2) {
                two[count - 1] = u;
            } else {
                int j = random.nextInt(count);
                if (j < 2) {
                    two[j] = u;
                }
            }
        }
        if (count == 0) {
            return null;
        }
        if (count == 1) {
            return two[0];
        }
        return cost(two[0], now) <= cost(two[1], now) ? two[0] : two[1];
    }

    private static double cost(Upstream u, long now) {
        double latency = u.latencyEstimateNanos(now);
        int active = u.activeRequests();
        if (latency == 0) {
            // not measured yet: cheap while idle, else as expensive as one penalty per request
            return active == 0 ? 0 : active * 1e9;
        }
        return latency * (active + 1);
    }
}
