package io.generalbots.sharding.qdrant;

import java.util.Objects;
import java.util.regex.Pattern;

import io.generalbots.scaling.Checks;

/**
 * How bot ids and shard keys become Qdrant names. A bot's collection is {@code kb_BOTID} (the
 * seed's {@code format!("kb_{}", bot_id)}); bot ids and shard keys are validated first, so that no
 * id can name another bot's collection, a path, or something Qdrant would refuse.
 */
public final class CollectionNames {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String RULE = "1 to 64 letters, digits, '_' or '-', starting with a letter or digit";

    private CollectionNames() {
    }

    /**
     * The collection of a bot's knowledge base.
     *
     * @param botId the bot id
     * @return {@code kb_BOTID}
     * @throws IllegalArgumentException if the bot id is not 1 to 64 letters, digits, {@code _} or {@code -}, starting with a letter or digit
     */
    public static String forBot(String botId) {
        return "kb_" + requireBotId(botId);
    }

    /**
     * Validates a bot id.
     *
     * @param botId the bot id
     * @return the bot id
     * @throws IllegalArgumentException if it is not 1 to 64 letters, digits, {@code _} or {@code -}, starting with a letter or digit
     */
    public static String requireBotId(String botId) {
        Objects.requireNonNull(botId, "botId");
        Checks.require(ID.matcher(botId).matches(), "bot id", RULE, quote(botId));
        return botId;
    }

    /**
     * Validates a shard key (a tenant or region).
     *
     * @param shardKey the key
     * @return the key
     * @throws IllegalArgumentException if it is not 1 to 64 letters, digits, {@code _} or {@code -}, starting with a letter or digit
     */
    public static String requireShardKey(String shardKey) {
        Objects.requireNonNull(shardKey, "shardKey");
        Checks.require(ID.matcher(shardKey).matches(), "shard key", RULE, quote(shardKey));
        return shardKey;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().limit(80).forEach(c -> {
            if (c < ' ' || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(s.length() > 80 ? "...\"" : "\"").toString();
    }
}
