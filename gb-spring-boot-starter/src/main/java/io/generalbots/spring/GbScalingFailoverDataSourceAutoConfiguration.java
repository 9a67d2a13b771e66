package io.generalbots.spring;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.generalbots.failover.postgres.FailoverDataSource;
import io.generalbots.failover.postgres.PostgresFailoverConfig;
import io.generalbots.failover.postgres.PostgresFailoverSettings;
import io.generalbots.scaling.config.BotConfig;

/**
 * The application's {@code DataSource} becomes gb-failover's {@link FailoverDataSource} when the bot's
 * configuration sets {@code shard-primary-hosts}: it always writes to the current PostgreSQL primary
 * (Patroni or pgjdbc multi-host discovery) and recovers by itself after a failover. It runs before
 * Boot's DataSource auto-configuration, which then backs off; it backs off itself when the
 * application defines a {@code DataSource}. Database name and credentials: {@code gb.scaling.database.*},
 * else {@code spring.datasource.username/password}.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnProperty(prefix = "gb.scaling", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnClass(name = {"com.zaxxer.hikari.HikariDataSource", "org.postgresql.Driver"})
@ConditionalOnBotConfigKey("shard-primary-hosts")
public class GbScalingFailoverDataSourceAutoConfiguration {

    /** Creates the configuration. */
    public GbScalingFailoverDataSourceAutoConfiguration() {
    }

    /**
     * The failover data source.
     *
     * @param config      the configuration
     * @param properties  the properties
     * @param environment the environment
     * @return the data source
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    public FailoverDataSource gbFailoverDataSource(BotConfig config, GbScalingProperties properties,
                                                   Environment environment) {
        PostgresFailoverConfig.Builder b = PostgresFailoverConfig.custom()
                .settings(PostgresFailoverSettings.from(config))
                .database(properties.getDatabase().getName());
        String user = Credentials.user(properties, environment);
        if (user != null) {
            b.credentials(user, Credentials.password(properties, environment));
        }
        return FailoverDataSource.of(b.build());
    }
}
