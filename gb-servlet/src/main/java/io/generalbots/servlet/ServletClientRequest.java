package io.generalbots.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;

import io.generalbots.ratelimit.ClientRequest;

/**
 * An {@link HttpServletRequest} as gb-ratelimit's {@link ClientRequest}: the direct peer
 * ({@link HttpServletRequest#getRemoteAddr()}, never a forwarding header — those are believed only by
 * {@link io.generalbots.ratelimit.ClientKeyResolver} and only from trusted proxies), the header lines,
 * and the user and bot of the request.
 *
 * <p>The user is {@link HttpServletRequest#getUserPrincipal()}'s name unless a function is given;
 * the bot is null unless a function is given. Both functions are called only for
 * {@code rate-limit-by} {@code user} or {@code bot}.
 */
public final class ServletClientRequest implements ClientRequest {

    /** The user of a request: its principal's name, or null. */
    public static final Function<HttpServletRequest, String> PRINCIPAL = r -> {
        Principal p = r.getUserPrincipal();
        return p == null ? null : p.getName();
    };

    /** No bot. */
    public static final Function<HttpServletRequest, String> NO_BOT = r -> null;

    private final HttpServletRequest request;
    private final Function<HttpServletRequest, String> user;
    private final Function<HttpServletRequest, String> bot;

    private ServletClientRequest(HttpServletRequest request, Function<HttpServletRequest, String> user,
                                 Function<HttpServletRequest, String> bot) {
        this.request = Objects.requireNonNull(request, "request");
        this.user = Objects.requireNonNull(user, "user");
        this.bot = Objects.requireNonNull(bot, "bot");
    }

    /**
     * A request whose user is its principal and which has no bot.
     *
     * @param request the servlet request
     * @return the client request
     */
    public static ServletClientRequest of(HttpServletRequest request) {
        return new ServletClientRequest(request, PRINCIPAL, NO_BOT);
    }

    /**
     * A request with its own ways to find the user and the bot.
     *
     * @param request the servlet request
     * @param user    the authenticated user of a request, or null
     * @param bot     the bot a request talks to, or null
     * @return the client request
     */
    public static ServletClientRequest of(HttpServletRequest request, Function<HttpServletRequest, String> user,
                                          Function<HttpServletRequest, String> bot) {
        return new ServletClientRequest(request, user, bot);
    }

    @Override
    public InetAddress remoteAddress() {
        return address(request.getRemoteAddr());
    }

    /**
     * The address of an IP literal as containers report it ({@code 127.0.0.1}, {@code ::1},
     * {@code [::1]}); never a DNS lookup.
     *
     * @param literal the peer address
     * @return the address
     * @throws IllegalStateException if the container reported something else than an IP literal
     */
    static InetAddress address(String literal) {
        byte[] v4 = ipv4(literal);
        if (v4 != null) { // what containers report nearly always: four bytes, without InetAddress's parsing
            try {
                return InetAddress.getByAddress(v4);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("unreachable: four bytes are an IPv4 address", e);
            }
        }
        String s = literal;
        if (s.length() > 1 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || (s.indexOf(':') < 0 && !dotsAndDigits(s))) {
            throw new IllegalStateException("remote address must be an IP literal, but was \"" + literal + "\"");
        }
        try {
            return InetAddress.getByName(s); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            throw new IllegalStateException("remote address must be an IP literal, but was \"" + literal + "\"", e);
        }
    }

    /**
     * The bytes of a dotted-quad IPv4 literal as containers write it ({@code 127.0.0.1}: four parts of
     * 0 to 255 without leading zeros), or null for anything else (IPv6, or text the slow path judges).
     */
    static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null; // a leading zero: left to InetAddress
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0) {
            return null;
        }
        out[3] = (byte) value;
        return out;
    }

    /** Whether the text has only dots and digits (a loop: this runs for every request). */
    private static boolean dotsAndDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null || !values.hasMoreElements() ? List.of() : Collections.list(values);
    }

    @Override
    public String user() {
        return user.apply(request);
    }

    @Override
    public String bot() {
        return bot.apply(request);
    }

    /**
     * The path of a request inside its application, decoded and normalised by the container
     * ({@code servletPath + pathInfo}), the way limits and health endpoints are matched: an encoded
     * {@code /api/%63hat} is {@code /api/chat} here.
     *
     * @param request the request
     * @return the path, starting with {@code /}
     */
    public static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = servletPath == null ? "" : servletPath;
        if (pathInfo != null) {
            path = path + pathInfo;
        }
        return path.isEmpty() ? "/" : path;
    }
}
