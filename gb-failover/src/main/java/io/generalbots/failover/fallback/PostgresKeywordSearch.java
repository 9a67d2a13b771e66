package io.generalbots.failover.fallback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;

/**
 * Keyword search in PostgreSQL full text: documents in a table with a bot id, a document id and
 * the text; a query is parsed with {@code websearch_to_tsquery} (quotes, {@code or}, {@code -word}
 * as users type them) and hits are ranked with {@code ts_rank_cd}, best first, ties by id.
 *
 * <pre>{@code
 * SELECT id, content, ts_rank_cd(to_tsvector(cfg, content), q) AS rank
 *   FROM kb_documents, websearch_to_tsquery(cfg, ?) q
 *  WHERE bot_id = ? AND to_tsvector(cfg, content) @@ q
 *  ORDER BY rank DESC, id LIMIT ?
 * }</pre>
 *
 * {@link #createTable()} creates the table and a GIN index on the same expression, so the search
 * uses the index. Table and column names are checked to be plain identifiers; the text-search
 * configuration (default {@code simple}: no stemming, any language) is passed as a parameter.
 */
public final class PostgresKeywordSearch implements KnowledgeSearch {

    private final DataSource dataSource;
    private final String table;
    private final String language;
    private final String query;

    /**
     * Search over {@code kb_documents(bot_id, id, content)} with the {@code simple} configuration.
     *
     * @param dataSource the database
     */
    public PostgresKeywordSearch(DataSource dataSource) {
        this(dataSource, "kb_documents", "simple");
    }

    /**
     * Search over a table {@code (bot_id, id, content)} with a text-search configuration.
     *
     * @param dataSource the database
     * @param table      the table, a plain identifier (optionally schema-qualified)
     * @param language   the text-search configuration, e.g. {@code simple}, {@code english}, {@code portuguese}
     */
    public PostgresKeywordSearch(DataSource dataSource, String table, String language) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Checks.require(table != null && table.matches("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}"), "table",
                "a plain lower-case identifier", table);
        Checks.require(language != null && language.matches("[a-z_][a-z0-9_]{0,62}"), "language",
                "a text search configuration name such as simple or english", language);
        this.table = table;
        this.language = language;
        this.query = "SELECT id, content, ts_rank_cd(to_tsvector(?::regconfig, content), q) AS rank FROM " + table
                + ", websearch_to_tsquery(?::regconfig, ?) q WHERE bot_id = ? AND to_tsvector(?::regconfig, content) @@ q"
                + " ORDER BY rank DESC, id LIMIT ?";
    }

    /**
     * Creates the table and its full-text index when missing.
     *
     * @throws SQLException when the database refuses
     */
    public void createTable() throws SQLException {
        String indexName = table.replace('.', '_') + "_fts";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table
                    + " (bot_id text NOT NULL, id text NOT NULL, content text NOT NULL, PRIMARY KEY (bot_id, id))");
            s.execute("CREATE INDEX IF NOT EXISTS " + indexName + " ON " + table + " USING gin (to_tsvector('"
                    + language + "'::regconfig, content))");
        }
    }

    /**
     * Adds or replaces a document.
     *
     * @param botId the bot
     * @param id    the document id
     * @param text  the text
     * @throws SQLException when the database refuses
     */
    public void add(String botId, String id, String text) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (bot_id, id, content) VALUES (?, ?, ?) ON CONFLICT (bot_id, id) DO UPDATE SET content = EXCLUDED.content")) {
            ps.setString(1, botId);
            ps.setString(2, id);
            ps.setString(3, text);
            ps.executeUpdate();
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, language);
            ps.setString(2, language);
            ps.setString(3, request.text());
            ps.setString(4, request.botId());
            ps.setString(5, language);
            ps.setInt(6, request.limit());
            List<SearchHit> hits = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new SearchHit(rs.getString(1), rs.getDouble(3), rs.getString(2), Map.of()));
                }
            }
            return hits;
        } catch (SQLException e) {
            throw new IllegalStateException("keyword search in " + table + " failed: " + e.getMessage(), e);
        }
    }
}
