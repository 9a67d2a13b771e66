package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The 429 problem body is JSON whatever the policy name holds. */
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
}
