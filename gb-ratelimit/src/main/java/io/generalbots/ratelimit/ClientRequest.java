package io.generalbots.ratelimit;

import java.net.InetAddress;
import java.util.List;

/**
 * What {@link ClientKeyResolver} needs of an HTTP request, whatever the framework: adapt yours in a
 * few lines (the JDK HttpServer adapter is in {@link RateLimitFilter}).
 */
public interface ClientRequest {

    /**
     * The direct peer's address (the proxy's, behind a proxy).
     *
     * @return the peer address
     */
    InetAddress remoteAddress();

    /**
     * All values of a header, in order (one element per header line), or an empty list.
     *
     * @param name the header name, case-insensitive
     * @return the values
     */
    List<String> headers(String name);

    /**
     * The authenticated user, or null (for {@code rate-limit-by,user}).
     *
     * @return the user id or null
     */
    default String user() {
        return null;
    }

    /**
     * The bot the request talks to, or null (for {@code rate-limit-by,bot}).
     *
     * @return the bot id or null
     */
    default String bot() {
        return null;
    }
}
