package io.generalbots.failover.fallback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.failover.breaker.BreakerOpenException;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;

/**
 * Graceful degradation: calls the primary through its breaker and, when the breaker is open or
 * the call fails, the fallbacks in order; the {@link Answer} says which one answered.
 *
 * <pre>{@code
 * FallbackChain<String, String> chat = FallbackChain.<String, String>custom("llm")
 *         .primary("openai", breakers.breaker("llm"), prompt -> openai.complete(prompt))
 *         .fallback("local", prompt -> local.complete(prompt))
 *         .build();
 * Answer<String> answer = chat.call("hello");   // answer.answeredBy() is "openai" or "local"
 * }</pre>
 *
 * <p>Its {@link #healthCheck()} is {@code ok} while the primary answers, degraded
 * ({@code fallback}) while a fallback serves or the primary's breaker is open, and down only
 * when the last call found no step that answered. A change of who answers is logged once with
 * the chain's name. Thread-safe.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class FallbackChain<I, O> {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackChain.class);
    private static final int NONE = -1;
    private static final int ALL_FAILED = -2;

    /**
     * One step of the chain.
     *
     * @param <I> the input type
     * @param <O> the output type
     */
    @FunctionalInterface
    public interface Step<I, O> {
        /**
         * Answers the input.
         *
         * @param input the input
         * @return the output
         * @throws Exception on failure (the chain tries the next step)
         */
        O apply(I input) throws Exception;
    }

    private record Entry<I, O>(String name, Breaker breaker, Step<I, O> step) {
    }

    private final String name;
    private final List<Entry<I, O>> steps;
    private volatile int lastServed = NONE;

    private FallbackChain(String name, List<Entry<I, O>> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    /**
     * A builder.
     *
     * @param name the chain's name (the dependency's, e.g. {@code llm})
     * @param <I>  the input type
     * @param <O>  the output type
     * @return the builder
     */
    public static <I, O> Builder<I, O> custom(String name) {
        return new Builder<>(name);
    }

    /**
     * The chain's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Calls the steps in order until one answers.
     *
     * @param input the input
     * @return the answer and who gave it
     * @throws AllFailedException when no step answered
     */
    public Answer<O> call(I input) {
        List<Exception> failures = null;
        for (int i = 0; i < steps.size(); i++) {
            Entry<I, O> e = steps.get(i);
            try {
                O value = e.breaker() == null ? e.step().apply(input) : e.breaker().call(() -> e.step().apply(input));
                served(i, failures);
                return new Answer<>(value, e.name(), i > 0);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AllFailedException(name, name + ": interrupted while calling " + e.name());
            } catch (Exception ex) {
                if (failures == null) {
                    failures = new ArrayList<>(steps.size());
                }
                failures.add(ex);
            }
        }
        served(ALL_FAILED, failures);
        StringBuilder msg = new StringBuilder(name).append(": no step answered: ");
        for (int i = 0; i < steps.size(); i++) {
            msg.append(i == 0 ? "" : "; ").append(steps.get(i).name()).append(": ").append(describe(failures.get(i)));
        }
        AllFailedException all = new AllFailedException(name, msg.toString());
        failures.forEach(all::addSuppressed);
        throw all;
    }

    /**
     * Who answered the last call: a step's name, or empty before the first call or when all failed.
     *
     * @return the name, or empty
     */
    public String lastAnsweredBy() {
        int i = lastServed;
        return i >= 0 ? steps.get(i).name() : "";
    }

    /**
     * Whether a fallback answered the last call.
     *
     * @return true while a fallback serves
     */
    public boolean isDegraded() {
        return lastServed > 0;
    }

    /**
     * This chain's health: {@code ok}; degraded {@code fallback} while a fallback serves (or the
     * primary's breaker is open); down {@code down} when the last call found no step answering.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return () -> {
            int i = lastServed;
            if (i == ALL_FAILED) {
                return HealthCheckResult.down("down");
            }
            if (i > 0) {
                return new HealthCheckResult(HealthCheckResult.Status.DEGRADED, "fallback",
                        Map.of("answeredBy", steps.get(i).name()));
            }
            Breaker primary = steps.get(0).breaker();
            if (primary != null && !primary.isCallPermitted()) {
                return new HealthCheckResult(HealthCheckResult.Status.DEGRADED, "fallback",
                        Map.of("breaker", "open"));
            }
            return HealthCheckResult.up();
        };
    }

    private void served(int index, List<Exception> failures) {
        int before = lastServed;
        lastServed = index;
        if (before == index || (before == NONE && index == 0)) {
            return;
        }
        if (index == 0) {
            LOG.info("fallback chain '{}': {} answers again", name, steps.get(0).name());
        } else if (index > 0) {
            LOG.warn("fallback chain '{}': {} answers, {} failed: {}", name, steps.get(index).name(),
                    steps.get(0).name(), describe(failures.get(0)));
        } else {
            LOG.error("fallback chain '{}': no step answers ({})", name, describe(failures.get(0)));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof BreakerOpenException) {
            return "circuit breaker open";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Builds a {@link FallbackChain}.
     *
     * @param <I> the input type
     * @param <O> the output type
     */
    public static final class Builder<I, O> {
        private final String name;
        private final List<Entry<I, O>> steps = new ArrayList<>();

        private Builder(String name) {
            Checks.require(name != null && !name.isBlank(), "chain name", "non-blank", name);
            this.name = name;
        }

        /**
         * The primary, behind a breaker.
         *
         * @param name    its name in answers and logs
         * @param breaker its breaker, or null for none
         * @param step    the call
         * @return this
         */
        public Builder<I, O> primary(String name, Breaker breaker, Step<I, O> step) {
            if (!steps.isEmpty()) {
                throw new IllegalStateException("chain " + this.name + " already has a primary: "
                        + steps.get(0).name());
            }
            return add(name, breaker, step);
        }

        /**
         * A fallback without a breaker.
         *
         * @param name its name
         * @param step the call
         * @return this
         */
        public Builder<I, O> fallback(String name, Step<I, O> step) {
            return fallback(name, null, step);
        }

        /**
         * A fallback behind its own breaker.
         *
         * @param name    its name
         * @param breaker its breaker, or null
         * @param step    the call
         * @return this
         */
        public Builder<I, O> fallback(String name, Breaker breaker, Step<I, O> step) {
            if (steps.isEmpty()) {
                throw new IllegalStateException("chain " + this.name + " needs its primary before fallback " + name);
            }
            return add(name, breaker, step);
        }

        private Builder<I, O> add(String stepName, Breaker breaker, Step<I, O> step) {
            Checks.require(stepName != null && !stepName.isBlank(), "step name", "non-blank", stepName);
            Objects.requireNonNull(step, "step");
            steps.add(new Entry<>(stepName, breaker, step));
            return this;
        }

        /**
         * Builds the chain.
         *
         * @return the chain
         * @throws IllegalStateException without a primary
         */
        public FallbackChain<I, O> build() {
            if (steps.isEmpty()) {
                throw new IllegalStateException("chain " + name + " needs a primary");
            }
            return new FallbackChain<>(name, steps);
        }
    }
}
