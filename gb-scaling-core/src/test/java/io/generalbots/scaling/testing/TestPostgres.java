package io.generalbots.scaling.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL server the test script ({@code scripts/test}) starts, reached through the
 * environment it exports: {@code GB_TEST_PG_HOST}, {@code GB_TEST_PG_PORT}, {@code GB_TEST_PG_USER},
 * {@code GB_TEST_PG_PASSWORD}. The user is a superuser that may create databases. When the
 * variables are absent, every use fails loudly: integration tests are never skipped.
 */
public final class TestPostgres {

    private TestPostgres() {
    }

    /**
     * The host.
     *
     * @return the host
     */
    public static String host() {
        return require("GB_TEST_PG_HOST");
    }

    /**
     * The port.
     *
     * @return the port
     */
    public static int port() {
        return Integer.parseInt(require("GB_TEST_PG_PORT"));
    }

    /**
     * The user.
     *
     * @return the user name
     */
    public static String user() {
        return require("GB_TEST_PG_USER");
    }

    /**
     * The password.
     *
     * @return the password
     */
    public static String password() {
        return require("GB_TEST_PG_PASSWORD");
    }

    /**
     * A JDBC URL for a database on the test server.
     *
     * @param database the database name
     * @return {@code jdbc:postgresql://HOST:PORT/DATABASE}
     */
    public static String url(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * A new connection as the test user.
     *
     * @param database the database
     * @return the connection
     * @throws SQLException if it cannot connect
     */
    public static Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        props.setProperty("password", password());
        return DriverManager.getConnection(url(database), props);
    }

    /**
     * Drops (if present) and creates a database, for a test that needs a clean one.
     *
     * @param database a plain identifier
     */
    public static void recreateDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("test database name must be a plain identifier, but was " + database);
        }
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate test database " + database + ": " + e.getMessage(), e);
        }
    }

    private static String require(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: integration tests need the PostgreSQL server "
                    + "that the README's test command (scripts/test) starts");
        }
        return value;
    }
}
