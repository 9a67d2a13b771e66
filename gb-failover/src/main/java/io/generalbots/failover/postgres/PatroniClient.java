package io.generalbots.failover.postgres;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.generalbots.scaling.config.HostAndPort;

/**
 * A small client of Patroni's REST API on every node of one cluster: {@code GET /primary} (200 only
 * on the leader holding the lock, else 503), {@code GET /replica[?lag=N]} (200 on a running replica
 * within the lag), {@code GET /cluster} (members, roles, lag). Requests to all nodes go out at once,
 * each bounded by the timeout, so one dead node costs no more than one timeout.
 */
public final class PatroniClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<HostAndPort> postgres;
    private final List<HostAndPort> endpoints;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * Creates a client.
     *
     * @param postgres  the PostgreSQL address of each node
     * @param endpoints the Patroni REST address of each node, in the same order
     * @param timeout   the time one request may take
     */
    public PatroniClient(List<HostAndPort> postgres, List<HostAndPort> endpoints, Duration timeout) {
        this.postgres = List.copyOf(postgres);
        this.endpoints = List.copyOf(endpoints);
        if (this.postgres.size() != this.endpoints.size()) {
            throw new IllegalArgumentException("one Patroni endpoint per PostgreSQL node is needed, but there are "
                    + this.postgres.size() + " nodes and " + this.endpoints.size() + " endpoints");
        }
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * The REST endpoints asked.
     *
     * @return the endpoints, in node order
     */
    public List<HostAndPort> endpoints() {
        return endpoints;
    }

    /**
     * The PostgreSQL address of the node whose Patroni answers 200 on {@code /primary}, if any.
     * When (during a split brain) several answer 200, the first in node order wins.
     *
     * @return the primary, or empty while there is none (an election is under way, all down)
     */
    public Optional<HostAndPort> findPrimary() {
        List<Integer> codes = statusOfAll("/primary");
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i) == 200) {
                return Optional.of(postgres.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The PostgreSQL addresses of the nodes that answer 200 on {@code /replica} (with
     * {@code ?lag=N} when a maximum lag is given), in node order.
     *
     * @param maxLagBytes the largest lag, or a negative number for any
     * @return the usable replicas
     */
    public List<HostAndPort> replicas(long maxLagBytes) {
        List<Integer> codes = statusOfAll(maxLagBytes < 0 ? "/replica" : "/replica?lag=" + maxLagBytes);
        List<HostAndPort> out = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i) == 200) {
                out.add(postgres.get(i));
            }
        }
        return out;
    }

    /**
     * The HTTP status of each node for a path, -1 where the node did not answer in time.
     *
     * @param path e.g. {@code /health}
     * @return one status per node
     */
    public List<Integer> statusOfAll(String path) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (HostAndPort endpoint : endpoints) {
            futures.add(http.sendAsync(request(endpoint, path), HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode)
                    .exceptionally(e -> -1));
        }
        List<Integer> codes = new ArrayList<>();
        for (CompletableFuture<Integer> f : futures) {
            codes.add(f.join());
        }
        return codes;
    }

    /**
     * The cluster as the first node that answers {@code GET /cluster} reports it.
     *
     * @return the members, or empty if no node answered
     */
    public Optional<List<Member>> cluster() {
        for (HostAndPort endpoint : endpoints) {
            try {
                HttpResponse<String> response = http.send(request(endpoint, "/cluster"),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Optional.of(parseCluster(response.body()));
                }
            } catch (IOException e) {
                // next node
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Parses the body of {@code GET /cluster}.
     *
     * @param body the JSON
     * @return the members
     * @throws IOException if it is not Patroni's cluster JSON
     */
    static List<Member> parseCluster(String body) throws IOException {
        JsonNode members = JSON.readTree(body).path("members");
        if (!members.isArray()) {
            throw new IOException("Patroni /cluster answer has no members array: " + body);
        }
        List<Member> out = new ArrayList<>();
        for (JsonNode m : members) {
            JsonNode lag = m.get("lag");
            out.add(new Member(m.path("name").asText(), m.path("role").asText(), m.path("state").asText(),
                    m.path("host").asText(), m.path("port").asInt(5432),
                    lag != null && lag.isNumber() ? lag.asLong() : -1));
        }
        return out;
    }

    private HttpRequest request(HostAndPort endpoint, String path) {
        String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + endpoint.port() + path))
                .timeout(timeout).GET().build();
    }

    /**
     * One member of a Patroni cluster, as {@code /cluster} lists it.
     *
     * @param name  the member's name
     * @param role  {@code leader}, {@code replica}, {@code sync_standby}, {@code standby_leader}, …
     * @param state {@code running}, {@code streaming}, {@code stopped}, …
     * @param host  its PostgreSQL host
     * @param port  its PostgreSQL port
     * @param lag   replication lag in bytes, or -1 when not reported (the leader; unknown)
     */
    public record Member(String name, String role, String state, String host, int port, long lag) {

        /**
         * Whether this member holds the leader lock.
         *
         * @return true for the leader
         */
        public boolean isLeader() {
            return "leader".equals(role) || "master".equals(role) || "primary".equals(role);
        }

        /**
         * Whether PostgreSQL runs on this member ({@code running} or {@code streaming}).
         *
         * @return true when running
         */
        public boolean isRunning() {
            return "running".equals(state) || "streaming".equals(state);
        }

        /**
         * The member's PostgreSQL address.
         *
         * @return host and port
         */
        public HostAndPort address() {
            return new HostAndPort(host, port);
        }
    }
}
