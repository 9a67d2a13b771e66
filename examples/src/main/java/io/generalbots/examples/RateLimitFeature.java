package io.generalbots.examples;

import java.net.http.HttpResponse;
import java.util.Map;

import io.generalbots.ratelimit.RateLimitFilter;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RateLimitMetrics;
import io.generalbots.ratelimit.RateLimitSettings;
import io.generalbots.ratelimit.RateLimiter;
import io.generalbots.ratelimit.RateLimiters;
import io.generalbots.scaling.Ticker;

/**
 * gb-ratelimit in the demo: every {@code /api/*} route is limited with the config's
 * {@code rate-limit-*} keys (the seed's: 100/min + 20 burst per client, {@code /api/chat} 30/min,
 * {@code /api/auth} 10/min), answering 429 with RateLimit headers and a problem-details body —
 * except the health report ({@code health-endpoint}, {@code /api/health}) and its {@code /ready}
 * and {@code /live}, which are never limited, so that a busy client cannot make a proxy's health
 * checks fail.
 */
final class RateLimitFeature implements DemoFeature {

    private RateLimiter limiter;

    @Override
    public String name() {
        return "rate limiting";
    }

    @Override
    public void install(DemoContext demo) {
        RateLimitSettings settings = RateLimitSettings.from(demo.config());
        limiter = RateLimiters.of(settings, "demo", Ticker.system());
        RateLimitMetrics.of(limiter).bindTo(demo.meters());
        demo.route("/api/auth", exchange -> DemoHttp.send(exchange, 200, "application/json", "{\"token\":\"demo\"}"));
        demo.addApiFilter(RateLimitFilter.of(RateLimitGate.of(limiter, settings),
                exchange -> exchange.getRequestHeaders().getFirst("X-User"), exchange -> null));
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("rate limiting (/api/auth 10 per minute per client):");
        HttpResponse<String> last = null;
        int allowed = 0;
        for (int i = 0; i < 11; i++) {
            last = tour.post("/api/auth", "user=demo", Map.of());
            if (last.statusCode() == 200) {
                allowed++;
            }
        }
        tour.say("  " + allowed + " logins allowed, then:");
        tour.show("POST", "/api/auth", last);
        for (String header : new String[] {"RateLimit-Policy", "RateLimit", "Retry-After"}) {
            tour.say("    " + header + ": " + last.headers().firstValue(header).orElse("-"));
        }
    }

    @Override
    public void close() {
        if (limiter != null) {
            limiter.close();
        }
    }
}
