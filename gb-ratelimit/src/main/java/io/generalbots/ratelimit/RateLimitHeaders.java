package io.generalbots.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP face of a decision, as the IETF httpapi RateLimit header draft (-10) defines it:
 * {@code RateLimit-Policy: "global";q=120;w=60, "chat";q=30;w=60} (each policy that applies:
 * {@code q} the most requests in any window — {@code R+B} for the global one — and {@code w} the
 * window in seconds), {@code RateLimit: "chat";r=29;t=2} for the binding policy ({@code r}
 * requests left, {@code t} seconds until one more is available, rounded up),
 * {@code Retry-After} (seconds, rounded up, never earlier than {@code t}) on denial, and a
 * {@code application/problem+json} body of type {@code quota-exceeded}.
 */
public final class RateLimitHeaders {

    /** The draft's problem type for exceeded quota. */
    public static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    private RateLimitHeaders() {
    }

    /**
     * The {@code RateLimit-Policy} value for a request to this endpoint.
     *
     * @param config   the limits
     * @param endpoint the endpoint name, or null
     * @return the field value
     */
    public static String policy(RateLimitConfig config, String endpoint) {
        Bucket g = config.globalBucket();
        Bucket e = config.endpointBucket(endpoint);
        String global = item(g);
        return e == null ? global : global + ", " + item(e);
    }

    private static String item(Bucket b) {
        return "\"" + b.name + "\";q=" + b.capacity + ";w=" + Bucket.ceilDiv(b.windowMicros, 1_000_000);
    }

    /**
     * The {@code RateLimit} value of a decision, or null if no policy applied (disabled, fail-open/closed).
     *
     * @param decision the decision
     * @return the field value or null
     */
    public static String rateLimit(RateLimitDecision decision) {
        if (decision.policy() == null) {
            return null;
        }
        return "\"" + decision.policy() + "\";r=" + decision.remaining() + ";t=" + decision.nextSeconds();
    }

    /**
     * All header fields for a response to this request, in order.
     *
     * @param config   the limits, or null (disabled)
     * @param endpoint the endpoint name, or null
     * @param decision the decision
     * @return name to value
     */
    public static Map<String, String> of(RateLimitConfig config, String endpoint, RateLimitDecision decision) {
        Map<String, String> out = new LinkedHashMap<>();
        if (config != null && decision.policy() != null) {
            out.put("RateLimit-Policy", policy(config, endpoint));
            out.put("RateLimit", rateLimit(decision));
        }
        if (!decision.allowed()) {
            out.put("Retry-After", Long.toString(Math.max(1, decision.retryAfterSeconds())));
        }
        return out;
    }

    /**
     * The 429 problem-details body (RFC 9457) of a denial.
     *
     * @param decision the denial
     * @return JSON text
     */
    public static String problem(RateLimitDecision decision) {
        String policy = decision.policy();
        String detail = policy == null ? "Rate limiting is unavailable; try again later."
                : "Too many requests for the " + policy + " limit of " + decision.limit() + " per "
                + Bucket.ceilDiv(decision.windowMicros(), 1_000_000) + " s.";
        return "{\"type\":\"" + PROBLEM_TYPE + "\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\""
                + detail + "\",\"retry-after\":" + Math.max(1, decision.retryAfterSeconds())
                + (policy == null ? "" : ",\"policy\":\"" + jsonEscape(policy) + "\"") + "}";
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
