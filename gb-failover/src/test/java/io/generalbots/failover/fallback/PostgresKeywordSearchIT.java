package io.generalbots.failover.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.health.DataSourceHealthCheck;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;
import io.generalbots.scaling.testing.TestPostgres;

/** Keyword search and the DataSource health check on the test PostgreSQL. */
class PostgresKeywordSearchIT {

    private static final String DB = "gbfail_keyword";
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void createDatabase() throws Exception {
        TestPostgres.recreateDatabase(DB);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestPostgres.url(DB));
        dataSource.setUser(TestPostgres.user());
        dataSource.setPassword(TestPostgres.password());
    }

    @Test
    void ranksFullTextMatchesAndUnderstandsWebSearchSyntax() throws Exception {
        PostgresKeywordSearch search = new PostgresKeywordSearch(dataSource, "kb_documents", "english");
        search.createTable();
        search.add("bot1", "pw", "How to reset your password: open the login page and choose reset password.");
        search.add("bot1", "bill", "Billing questions and invoices go to the finance team.");
        search.add("bot1", "login", "The login page accepts your e-mail address.");
        search.add("bot2", "pw2", "Password resets for bot two.");
        search.add("bot1", "bill", "Billing questions, invoices and refunds go to the finance team.");

        List<SearchHit> hits = search.search(SearchRequest.ofText("bot1", "reset password", 10));
        assertThat(hits).extracting(SearchHit::id).containsExactly("pw");
        assertThat(hits.get(0).score()).isPositive();
        assertThat(hits.get(0).text()).startsWith("How to reset");

        // "or" and stemming (english): login pages / password
        assertThat(search.search(SearchRequest.ofText("bot1", "passwords or logins", 10))).extracting(SearchHit::id)
                .containsExactly("pw", "login");
        // "-word" excludes
        assertThat(search.search(SearchRequest.ofText("bot1", "login -password", 10))).extracting(SearchHit::id)
                .containsExactly("login");
        assertThat(search.search(SearchRequest.ofText("bot1", "refunds", 10))).extracting(SearchHit::id)
                .containsExactly("bill");
        assertThat(search.search(SearchRequest.ofText("bot1", "password", 1))).hasSize(1);
        assertThat(search.search(SearchRequest.ofText("bot3", "password", 10))).isEmpty();
    }

    @Test
    void servesAsTheVectorSearchFallback() throws Exception {
        PostgresKeywordSearch keyword = new PostgresKeywordSearch(dataSource, "kb_fallback", "simple");
        keyword.createTable();
        keyword.add("bot1", "d1", "opening hours are nine to five");
        ResilientSearch search = ResilientSearch.of(r -> {
            throw new IllegalStateException("UNAVAILABLE: qdrant is down");
        }, BreakerRegistry.ofDefaults().breaker("vectordb"), keyword, FallbackSettings.from(BotConfig.ofDefaults()));
        Answer<List<SearchHit>> a = search.searchAnswered(SearchRequest.ofText("bot1", "opening hours", 5));
        assertThat(a.answeredBy()).isEqualTo("keyword-search");
        assertThat(a.value()).extracting(SearchHit::id).containsExactly("d1");
        assertThat(search.healthCheck().check().word()).isEqualTo("fallback");
    }

    @Test
    void aMissingTableIsAClearError() {
        PostgresKeywordSearch search = new PostgresKeywordSearch(dataSource, "no_such_table", "simple");
        assertThatThrownBy(() -> search.search(SearchRequest.ofText("b", "x", 1)))
                .hasMessageContaining("keyword search in no_such_table failed")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new PostgresKeywordSearch(dataSource, "kb; DROP TABLE x", "simple"))
                .hasMessage("table must be a plain lower-case identifier, but was kb; DROP TABLE x");
        assertThatThrownBy(() -> new PostgresKeywordSearch(dataSource, "kb", "english'"))
                .hasMessageStartingWith("language must be a text search configuration name");
    }

    @Test
    void dataSourceCheckRunsAValidationQuery() throws Exception {
        assertThat(new DataSourceHealthCheck(dataSource, Duration.ofSeconds(2)).check())
                .isEqualTo(HealthCheckResult.up());
        PGSimpleDataSource wrong = new PGSimpleDataSource();
        wrong.setURL(TestPostgres.url(DB));
        wrong.setUser(TestPostgres.user());
        wrong.setPassword("wrong-password");
        assertThatThrownBy(() -> new DataSourceHealthCheck(wrong).check()).hasMessageContaining("password");
    }
}
