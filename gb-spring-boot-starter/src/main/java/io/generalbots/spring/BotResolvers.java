package io.generalbots.spring;

import org.springframework.beans.factory.ObjectProvider;

import io.generalbots.ratelimit.ClientKeySource;
import io.generalbots.ratelimit.RateLimitGate;

/** The application's {@link GbBotResolver}, required when the gate limits by bot. */
final class BotResolvers {

    /** Why the application cannot start: {@code rate-limit-by,bot} without a {@link GbBotResolver} bean. */
    static final String MISSING = "rate-limit-by,bot needs to know each request's bot: define a bean of type "
            + GbBotResolver.class.getName() + " (for example (request, path) -> request.headers(\"X-Bot-Id\")"
            + ".stream().findFirst().orElse(null)); without one every request would be limited by its IP";

    private BotResolvers() {
    }

    /**
     * The application's resolver, if it defines one.
     *
     * @param gate      the gate the web filter decides with
     * @param resolvers the application's resolver beans
     * @return the resolver, or null when there is none and the gate does not limit by bot
     * @throws MissingBotResolverException when the gate limits by bot and there is no resolver
     */
    static GbBotResolver of(RateLimitGate gate, ObjectProvider<GbBotResolver> resolvers) {
        GbBotResolver resolver = resolvers.getIfAvailable(); // two without a @Primary: Spring says so
        if (resolver == null && gate.resolver().by().kind() == ClientKeySource.Kind.BOT) {
            throw new MissingBotResolverException(MISSING);
        }
        return resolver;
    }

    /** {@code rate-limit-by,bot} without a {@link GbBotResolver} bean (see {@link BotResolverFailureAnalyzer}). */
    static final class MissingBotResolverException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingBotResolverException(String message) {
            super(message);
        }
    }
}
