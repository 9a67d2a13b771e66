package io.generalbots.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.DrainState;
import io.generalbots.autoscale.serving.InstanceConfig;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.ratelimit.ClientKeyResolver;
import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.scaling.testing.ManualTicker;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** Metering, drain and the control endpoint on a real Jetty 12 (ee10) server. */
class InstanceServletFilterTest {

    private static final List<String> NOT_METERED = List.of("/api/health", "/api/instance");

    @Test
    void aRequestThatThrowsStillLeavesTheInFlightCountAsA500() throws Exception {
        BotInstance instance = BotInstance.of(InstanceConfig.ofDefaults());
        try (JettyServer jetty = JettyServer.start(c -> {
            JettyServer.filter(c, InstanceServletFilter.custom(instance).exclude(NOT_METERED).build());
            c.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) {
                    throw new IllegalStateException("boom");
                }
            }), "/api/boom");
        })) {
            assertThat(jetty.get("/api/boom").statusCode()).isEqualTo(500);
            assertThat(jetty.get("/api/x").statusCode()).isEqualTo(200);
            assertThat(instance.inFlight()).isZero();
            assertThat(instance.load().requestsPerMinute()).isEqualTo(2);
            assertThat(instance.load().errorsPerMinute()).isEqualTo(1);
        }
    }

    @Test
    void anAsyncRequestIsInFlightUntilItCompletesAndTheDrainWaitsForIt() throws Exception {
        BotInstance instance = BotInstance.of(InstanceConfig.ofDefaults());
        HealthAggregator aggregator = HealthAggregator.custom().version("6.1.0").instance(instance).build();
        AtomicReference<AsyncContext> pending = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        HealthServlet health = new HealthServlet("/api/health", aggregator);
        InstanceControlServlet control = new InstanceControlServlet(instance);
        try (JettyServer jetty = JettyServer.start(c -> {
            JettyServer.filter(c, InstanceServletFilter.custom(instance).exclude(NOT_METERED).build());
            ServletHolder async = new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) {
                    AsyncContext ctx = req.startAsync();
                    ctx.setTimeout(30_000);
                    pending.set(ctx);
                    started.countDown();
                }
            });
            async.setAsyncSupported(true);
            c.addServlet(async, "/api/slow");
            ServletHolder h = new ServletHolder(health);
            health.urlPatterns().forEach(p -> c.addServlet(h, p));
            ServletHolder ctl = new ServletHolder(control);
            control.urlPatterns().forEach(p -> c.addServlet(ctl, p));
        })) {
            CompletableFuture<HttpResponse<String>> slow = jetty.client.sendAsync(
                    HttpRequest.newBuilder(jetty.uri("/api/slow")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // the filter has returned, the request is still being answered: in flight
            assertThat(instance.inFlight()).isEqualTo(1);

            HttpResponse<String> drain = jetty.send(HttpRequest.newBuilder(jetty.uri("/api/instance/drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(drain.statusCode()).isEqualTo(202);
            assertThat(drain.body()).isEqualTo("{\"state\":\"draining\",\"inflight\":1}");
            HttpResponse<String> refused = jetty.get("/api/x");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(instance.retryAfterSeconds()));
            assertThat(refused.body()).isEqualTo("{\"error\":\"draining\",\"retry_after\":" + instance.retryAfterSeconds() + "}");
            HttpResponse<String> ready = jetty.get("/api/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("{\"status\":\"draining\"");
            assertThat(jetty.get("/api/health/live").statusCode()).isEqualTo(200);

            AsyncContext ctx = pending.get();
            ctx.getResponse().getOutputStream().write("done".getBytes(StandardCharsets.UTF_8));
            ctx.complete();
            HttpResponse<String> answered = slow.get(10, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body()).isEqualTo("done");
            assertThat(instance.awaitDrained(Duration.ofSeconds(5))).isTrue();
            assertThat(instance.state()).isEqualTo(DrainState.DRAINED);
            assertThat(jetty.get("/api/instance/drain").body()).isEqualTo("{\"state\":\"drained\",\"inflight\":0}");
        } finally {
            aggregator.close();
        }
    }

    @Test
    void theControlEndpointRefusesAnythingThatCameThroughAProxy() throws Exception {
        BotInstance instance = BotInstance.of(InstanceConfig.ofDefaults());
        InstanceControlServlet control = new InstanceControlServlet(instance);
        try (JettyServer jetty = JettyServer.start(c -> {
            ServletHolder ctl = new ServletHolder(control);
            control.urlPatterns().forEach(p -> c.addServlet(ctl, p));
        })) {
            HttpResponse<String> proxied = jetty.send(HttpRequest.newBuilder(jetty.uri("/api/instance/drain"))
                    .header("X-Forwarded-For", "203.0.113.9").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(proxied.statusCode()).isEqualTo(403);
            assertThat(proxied.body()).isEqualTo("{\"error\":\"forbidden\"}");
            assertThat(instance.isDraining()).isFalse();
            assertThat(jetty.get("/api/instance/other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aFilterRunInsideMetersItsAnswersAndIsNotReachedWhileDraining() throws Exception {
        BotInstance instance = BotInstance.of(InstanceConfig.ofDefaults());
        RateLimitGate gate = RateLimitGate.of(LocalRateLimiter.custom(RateLimitConfig.custom().requests(2)
                .window(Duration.ofMinutes(1)).burst(0).build()).ticker(new ManualTicker()).build(),
                ClientKeyResolver.custom().build());
        Counting limiter = new Counting(RateLimitServletFilter.custom(gate).exclude(NOT_METERED).build());
        InstanceServletFilter filter = InstanceServletFilter.custom(instance).exclude(NOT_METERED).then(limiter).build();
        assertThat(filter.next()).containsSame(limiter);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceServletFilter.custom(instance).then(null))
                .isInstanceOf(NullPointerException.class).hasMessage("next");
        assertThat(InstanceServletFilter.custom(instance).build().next()).isEmpty();
        HealthAggregator aggregator = HealthAggregator.custom().version("6.1.0").instance(instance).build();
        HealthServlet health = new HealthServlet("/api/health", aggregator);
        try (JettyServer jetty = JettyServer.start(c -> {
            JettyServer.filter(c, filter);
            ServletHolder h = new ServletHolder(health);
            health.urlPatterns().forEach(p -> c.addServlet(h, p));
        })) {
            assertThat(limiter.inits.get()).as("init passed on").isEqualTo(1);
            HttpResponse<String> first = jetty.get("/api/x");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("RateLimit")).hasValue("\"global\";r=1;t=30");
            assertThat(jetty.get("/api/x").statusCode()).isEqualTo(200);
            HttpResponse<String> denied = jetty.get("/api/x");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            // the excluded health path passes through both, neither metered nor limited
            assertThat(jetty.get("/api/health/live").statusCode()).isEqualTo(200);
            assertThat(limiter.calls.get()).isEqualTo(4);
            assertThat(instance.load().requestsPerMinute()).as("the 429 is metered too").isEqualTo(3);
            assertThat(instance.inFlight()).isZero();

            instance.drain();
            HttpResponse<String> refused = jetty.get("/api/x");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("RateLimit")).as("the limiter was not asked").isEmpty();
            assertThat(limiter.calls.get()).isEqualTo(4);
        } finally {
            aggregator.close();
        }
        assertThat(limiter.destroys.get()).as("destroy passed on").isEqualTo(1);
    }

    /** Counts the calls to a filter it passes on to. */
    private static final class Counting implements Filter {
        final Filter filter;
        final AtomicInteger inits = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger destroys = new AtomicInteger();

        Counting(Filter filter) {
            this.filter = filter;
        }

        @Override
        public void init(FilterConfig config) {
            inits.incrementAndGet();
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws java.io.IOException, jakarta.servlet.ServletException {
            calls.incrementAndGet();
            filter.doFilter(req, res, chain);
        }

        @Override
        public void destroy() {
            destroys.incrementAndGet();
        }
    }
}
