package io.generalbots.spring;

import io.generalbots.ratelimit.ClientRequest;

/**
 * Tells which bot a request talks to, for {@code rate-limit-by,bot}: define one as a bean and both the
 * Spring MVC filter and the WebFlux filter key each request by {@code bot:ID}. With
 * {@code rate-limit-by,bot} and no such bean the application fails at startup; neither stack knows a
 * request's bot by itself, and limiting every request by its IP instead would be a surprise.
 *
 * <pre>{@code
 * GbBotResolver botResolver() { // a @Bean method: here, the bot named by a header the front end sets
 *     return (request, path) -> request.headers("X-Bot-Id").stream().findFirst().orElse(null);
 * }
 * }</pre>
 *
 * <p>It is called once for each request the rate limiter decides (never for excluded paths), on the
 * request's thread — on WebFlux, an event-loop thread: it must not block.
 */
@FunctionalInterface
public interface GbBotResolver {

    /**
     * The bot a request talks to.
     *
     * @param request the request as gb-ratelimit sees it, the same on both stacks: the direct peer's
     *                address and the header lines (its {@link ClientRequest#user()} and
     *                {@link ClientRequest#bot()} are null)
     * @param path    the request's path inside the application, decoded (as limits are matched:
     *                {@code /api/%63hat} is {@code /api/chat}), starting with {@code /}
     * @return the bot's id, or null when the request has none (it is then limited by its IP)
     */
    String bot(ClientRequest request, String path);
}
