package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/**
 * The 429 problem body is JSON whatever the policy name holds; the {@code RateLimit-Policy} values
 * are computed once per config, and the per-field accessors of a gate's result give exactly its
 * header map.
 */
class RateLimitHeadersTest {

    @Test
    void aPolicyNameWithQuotesAndControlCharactersStaysValidJson() throws Exception {
        String hostile = "chat\"},\"status\":200,\"x\":\"\u0001\\";
        RateLimitDecision denied = new RateLimitDecision(false, hostile, 120, 100, 60_000_000L, 0, 3_000_000L,
                600_000L, RateLimitDecision.Source.LOCAL);
        String body = RateLimitHeaders.problem(denied);
        JsonNode json = new ObjectMapper().readTree(body);
        assertThat(json.get("status").asInt()).isEqualTo(429);
        assertThat(json.get("policy").asText()).isEqualTo(hostile);
        assertThat(json.get("detail").asText()).isEqualTo("Too many requests for the " + hostile
                + " limit: 100 per 60 s, in bursts of up to 120.");
        assertThat(json.get("retry-after").asInt()).isEqualTo(3);
        assertThat(body).doesNotContain("\u0001");
    }

    @Test
    void thePolicyValueIsComputedOnceAndReusedUnchanged() {
        RateLimitConfig config = RateLimitConfig.custom().requests(100).window(Duration.ofSeconds(60)).burst(20)
                .endpoint("chat", 30).endpoint("chat/admin", 2).build();
        String chat = RateLimitHeaders.policy(config, "chat");
        assertThat(chat).isEqualTo("\"global\";q=219;w=60, \"chat\";q=59;w=60");
        assertThat(RateLimitHeaders.policy(config, "chat")).isSameAs(chat);
        assertThat(RateLimitHeaders.policy(config, "chat/admin")).isEqualTo("\"global\";q=219;w=60, \"chat/admin\";q=3;w=60");
        String global = RateLimitHeaders.policy(config, null);
        assertThat(global).isEqualTo("\"global\";q=219;w=60");
        assertThat(RateLimitHeaders.policy(config, null)).isSameAs(global);
        // a name without a limit of its own is global-only, as before
        assertThat(RateLimitHeaders.policy(config, "other")).isSameAs(global);
    }

    @Test
    void theResultsFieldAccessorsGiveItsHeadersInOrder() {
        RateLimitConfig config = RateLimitConfig.custom().requests(2).window(Duration.ofSeconds(60)).burst(0)
                .endpoint("chat", 1).build();
        RateLimitGate gate = RateLimitGate.of(LocalRateLimiter.custom(config).ticker(new ManualTicker()).build(),
                ClientKeyResolver.custom().build());
        ClientRequest client = new ClientRequest() {
            @Override
            public InetAddress remoteAddress() {
                return InetAddress.getLoopbackAddress();
            }

            @Override
            public List<String> headers(String name) {
                return List.of();
            }
        };
        RateLimitGate.Result allowed = gate.check(client, "/api/chat");
        assertThat(fields(allowed)).isEqualTo(allowed.headers()).containsExactly(
                Map.entry("RateLimit-Policy", "\"global\";q=3;w=60, \"chat\";q=1;w=60"),
                Map.entry("RateLimit", "\"chat\";r=0;t=60"));
        assertThat(allowed.policyHeader()).isSameAs(RateLimitHeaders.policy(config, "chat"));
        RateLimitGate.Result denied = gate.check(client, "/api/chat");
        assertThat(fields(denied)).isEqualTo(denied.headers()).containsExactly(
                Map.entry("RateLimit-Policy", "\"global\";q=3;w=60, \"chat\";q=1;w=60"),
                Map.entry("RateLimit", "\"chat\";r=0;t=60"),
                Map.entry("Retry-After", "60"));
        RateLimitGate.Result health = gate.check(client, "/api/health");
        assertThat(fields(health)).isEqualTo(health.headers()).isEmpty();
        RateLimitGate.Result disabled = RateLimitGate.of(RateLimiter.disabled(), ClientKeyResolver.custom().build())
                .check(client, "/api/chat");
        assertThat(fields(disabled)).isEqualTo(disabled.headers()).isEmpty();
        RateLimitGate.Result failClosed = new RateLimitGate.Result(config, null,
                RateLimitDecision.unlimited(false, 2_500_000, RateLimitDecision.Source.FAIL_CLOSED));
        assertThat(fields(failClosed)).isEqualTo(failClosed.headers()).containsExactly(Map.entry("Retry-After", "3"));
        assertThat(gate.checkAsync(client, "/api/x").toCompletableFuture().join().policyHeader())
                .isSameAs(RateLimitHeaders.policy(config, null));
    }

    /** The fields as a filter sets them from the accessors, in the order it sets them. */
    private static Map<String, String> fields(RateLimitGate.Result result) {
        Map<String, String> out = new LinkedHashMap<>();
        if (result.policyHeader() != null) {
            out.put(RateLimitHeaders.POLICY_HEADER, result.policyHeader());
            out.put(RateLimitHeaders.RATE_LIMIT_HEADER, result.rateLimitHeader());
        } else {
            assertThat(result.rateLimitHeader()).isNull();
        }
        if (result.retryAfterHeader() != null) {
            out.put(RateLimitHeaders.RETRY_AFTER_HEADER, result.retryAfterHeader());
        }
        return out;
    }
}
