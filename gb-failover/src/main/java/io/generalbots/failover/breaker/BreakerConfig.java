package io.generalbots.failover.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The immutable settings of a {@link Breaker}, in the seed's terms, and their exact mapping onto
 * Resilience4j's {@link CircuitBreakerConfig} ({@link #toResilience4j()}):
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>ours</th><th>Resilience4j</th></tr>
 *   <tr><td>failureThreshold N (consecutive failures that open)</td>
 *       <td>{@code slidingWindowType COUNT_BASED}, {@code slidingWindowSize N},
 *           {@code minimumNumberOfCalls N}, {@code failureRateThreshold 100}</td></tr>
 *   <tr><td>waitInOpen</td><td>{@code waitDurationInOpenState}; no automatic transition: half-open
 *           begins with the first call after the wait</td></tr>
 *   <tr><td>halfOpenCalls M</td><td>{@code permittedNumberOfCallsInHalfOpenState M}; with the 100 %
 *           threshold one success among the M trial calls closes the breaker, M failures re-open it</td></tr>
 *   <tr><td>slowCall (optional)</td><td>{@code slowCallDurationThreshold}, {@code slowCallRateThreshold 100}:
 *           N consecutive slow calls open it; when unset the duration is ~100 years, so slowness never opens it</td></tr>
 *   <tr><td>ticker</td><td>{@code clock} and {@code currentTimestampFunction} (nanoseconds) read from it</td></tr>
 *   <tr><td>recordException / ignoreException</td><td>the same predicates</td></tr>
 * </table>
 *
 * <p>Edge cases: an <em>ignored</em> exception is neither a success nor a failure: it does not
 * count towards the N and does not break a run of failures, and in half-open it gives its trial
 * permit back. An exception that the record predicate rejects counts as a <em>success</em> (it
 * proves the dependency answered) and so breaks a run of failures. Every exception is recorded by
 * default, {@link Error}s included.
 */
public final class BreakerConfig {

    /** Stands for "no slow-call detection": Resilience4j needs some duration. */
    static final Duration NEVER_SLOW = Duration.ofDays(365L * 100);

    private final boolean enabled;
    private final int failureThreshold;
    private final Duration waitInOpen;
    private final int halfOpenCalls;
    private final Duration slowCall;
    private final Predicate<Throwable> recordException;
    private final Predicate<Throwable> ignoreException;
    private final Ticker ticker;
    private final CircuitBreakerConfig resilience4j;

    private BreakerConfig(Builder b) {
        this.enabled = b.enabled;
        this.failureThreshold = b.failureThreshold;
        this.waitInOpen = b.waitInOpen;
        this.halfOpenCalls = b.halfOpenCalls;
        this.slowCall = b.slowCall;
        this.recordException = b.recordException;
        this.ignoreException = b.ignoreException;
        this.ticker = b.ticker;
        this.resilience4j = map();
    }

    /**
     * The seed's defaults: enabled, 5 failures, 30 s open, 3 trial calls, no slow-call detection,
     * every exception recorded, the system clock.
     *
     * @return the defaults
     */
    public static BreakerConfig ofDefaults() {
        return custom().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder starting from the settings of {@code config.csv}.
     *
     * @param settings the {@code circuit-breaker-*} settings
     * @return the builder
     */
    public static Builder from(CircuitBreakerSettings settings) {
        Builder b = custom().enabled(settings.enabled()).failureThreshold(settings.threshold())
                .waitInOpen(settings.timeout()).halfOpenCalls(settings.halfOpenRequests());
        settings.slowCall().ifPresent(b::slowCall);
        return b;
    }

    /**
     * A builder starting from this configuration.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.failureThreshold = failureThreshold;
        b.waitInOpen = waitInOpen;
        b.halfOpenCalls = halfOpenCalls;
        b.slowCall = slowCall;
        b.recordException = recordException;
        b.ignoreException = ignoreException;
        b.ticker = ticker;
        return b;
    }

    /**
     * Whether calls go through the breaker; false lets every call pass straight through.
     *
     * @return enabled
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Consecutive failures that open the breaker.
     *
     * @return the threshold
     */
    public int failureThreshold() {
        return failureThreshold;
    }

    /**
     * How long the breaker stays open before trial calls.
     *
     * @return the wait
     */
    public Duration waitInOpen() {
        return waitInOpen;
    }

    /**
     * Trial calls in half-open.
     *
     * @return the count
     */
    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    /**
     * The duration above which a call counts as a failure, if set.
     *
     * @return the slow-call duration
     */
    public Optional<Duration> slowCall() {
        return Optional.ofNullable(slowCall);
    }

    /**
     * The time source.
     *
     * @return the ticker
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The Resilience4j configuration this maps to (see the class comment). Its type is
     * Resilience4j's on purpose: it is for code that uses Resilience4j directly with the same
     * settings (the benchmarks' anchor, a host's own decorators).
     *
     * @return the configuration
     */
    public CircuitBreakerConfig toResilience4j() {
        return resilience4j;
    }

    private CircuitBreakerConfig map() {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failureThreshold)
                .minimumNumberOfCalls(failureThreshold)
                .failureRateThreshold(100)
                .waitDurationInOpenState(waitInOpen)
                .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(slowCall == null ? NEVER_SLOW : slowCall)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(recordException)
                .ignoreException(ignoreException)
                .writableStackTraceEnabled(false);
        if (ticker != SYSTEM) {
            Ticker t = ticker;
            b.clock(t.asClock(CLOCK_ORIGIN)).currentTimestampFunction(clock -> t.read(), TimeUnit.NANOSECONDS);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "BreakerConfig[enabled=" + enabled + ", failureThreshold=" + failureThreshold + ", waitInOpen="
                + waitInOpen + ", halfOpenCalls=" + halfOpenCalls + ", slowCall=" + (slowCall == null ? "off" : slowCall)
                + "]";
    }

    private static final Ticker SYSTEM = Ticker.system();

    /** What a ticker reading of 0 stands for in the clock Resilience4j's open-state wait reads. */
    private static final Instant CLOCK_ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    /** Builds a {@link BreakerConfig}; every setter checks its argument. */
    public static final class Builder {
        private boolean enabled = true;
        private int failureThreshold = 5;
        private Duration waitInOpen = Duration.ofSeconds(30);
        private int halfOpenCalls = 3;
        private Duration slowCall;
        private Predicate<Throwable> recordException = t -> true;
        private Predicate<Throwable> ignoreException = t -> false;
        private Ticker ticker = SYSTEM;

        private Builder() {
        }

        /**
         * Whether calls go through the breaker ({@code circuit-breaker-enabled}).
         *
         * @param enabled false to pass calls straight through
         * @return this
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Consecutive failures that open the breaker ({@code circuit-breaker-threshold}).
         *
         * @param n 1..1000
         * @return this
         */
        public Builder failureThreshold(int n) {
            this.failureThreshold = Checks.requireRange("failureThreshold", n, 1, 1000);
            return this;
        }

        /**
         * Time open before trial calls ({@code circuit-breaker-timeout}).
         *
         * @param wait positive
         * @return this
         */
        public Builder waitInOpen(Duration wait) {
            this.waitInOpen = Checks.requirePositive("waitInOpen", wait);
            return this;
        }

        /**
         * Trial calls in half-open ({@code circuit-breaker-half-open-requests}).
         *
         * @param n 1..1000
         * @return this
         */
        public Builder halfOpenCalls(int n) {
            this.halfOpenCalls = Checks.requireRange("halfOpenCalls", n, 1, 1000);
            return this;
        }

        /**
         * Calls slower than this count as failures ({@code circuit-breaker-slow-call}).
         *
         * @param duration positive
         * @return this
         */
        public Builder slowCall(Duration duration) {
            this.slowCall = Checks.requirePositive("slowCall", duration);
            return this;
        }

        /**
         * Which exceptions count as failures (default: all); others count as successes.
         *
         * @param predicate true for a failure
         * @return this
         */
        public Builder recordException(Predicate<Throwable> predicate) {
            this.recordException = Objects.requireNonNull(predicate, "recordException");
            return this;
        }

        /**
         * Which exceptions count as neither success nor failure (default: none).
         *
         * @param predicate true to ignore
         * @return this
         */
        public Builder ignoreException(Predicate<Throwable> predicate) {
            this.ignoreException = Objects.requireNonNull(predicate, "ignoreException");
            return this;
        }

        /**
         * The time source (tests pass a manual ticker).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public BreakerConfig build() {
            return new BreakerConfig(this);
        }
    }
}
