package io.generalbots.balance;

/**
 * What a pick may look at: the client's IP (for {@code ip_hash}) and the value of the balancer's
 * cookie sent by the client (for {@code cookie}). Other policies ignore both.
 *
 * @param clientIp the client's address, or null
 * @param cookie   the value of the policy's cookie in the request, or null
 */
public record PickRequest(String clientIp, String cookie) {

    private static final PickRequest NONE = new PickRequest(null, null);

    /**
     * A request without client information.
     *
     * @return the empty request
     */
    public static PickRequest none() {
        return NONE;
    }

    /**
     * A request from a client address.
     *
     * @param clientIp the address
     * @return the request
     */
    public static PickRequest fromClient(String clientIp) {
        return new PickRequest(clientIp, null);
    }

    /**
     * A request carrying the policy's cookie value.
     *
     * @param cookie the cookie's value, or null
     * @return the request
     */
    public static PickRequest withCookie(String cookie) {
        return new PickRequest(null, cookie);
    }

    String requireClientIp() {
        if (clientIp == null) {
            throw new IllegalArgumentException("ip_hash needs the client IP: pick with PickRequest.fromClient(ip)");
        }
        return clientIp;
    }
}
