/**
 * The bot's {@code config.csv}, read the way botserver reads it: {@link io.generalbots.scaling.config.BotConfig}
 * loads and validates a file (every problem at once, as {@code FILE:LINE: message}), the
 * {@link io.generalbots.scaling.config.ConfigKeyRegistry} knows every module's keys through
 * {@link io.generalbots.scaling.config.ConfigKeyProvider}s found with {@link java.util.ServiceLoader},
 * and {@link io.generalbots.scaling.config.ConfigReader} gives typed values to each module's
 * {@code *Settings.from(BotConfig)}.
 */
package io.generalbots.scaling.config;
