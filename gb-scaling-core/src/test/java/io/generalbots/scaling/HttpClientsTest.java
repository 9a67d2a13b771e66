package io.generalbots.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class HttpClientsTest {

    @Test
    void http11WithoutRedirectsAndTheGivenConnectTimeout() {
        HttpClient client = HttpClients.http11(Duration.ofSeconds(2));
        assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(client.connectTimeout()).contains(Duration.ofSeconds(2));
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefusedNamingIt() {
        assertThatThrownBy(() -> HttpClients.http11(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be positive, but was PT0S");
    }
}
