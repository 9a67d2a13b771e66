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

    /** The name of the field that lists the policies that apply: {@value}. */
    public static final String POLICY_HEADER = "RateLimit-Policy";

    /** The name of the field that gives the binding policy's state: {@value}. */
    public static final String RATE_LIMIT_HEADER = "RateLimit";

    /** The name of the field of a denial's wait, in whole seconds: {@value}. */
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    /** The draft's problem type for exceeded quota. */
    public static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private RateLimitHeaders() {
    }

    /**
     * The {@code RateLimit-Policy} value for a request to this endpoint. The values are computed
     * once, when the config is built: this returns the same string instance for every request to
     * the same endpoint.
     *
     * @param config   the limits
     * @param endpoint the endpoint name, or null
     * @return the field value
     */
    public static String policy(RateLimitConfig config, String endpoint) {
        return config.policyHeader(endpoint);
    }

    /** One policy item, {@code "NAME";q=Q;w=W}; called once per bucket when a config is built. */
    static String item(Bucket b) {
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
            out.put(POLICY_HEADER, policy(config, endpoint));
            out.put(RATE_LIMIT_HEADER, rateLimit(decision));
        }
        String retryAfter = retryAfter(decision);
        if (retryAfter != null) {
            out.put(RETRY_AFTER_HEADER, retryAfter);
        }
        return out;
    }

    /**
     * The {@code Retry-After} value of a decision: whole seconds, rounded up, at least 1; null
     * when the decision allowed the request.
     *
     * @param decision the decision
     * @return the field value or null
     */
    public static String retryAfter(RateLimitDecision decision) {
        return decision.allowed() ? null : Long.toString(Math.max(1, decision.retryAfterSeconds()));
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
