package io.generalbots.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * What happened to a {@link RedisRateLimiter}'s link to Redis, for its listeners
 * ({@link RedisRateLimiter#addListener}). Every event names the limiter; the records are the cases
 * (Java 17: tell them apart with {@code instanceof}).
 */
public sealed interface RateLimiterEvent {

    /**
     * The limiter's name (the prefix of its Redis keys).
     *
     * @return the name
     */
    String limiter();

    /**
     * Redis failed {@code rate-limit-breaker-threshold} times in a row: the failure mode answers
     * every decision now, and Redis is tried again after {@code retryAfter}.
     *
     * @param limiter    the limiter's name
     * @param mode       the failure mode that answers ({@code rate-limit-failure-mode})
     * @param retryAfter when a trial call goes to Redis ({@code rate-limit-breaker-wait})
     * @param cause      the last failure
     */
    record FallbackStarted(String limiter, FailureMode mode, Duration retryAfter, Throwable cause)
            implements RateLimiterEvent {
        /**
         * Creates the event.
         *
         * @param limiter    the limiter's name
         * @param mode       the failure mode
         * @param retryAfter the breaker's wait
         * @param cause      the last failure
         */
        public FallbackStarted {
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * The trial call after the wait failed: the failure mode goes on answering for another wait.
     *
     * @param limiter the limiter's name
     * @param cause   the trial's failure
     */
    record TrialFailed(String limiter, Throwable cause) implements RateLimiterEvent {
        /**
         * Creates the event.
         *
         * @param limiter the limiter's name
         * @param cause   the trial's failure
         */
        public TrialFailed {
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * A trial call succeeded: decisions come from Redis again.
     *
     * @param limiter the limiter's name
     */
    record Recovered(String limiter) implements RateLimiterEvent {
        /**
         * Creates the event.
         *
         * @param limiter the limiter's name
         */
        public Recovered {
            Objects.requireNonNull(limiter, "limiter");
        }
    }
}
