package io.generalbots.failover.postgres;

import java.sql.SQLException;
import java.util.function.Consumer;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * The pool's exception override: connections that saw the primary go are evicted, and the write
 * pool starts recovery. In a class of its own so that {@link FailoverDataSource} can be loaded
 * (and say which artifact is missing) without HikariCP on the class path.
 */
final class PrimaryLossOverride {

    private PrimaryLossOverride() {
    }

    static SQLExceptionOverride of(boolean readOnly, Consumer<SQLException> primaryLost) {
        return new SQLExceptionOverride() {
            @java.lang.Override
            public Override adjudicate(SQLException e) {
                if (!PrimaryLoss.isPrimaryLost(e)) {
                    return Override.CONTINUE_EVICT;
                }
                if (!readOnly) {
                    primaryLost.accept(e);
                }
                return Override.MUST_EVICT;
            }
        };
    }
}
