package io.generalbots.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.generalbots.scaling.Checks;

/**
 * Turns a request into the client key the limiter counts ({@code rate-limit-by}):
 * {@code ip:ADDRESS}, {@code user:ID}, {@code bot:ID} or {@code header:VALUE}.
 *
 * <ul>
 *   <li>{@code ip}: the direct peer's address — unless the peer is a trusted proxy
 *       ({@code rate-limit-trusted-proxies}, default none), in which case the one header of
 *       {@code rate-limit-client-ip-header} ({@link ClientIpHeader}, default
 *       {@code X-Forwarded-For}) is read from the right, skipping trusted proxies: the first
 *       untrusted address is the client. No other forwarding header is ever read: a client can
 *       send any of them, and a proxy overwrites only the one it sets (so preferring
 *       {@code Forwarded} whenever present let a client behind Caddy pick its own key). A
 *       forwarding header from an untrusted peer changes nothing. IPv6 clients are grouped by
 *       their {@code /64} (or {@code rate-limit-ipv6-prefix}) network, since one host usually
 *       owns a whole /64.</li>
 *   <li>{@code user}, {@code bot}: the request's user or bot; anonymous requests (null) fall back
 *       to the {@code ip} key, so they are still limited.</li>
 *   <li>{@code header:NAME}: the header's first value; without it, the {@code ip} key.</li>
 * </ul>
 */
public final class ClientKeyResolver {

    private final ClientKeySource by;
    private final List<IpRange> trusted;
    private final int ipv6Prefix;
    private final ClientIpHeader clientIpHeader;

    private ClientKeyResolver(Builder b) {
        this.by = b.by;
        this.trusted = List.copyOf(b.trusted);
        this.ipv6Prefix = b.ipv6Prefix;
        this.clientIpHeader = b.clientIpHeader;
    }

    /**
     * A builder: by {@code ip}, no trusted proxies, {@code X-Forwarded-For}, IPv6 grouped by /64.
     *
     * @return the builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * The resolver of {@code rate-limit-by}, {@code rate-limit-trusted-proxies},
     * {@code rate-limit-client-ip-header} and {@code rate-limit-ipv6-prefix}.
     *
     * @param settings the settings
     * @return the resolver
     */
    public static ClientKeyResolver of(RateLimitSettings settings) {
        Builder b = custom().by(settings.by()).ipv6Prefix(settings.ipv6Prefix())
                .clientIpHeader(settings.clientIpHeader());
        settings.trustedProxies().forEach(b::trustProxy);
        return b.build();
    }

    /**
     * What identifies a client ({@code rate-limit-by}).
     *
     * @return the key source
     */
    public ClientKeySource by() {
        return by;
    }

    /**
     * The client key of a request.
     *
     * @param request the request
     * @return the key, never null
     */
    public String resolve(ClientRequest request) {
        switch (by.kind()) {
            case USER: {
                String user = request.user();
                return user != null ? "user:" + user : ipKey(request);
            }
            case BOT: {
                String bot = request.bot();
                return bot != null ? "bot:" + bot : ipKey(request);
            }
            case HEADER: {
                List<String> values = request.headers(by.header());
                return values.isEmpty() || values.get(0).isBlank() ? ipKey(request) : "header:" + values.get(0).trim();
            }
            default:
                return ipKey(request);
        }
    }

    /**
     * The {@code ip:ADDRESS} key: the client address as trusted proxies report it, IPv6 grouped.
     *
     * @param request the request
     * @return the key
     */
    public String ipKey(ClientRequest request) {
        byte[] address = clientAddress(request);
        if (address.length == 4) { // what Inet4Address.getHostAddress() writes, in one concatenation
            return "ip:" + (address[0] & 0xff) + '.' + (address[1] & 0xff) + '.' + (address[2] & 0xff) + '.'
                    + (address[3] & 0xff);
        }
        return "ip:" + ipv6Group(address);
    }

    /**
     * The client's address: the peer's, or behind trusted proxies the forwarded one.
     *
     * @param request the request
     * @return the address bytes (4 or 16)
     */
    byte[] clientAddress(ClientRequest request) {
        byte[] peer = request.remoteAddress().getAddress();
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> chain = chain(request);
        byte[] client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            byte[] hop = IpRange.literal(stripPort(chain.get(i)));
            if (hop == null) {
                break; // garbage or "unknown": trust nothing further left
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    /** The hops of the chosen header, leftmost (farthest) first; no other header is looked at. */
    private List<String> chain(ClientRequest request) {
        List<String> lines = request.headers(clientIpHeader.headerName());
        if (clientIpHeader == ClientIpHeader.FORWARDED) {
            return forwarded(lines);
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (String item : line.split(",")) {
                out.add(item.trim());
            }
        }
        return out;
    }

    private static List<String> forwarded(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (String element : line.split(",")) {
                for (String pair : element.split(";")) {
                    String p = pair.trim();
                    if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
                        String v = p.substring(4).trim();
                        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                            v = v.substring(1, v.length() - 1);
                        }
                        out.add(v);
                    }
                }
            }
        }
        return out;
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(0, end + 1);
        }
        int colon = hop.indexOf(':');
        return colon >= 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    private boolean isTrusted(byte[] address) {
        for (IpRange range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IPv6 address as its {@code rate-limit-ipv6-prefix} network, {@code NETWORK/PREFIX}. */
    private String ipv6Group(byte[] address) {
        try {
            return InetAddress.getByAddress(IpRange.mask(address, ipv6Prefix)).getHostAddress() + "/" + ipv6Prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 16 bytes
        }
    }

    /** Builds a {@link ClientKeyResolver}. */
    public static final class Builder {
        private ClientKeySource by = ClientKeySource.IP;
        private final List<IpRange> trusted = new ArrayList<>();
        private int ipv6Prefix = 64;
        private ClientIpHeader clientIpHeader = ClientIpHeader.X_FORWARDED_FOR;

        private Builder() {
        }

        /**
         * The one forwarding header read behind a trusted proxy (default {@code X-Forwarded-For},
         * what the rendered Caddyfile makes trustworthy). Choose the header your proxy overwrites
         * for every request; any other is ignored.
         *
         * @param header the header
         * @return this
         */
        public Builder clientIpHeader(ClientIpHeader header) {
            this.clientIpHeader = Objects.requireNonNull(header, "clientIpHeader");
            return this;
        }

        /**
         * What identifies a client (default {@code ip}).
         *
         * @param by the source
         * @return this
         */
        public Builder by(ClientKeySource by) {
            this.by = Objects.requireNonNull(by, "by");
            return this;
        }

        /**
         * Trusts the forwarding headers of peers in this address or CIDR range.
         *
         * @param range e.g. {@code 10.0.0.0/8} or {@code ::1}
         * @return this
         * @throws IllegalArgumentException if not an IP literal or range
         */
        public Builder trustProxy(String range) {
            trusted.add(IpRange.parse(range));
            return this;
        }

        /**
         * The prefix length IPv6 clients are grouped by (default 64; 128 = no grouping).
         *
         * @param prefix from 1 to 128
         * @return this
         */
        public Builder ipv6Prefix(int prefix) {
            this.ipv6Prefix = Checks.requireRange("ipv6Prefix", prefix, 1, 128);
            return this;
        }

        /**
         * Builds the resolver.
         *
         * @return the resolver
         */
        public ClientKeyResolver build() {
            return new ClientKeyResolver(this);
        }
    }
}
