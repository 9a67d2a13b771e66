package io.generalbots.balance.caddy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import org.junit.jupiter.api.Test;

/** The admin API calls of the sync, against a recording stand-in of Caddy's admin endpoint. */
class CaddyUpstreamSyncTest {

    /** Two routes proxying to the same instances, as the Caddyfile of the seed adapts. */
    static final String CONFIG = """
            {"apps":{"http":{"servers":{"srv0":{"listen":[":443"],"routes":[{"handle":[{"handler":"subroute",
              "routes":[
                {"match":[{"path":["/ws*"]}],"handle":[{"handler":"reverse_proxy",
                  "load_balancing":{"selection_policy":{"policy":"cookie"}},"upstreams":[{"dial":"10.0.0.1:8080"}]}]},
                {"match":[{"path":["/api/*"]}],"handle":[{"handler":"reverse_proxy",
                  "load_balancing":{"selection_policy":{"policy":"round_robin"}},"upstreams":[{"dial":"10.0.0.1:8080"}]}]}
              ]}]}]}}}}}
            """;

    @Test
    void allHandlersChangeInOneConfigChange() throws IOException {
        List<String> calls = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        admin.createContext("/", ex -> {
            calls.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out = ex.getRequestMethod().equals("GET") ? CONFIG.getBytes(StandardCharsets.UTF_8) : new byte[0];
            ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        admin.start();
        try {
            CaddyUpstreamSync sync = CaddyUpstreamSync.of(new HostAndPort("127.0.0.1", admin.getAddress().getPort()));
            List<String> handlers = sync.setUpstreams(List.of(new HostAndPort("127.0.0.1", 21000),
                    new HostAndPort("127.0.0.1", 21001)));

            String routes = "apps/http/servers/srv0/routes/0/handle/0/routes";
            assertThat(handlers).containsExactly(routes + "/0/handle/0", routes + "/1/handle/0");
            assertThat(calls).containsExactly("GET /config/", "PATCH /config/" + routes);
            JsonNode sent = new ObjectMapper().readTree(bodies.get(1));
            String both = "[{\"dial\":\"127.0.0.1:21000\"},{\"dial\":\"127.0.0.1:21001\"}]";
            assertThat(sent.at("/0/handle/0/upstreams").toString()).isEqualTo(both);
            assertThat(sent.at("/1/handle/0/upstreams").toString()).isEqualTo(both);
            // the rest of the routes is sent back as it was
            assertThat(sent.at("/0/match/0/path/0").asText()).isEqualTo("/ws*");
            assertThat(sent.at("/1/handle/0/load_balancing/selection_policy/policy").asText()).isEqualTo("round_robin");

            calls.clear();
            sync.forHandlersUnder(routes + "/1").setUpstreams(List.of(new HostAndPort("127.0.0.1", 21002)));
            assertThat(calls).containsExactly("GET /config/", "PATCH /config/" + routes + "/1/handle/0/upstreams");
        } finally {
            admin.stop(0);
        }
    }

    @Test
    void theCommonAncestorIsTheDeepestNodeHoldingEveryHandler() {
        assertThat(CaddyUpstreamSync.commonAncestor(List.of("a/b/0/handle/0", "a/b/1/handle/0"))).isEqualTo("a/b");
        assertThat(CaddyUpstreamSync.commonAncestor(List.of("a/b/0/handle/0", "a/b/0/handle/1")))
                .isEqualTo("a/b/0/handle");
        assertThat(CaddyUpstreamSync.commonAncestor(List.of("apps/x/0", "other/y/0"))).isEmpty();
    }

    @Test
    void configChangesRunOneAtATimeAndAWaitingCallerParksOnALockNotTheMonitor() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        CountDownLatch firstGet = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        admin.setExecutor(Executors.newCachedThreadPool());
        admin.createContext("/", ex -> {
            calls.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            ex.getRequestBody().readAllBytes();
            if (ex.getRequestMethod().equals("GET") && firstGet.getCount() == 1) {
                firstGet.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = ex.getRequestMethod().equals("GET") ? CONFIG.getBytes(StandardCharsets.UTF_8) : new byte[0];
            ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        admin.start();
        try {
            CaddyUpstreamSync sync = CaddyUpstreamSync.of(new HostAndPort("127.0.0.1", admin.getAddress().getPort()));
            Thread first = new Thread(() -> sync.setUpstreams(List.of(new HostAndPort("127.0.0.1", 21000))));
            first.start();
            assertThat(firstGet.await(10, TimeUnit.SECONDS)).isTrue();
            Thread second = new Thread(() -> sync.setUpstreams(List.of(new HostAndPort("127.0.0.1", 21001))));
            second.start();
            Await.until("the second change parks", Duration.ofSeconds(10),
                    () -> LockSupport.getBlocker(second) != null);
            assertThat(LockSupport.getBlocker(second)).as("parked on the sync's lock, not in an HTTP call")
                    .isInstanceOf(AbstractQueuedSynchronizer.class);
            assertThat(calls).containsExactly("GET /config/");
            CompletableFuture<Boolean> monitorFree = CompletableFuture.supplyAsync(() -> {
                synchronized (sync) {
                    return true;
                }
            });
            assertThat(monitorFree.get(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            first.join();
            second.join();
            String routes = "PATCH /config/apps/http/servers/srv0/routes/0/handle/0/routes";
            assertThat(calls).containsExactly("GET /config/", routes, "GET /config/", routes);
        } finally {
            release.countDown();
            admin.stop(0);
            ((java.util.concurrent.ExecutorService) admin.getExecutor()).shutdownNow();
        }
    }
}
