package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ClientKeyResolverTest {

    static ClientRequest request(String peer, Map<String, List<String>> headers, String user) {
        return new ClientRequest() {
            @Override
            public InetAddress remoteAddress() {
                try {
                    return InetAddress.getByName(peer);
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public List<String> headers(String name) {
                return headers.getOrDefault(name, List.of());
            }

            @Override
            public String user() {
                return user;
            }
        };
    }

    @Test
    void spoofedForwardingHeadersFromAnUntrustedPeerChangeNothing() {
        ClientKeyResolver resolver = ClientKeyResolver.custom().build(); // trusts no proxy
        assertThat(resolver.resolve(request("203.0.113.7", Map.of("X-Forwarded-For", List.of("1.1.1.1"),
                "Forwarded", List.of("for=2.2.2.2")), null))).isEqualTo("ip:203.0.113.7");
        ClientKeyResolver trusting = ClientKeyResolver.custom().trustProxy("10.0.0.0/8").build();
        assertThat(trusting.resolve(request("203.0.113.7", Map.of("X-Forwarded-For", List.of("1.1.1.1")), null)))
                .isEqualTo("ip:203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
        ClientKeyResolver resolver = ClientKeyResolver.custom().trustProxy("10.0.0.0/8").trustProxy("::1").build();
        // the client forged "6.6.6.6"; the proxy appended the real client 198.51.100.4; another trusted hop 10.1.1.1
        assertThat(resolver.resolve(request("10.0.0.2", Map.of("X-Forwarded-For",
                List.of("6.6.6.6, 198.51.100.4", "10.1.1.1")), null))).isEqualTo("ip:198.51.100.4");
        assertThat(resolver.resolve(request("10.0.0.2", Map.of("X-Forwarded-For", List.of("198.51.100.4:5555")), null)))
                .isEqualTo("ip:198.51.100.4");
        // garbage in the chain: stop there and use the last good hop (the trusted proxy itself)
        assertThat(resolver.resolve(request("10.0.0.2", Map.of("X-Forwarded-For", List.of("unknown")), null)))
                .isEqualTo("ip:10.0.0.2");
    }

    @Test
    void byDefaultOnlyXForwardedForIsReadAndAForgedForwardedChangesNothing() {
        ClientKeyResolver resolver = ClientKeyResolver.custom().trustProxy("127.0.0.1").build();
        // Caddy (127.0.0.1) set X-Forwarded-For to the client it saw; the client added its own
        // Forwarded and X-Real-IP, rotating them to get a fresh bucket on every request
        for (String forged : List.of("6.6.6.6", "6.6.6.7", "\"[2001:db8::1]\"")) {
            assertThat(resolver.resolve(request("127.0.0.1", Map.of("X-Forwarded-For", List.of("198.51.100.4"),
                    "Forwarded", List.of("for=" + forged), "X-Real-IP", List.of("7.7.7.7")), null)))
                    .isEqualTo("ip:198.51.100.4");
        }
        // without the chosen header the peer itself is the client, whatever else was sent
        assertThat(resolver.resolve(request("127.0.0.1", Map.of("Forwarded", List.of("for=6.6.6.6"),
                "X-Real-IP", List.of("7.7.7.7")), null))).isEqualTo("ip:127.0.0.1");
    }

    @Test
    void withForwardedChosenOnlyItsForParametersAreReadAndXForwardedForChangesNothing() {
        ClientKeyResolver resolver = ClientKeyResolver.custom().trustProxy("10.0.0.0/8").trustProxy("::1")
                .clientIpHeader(ClientIpHeader.FORWARDED).build();
        assertThat(resolver.resolve(request("::1", Map.of("Forwarded",
                List.of("for=6.6.6.6, for=\"[2001:db8:aa:bb:1:2:3:4]:4711\";proto=https"),
                "X-Forwarded-For", List.of("7.7.7.7")), null))).isEqualTo("ip:2001:db8:aa:bb:0:0:0:0/64");
        assertThat(resolver.resolve(request("10.0.0.2", Map.of("Forwarded",
                List.of("for=6.6.6.6;proto=http", "For=198.51.100.4, for=10.1.1.1")), null))).isEqualTo("ip:198.51.100.4");
        // a rotating X-Forwarded-For or X-Real-IP is not read at all: the proxy's own key
        for (String forged : List.of("1.1.1.1", "2.2.2.2")) {
            assertThat(resolver.resolve(request("10.0.0.2", Map.of("X-Forwarded-For", List.of(forged),
                    "X-Real-IP", List.of(forged)), null))).isEqualTo("ip:10.0.0.2");
        }
        // obfuscated identifiers (RFC 7239 section 6.3) stop the walk like any non-address
        assertThat(resolver.resolve(request("10.0.0.2", Map.of("Forwarded", List.of("for=_hidden")), null)))
                .isEqualTo("ip:10.0.0.2");
    }

    @Test
    void withXRealIpChosenOnlyItIsRead() {
        ClientKeyResolver resolver = ClientKeyResolver.custom().trustProxy("127.0.0.1")
                .clientIpHeader(ClientIpHeader.X_REAL_IP).build();
        assertThat(resolver.resolve(request("127.0.0.1", Map.of("X-Real-IP", List.of("198.51.100.4"),
                "X-Forwarded-For", List.of("6.6.6.6"), "Forwarded", List.of("for=7.7.7.7")), null)))
                .isEqualTo("ip:198.51.100.4");
        assertThat(resolver.resolve(request("127.0.0.1", Map.of("X-Forwarded-For", List.of("6.6.6.6")), null)))
                .isEqualTo("ip:127.0.0.1");
        // from an untrusted peer, even the chosen header changes nothing
        assertThat(resolver.resolve(request("203.0.113.7", Map.of("X-Real-IP", List.of("198.51.100.4")), null)))
                .isEqualTo("ip:203.0.113.7");
    }

    @Test
    void clientIpHeaderValues() {
        assertThat(ClientIpHeader.parse(" X-Forwarded-For ")).isEqualTo(ClientIpHeader.X_FORWARDED_FOR);
        assertThat(ClientIpHeader.parse("forwarded")).isEqualTo(ClientIpHeader.FORWARDED);
        assertThat(ClientIpHeader.parse("X-Real-IP")).isEqualTo(ClientIpHeader.X_REAL_IP);
        assertThat(ClientIpHeader.parse("x_forwarded_for")).isNull();
        assertThat(ClientIpHeader.X_REAL_IP.headerName()).isEqualTo("X-Real-IP");
        assertThat(ClientIpHeader.X_REAL_IP).hasToString("x-real-ip");
        assertThatThrownBy(() -> ClientKeyResolver.custom().clientIpHeader(null))
                .isInstanceOf(NullPointerException.class).hasMessage("clientIpHeader");
    }

    @Test
    void ipv6ClientsAreGroupedByPrefix() {
        ClientKeyResolver by64 = ClientKeyResolver.custom().build();
        assertThat(by64.resolve(request("2001:db8:1:2:aaaa::1", Map.of(), null)))
                .isEqualTo(by64.resolve(request("2001:db8:1:2:bbbb::9", Map.of(), null)))
                .isEqualTo("ip:2001:db8:1:2:0:0:0:0/64");
        ClientKeyResolver by128 = ClientKeyResolver.custom().ipv6Prefix(128).build();
        assertThat(by128.resolve(request("2001:db8:1:2:aaaa::1", Map.of(), null)))
                .isEqualTo("ip:2001:db8:1:2:aaaa:0:0:1/128");
    }

    @Test
    void userBotAndHeaderKeysFallBackToTheIp() {
        ClientKeyResolver byUser = ClientKeyResolver.custom().by(ClientKeySource.parse("user")).build();
        assertThat(byUser.resolve(request("1.2.3.4", Map.of(), "alice"))).isEqualTo("user:alice");
        assertThat(byUser.resolve(request("1.2.3.4", Map.of(), null))).isEqualTo("ip:1.2.3.4");
        ClientKeyResolver byHeader = ClientKeyResolver.custom().by(ClientKeySource.parse("header:X-Api-Key")).build();
        assertThat(byHeader.resolve(request("1.2.3.4", Map.of("X-Api-Key", List.of(" k1 ")), null))).isEqualTo("header:k1");
        assertThat(byHeader.resolve(request("1.2.3.4", Map.of(), null))).isEqualTo("ip:1.2.3.4");
    }

    @Test
    void badProxyRangesAreNamed() {
        assertThatThrownBy(() -> ClientKeyResolver.custom().trustProxy("proxy.local"))
                .hasMessage("not an IP address or CIDR range: \"proxy.local\"");
        assertThatThrownBy(() -> ClientKeyResolver.custom().trustProxy("10.0.0.0/33"))
                .hasMessage("not an IP address or CIDR range: \"10.0.0.0/33\"");
        assertThat(ClientKeySource.parse("cookie")).isNull();
    }

    @Test
    void anIpv4KeyIsWrittenAsTheJdkWritesTheAddress() throws Exception {
        ClientKeyResolver resolver = ClientKeyResolver.custom().build();
        for (String peer : List.of("0.0.0.0", "1.2.3.4", "10.0.0.255", "127.0.0.1", "192.168.100.200",
                "255.255.255.255", "::ffff:198.51.100.7")) {
            assertThat(resolver.ipKey(request(peer, Map.of(), null)))
                    .isEqualTo("ip:" + InetAddress.getByAddress(InetAddress.getByName(peer).getAddress()).getHostAddress());
        }
        assertThat(resolver.ipKey(request("::ffff:198.51.100.7", Map.of(), null))).isEqualTo("ip:198.51.100.7");
    }
}
