package io.generalbots.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@code rate-limit-by,bot} without a {@link GbBotResolver} bean into a clear startup failure
 * that names the key and the bean to define, instead of a bean-creation stack trace.
 */
public class BotResolverFailureAnalyzer extends AbstractFailureAnalyzer<BotResolvers.MissingBotResolverException> {

    /** Creates the analyzer (Spring Boot instantiates it from {@code spring.factories}). */
    public BotResolverFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BotResolvers.MissingBotResolverException cause) {
        return new FailureAnalysis(cause.getMessage(), "Define a bean of type " + GbBotResolver.class.getName()
                + " that returns each request's bot (null for none: that request is limited by its IP), or set"
                + " rate-limit-by to ip, user or header:NAME.", cause);
    }
}
