package io.generalbots.sharding;

import java.util.Objects;

/**
 * The progress of a {@link RowMover}, for logs, dashboards and tests ({@link RowMover#addListener}).
 * Every event names the table and the source shard; the records are the cases (Java 17: tell them
 * apart with {@code instanceof}).
 */
public sealed interface RowMoverEvent {

    /**
     * The table being moved, as given to the mover.
     *
     * @return the table
     */
    String table();

    /**
     * The source shard.
     *
     * @return its name
     */
    String from();

    /**
     * A batch was copied to its targets and verified there; it is deleted at the source next.
     *
     * @param table  the table
     * @param from   the source shard
     * @param batch  the batch number, from 1
     * @param copied rows of this batch copied away (0 when all of it stays)
     */
    record BatchCopied(String table, String from, int batch, int copied) implements RowMoverEvent {
        /**
         * Creates the event.
         *
         * @param table  the table
         * @param from   the source shard
         * @param batch  the batch number
         * @param copied rows copied
         */
        public BatchCopied {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * A move finished: every batch of the source was read and its moving rows deleted there.
     *
     * @param table  the table
     * @param result what was moved
     */
    record MoveCompleted(String table, RowMover.Result result) implements RowMoverEvent {
        /**
         * Creates the event.
         *
         * @param table  the table
         * @param result what was moved
         */
        public MoveCompleted {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(result, "result");
        }

        @Override
        public String from() {
            return result.from();
        }
    }
}
