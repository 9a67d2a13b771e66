package io.generalbots.examples;

import java.util.Map;

import io.generalbots.sharding.ShardRouter;
import io.generalbots.sharding.ShardSettings;
import io.generalbots.sharding.ShardStrategy;

/**
 * gb-sharding in the demo: every chat message is routed by its user id ({@code shard-key}) with the
 * bot's {@code shard-*} settings, and the reply says which shard would hold the conversation
 * (with {@code shard-strategy,hash}, {@code shard-count,4}, user 12345 goes to {@code shard-1}).
 * A user id that cannot be routed (e.g. outside every range) gets a 503 naming it. The demo opens
 * no database: with real shards, {@code ShardedDataSource.getConnection(user)} gives the connection.
 */
final class ShardingFeature implements DemoFeature {

    private ShardRouter router;

    @Override
    public String name() {
        return "shard routing";
    }

    @Override
    public void install(DemoContext demo) {
        ShardSettings settings = ShardSettings.from(demo.config());
        if (settings.strategy() == ShardStrategy.NONE) {
            return;
        }
        router = ShardRouter.of(settings);
        demo.decorateChat(inner -> (user, message) -> "[" + router.route(user) + "] " + inner.reply(user, message));
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        if (router == null) {
            tour.say("shard routing: off (shard-strategy is not set)");
            return;
        }
        tour.say("shard routing (" + router + "): chat messages carry the shard of their user");
        for (String user : new String[] {"12345", "12346", "alice"}) {
            tour.show("POST", "/api/chat (X-User: " + user + ")", tour.post("/api/chat", "hi", Map.of("X-User", user)));
        }
    }
}
