package io.generalbots.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.generalbots.scaling.Checks;

/**
 * The limits of a {@link RateLimiter}, immutable: a global token bucket of capacity
 * {@code requests + burst} refilled at {@code requests} per {@code window}, and per-endpoint
 * buckets of capacity {@code N} refilled at {@code N} per {@code window} (the global burst does not
 * apply to them), checked on top of the global one.
 *
 * <p>What that guarantees per client: at most {@code requests + burst} at once, at most
 * {@code 2 × requests + burst − 1} within one window (the bucket refills while it is used: the
 * defaults admit 219 in a minute, not 120), and {@code requests} per window over the long run; an
 * endpoint limit N: N at once, {@code 2N − 1} within one window. {@code RateLimit-Policy} states
 * the within-one-window bound (see {@link RateLimitHeaders}).
 *
 * <pre>{@code
 * RateLimitConfig config = RateLimitConfig.custom()
 *         .requests(100).window(Duration.ofMinutes(1)).burst(20)
 *         .endpoint("chat", 30).endpoint("auth", 10)
 *         .build();
 * }</pre>
 *
 * <p>All arithmetic is exact in integers of microseconds; so that the Redis script (Lua numbers
 * are doubles) stays exact, {@code (requests + burst) × window} must stay below 2<sup>53</sup>
 * microsecond-requests, and every rate is at most {@value #MAX_REQUESTS} per window.
 */
public final class RateLimitConfig {

    /** The most requests per window of any one limit. */
    public static final long MAX_REQUESTS = 100_000;
    /** The longest window. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** {@code (requests + burst) × window in µs} must be below this (2<sup>53</sup>). */
    public static final long MAX_CAPACITY_MICROS = 1L << 53;
    /** The name the global policy carries in headers and metrics. */
    public static final String GLOBAL = "global";

    private final long requests;
    private final Duration window;
    private final long burst;
    private final Map<String, Long> endpoints;
    private final Bucket global;
    private final Map<String, Bucket> endpointBuckets;
    /** The {@code RateLimit-Policy} value of a request under the global limit only. */
    private final String globalPolicy;
    /** The {@code RateLimit-Policy} value of a request to each endpoint: computed once, not per request. */
    private final Map<String, String> endpointPolicies;

    private RateLimitConfig(Builder b) {
        this.requests = Checks.requireRange("requests", b.requests, 1, MAX_REQUESTS);
        Checks.requirePositive("window", b.window);
        Checks.require(b.window.compareTo(MAX_WINDOW) <= 0 && b.window.toNanos() % 1000 == 0, "window",
                "a whole number of microseconds up to " + MAX_WINDOW, b.window);
        this.window = b.window;
        this.burst = Checks.requireRange("burst", b.burst, 0, MAX_REQUESTS);
        this.endpoints = Map.copyOf(b.endpoints);
        long windowMicros = window.toNanos() / 1000;
        Checks.require((requests + burst) <= (MAX_CAPACITY_MICROS - 1) / windowMicros, "(requests + burst) × window",
                "below 2^53 microseconds", (requests + burst) + " × " + windowMicros + "µs");
        this.global = new Bucket(GLOBAL, 0, requests + burst, requests, windowMicros);
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        int index = 1;
        for (Map.Entry<String, Long> e : b.endpoints.entrySet()) {
            buckets.put(e.getKey(), new Bucket(e.getKey(), index++, e.getValue(), e.getValue(), windowMicros));
        }
        this.endpointBuckets = Map.copyOf(buckets);
        this.globalPolicy = RateLimitHeaders.item(global);
        Map<String, String> policies = new LinkedHashMap<>();
        for (Bucket e : buckets.values()) {
            policies.put(e.name, globalPolicy + ", " + RateLimitHeaders.item(e));
        }
        this.endpointPolicies = Map.copyOf(policies);
    }

    /**
     * A builder starting from the seed's defaults: 100 requests per 60 s, burst 20, no endpoints.
     *
     * @return the builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * The seed's defaults: 100 requests per 60 s with a burst of 20, no endpoint limits.
     *
     * @return the config
     */
    public static RateLimitConfig ofDefaults() {
        return custom().build();
    }

    /**
     * {@code R}: requests per window over the long run.
     *
     * @return the rate
     */
    public long requests() {
        return requests;
    }

    /**
     * {@code W}: the window.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /**
     * {@code B}: the bucket holds {@code R + B}, so a client may make that many requests at once
     * (and up to {@code 2R + B − 1} within one window, as the bucket refills meanwhile).
     *
     * @return the burst
     */
    public long burst() {
        return burst;
    }

    /**
     * The endpoint limits, name to requests per window.
     *
     * @return the endpoint limits
     */
    public Map<String, Long> endpoints() {
        return endpoints;
    }

    Bucket globalBucket() {
        return global;
    }

    Bucket endpointBucket(String endpoint) {
        return endpoint == null ? null : endpointBuckets.get(endpoint);
    }

    /**
     * The {@code RateLimit-Policy} value of a request to this endpoint (see
     * {@link RateLimitHeaders#policy}), the same instance every time.
     */
    String policyHeader(String endpoint) {
        if (endpoint != null) {
            String policy = endpointPolicies.get(endpoint);
            if (policy != null) {
                return policy;
            }
        }
        return globalPolicy;
    }

    int endpointCount() {
        return endpointBuckets.size();
    }

    /**
     * The longest time an idle client needs for all its buckets to be full again: after it, a
     * tracked key is indistinguishable from a new one and may be forgotten.
     *
     * @return the refill time
     */
    public Duration fullRefillTime() {
        long micros = global.fullMicros();
        for (Bucket b : endpointBuckets.values()) {
            micros = Math.max(micros, b.fullMicros());
        }
        return Duration.ofNanos(micros * 1000);
    }

    @Override
    public String toString() {
        return "RateLimitConfig{requests=" + requests + ", window=" + window + ", burst=" + burst
                + ", endpoints=" + endpoints + "}";
    }

    /** Builds a {@link RateLimitConfig}; every value is checked in {@link #build()}. */
    public static final class Builder {
        private long requests = 100;
        private Duration window = Duration.ofSeconds(60);
        private long burst = 20;
        private final Map<String, Long> endpoints = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets {@code R}, requests per window over the long run (default 100).
         *
         * @param requests from 1 to {@value RateLimitConfig#MAX_REQUESTS}
         * @return this
         */
        public Builder requests(long requests) {
            this.requests = requests;
            return this;
        }

        /**
         * Sets {@code W}, the window (default 60 s).
         *
         * @param window positive, whole microseconds, at most a day
         * @return this
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets {@code B}, the burst: the bucket holds {@code R + B} (default 20).
         *
         * @param burst from 0 to {@value RateLimitConfig#MAX_REQUESTS}
         * @return this
         */
        public Builder burst(long burst) {
            this.burst = burst;
            return this;
        }

        /**
         * Adds an endpoint limit: {@code /api/NAME} and below, {@code requests} per window.
         *
         * @param name     the endpoint name, e.g. {@code chat}
         * @param requests from 1 to {@value RateLimitConfig#MAX_REQUESTS}
         * @return this
         */
        public Builder endpoint(String name, long requests) {
            Checks.require(name != null && name.matches("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*"), "endpoint name",
                    "a path segment such as chat", name == null ? null : "\"" + name + "\"");
            Checks.require(!GLOBAL.equals(name), "endpoint name", "other than \"global\"", "\"" + name + "\"");
            endpoints.put(name, Checks.requireRange("endpoint " + name + " requests", requests, 1, MAX_REQUESTS));
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the bad value
         */
        public RateLimitConfig build() {
            return new RateLimitConfig(this);
        }
    }
}
