package io.generalbots.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP face of a decision, as the IETF httpapi RateLimit header draft (-10) defines it.
 *
 * <ul>
 *   <li>{@code RateLimit-Policy: "global";q=219;w=60, "chat";q=59;w=60} — each policy that
 *       applies. The draft's quota policy limits a client "over a period of time (the time
 *       window) to a specified amount (the quota)", so {@code q} is what the limiter guarantees:
 *       the most requests it admits within any {@code w} seconds. {@code w} is the window W in
 *       seconds, rounded up. For a bucket of capacity {@code C} refilled at {@code N} per W that
 *       is {@code q = C + ⌈w × N / W⌉ − 1}: a full bucket at once, then the refill while the
 *       window lasts — {@code 2R+B−1} for the global policy (the seed's 100 per 60 s with burst 20:
 *       {@code q=219;w=60}, not 120) and {@code 2N−1} for an endpoint. The bound is exact: a
 *       client that sends whenever allowed reaches it.</li>
 *   <li>{@code RateLimit: "chat";r=29;t=2} for the binding policy: {@code r} the requests that
 *       would be allowed right now (the bucket's content, at most its capacity {@code C}),
 *       {@code t} seconds until one more is available, rounded up (the draft -10 meaning).</li>
 *   <li>{@code Retry-After} on denial, in whole seconds rounded up, never earlier than {@code t}.</li>
 *   <li>a {@code application/problem+json} body of type {@code quota-exceeded} whose detail gives
 *       the long-run rate and the burst, e.g. "100 per 60 s, in bursts of up to 120".</li>
 * </ul>
 */
public final class RateLimitHeaders {

    /** The draft's problem type for exceeded quota. */
    public static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

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
        long w = Bucket.ceilDiv(b.windowMicros, 1_000_000);
        return "\"" + b.name + "\";q=" + b.maxAdmittedWithin(w * 1_000_000) + ";w=" + w;
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
                : "Too many requests for the " + policy + " limit: " + decision.rate() + " per "
                + duration(decision.windowMicros()) + ", in bursts of up to " + decision.limit() + ".";
        // written by Jackson, so that every character of a policy name or detail is escaped
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode()
                .put("type", PROBLEM_TYPE)
                .put("title", "Too Many Requests")
                .put("status", 429)
                .put("detail", detail)
                .put("retry-after", Math.max(1, decision.retryAfterSeconds()));
        if (policy != null) {
            body.put("policy", policy);
        }
        return body.toString();
    }

    /** A window exactly: {@code 60 s}, {@code 1500 ms}, {@code 333 µs}. */
    private static String duration(long micros) {
        if (micros % 1_000_000 == 0) {
            return micros / 1_000_000 + " s";
        }
        return micros % 1000 == 0 ? micros / 1000 + " ms" : micros + " µs";
    }

}
