package io.generalbots.autoscale;

import java.time.Duration;

import io.generalbots.scaling.OptionalDependency;
import io.generalbots.scaling.Ticker;

/**
 * Decides which of the botserver instances runs the scaling loop: every instance links the
 * library in and builds an {@link AutoScaler}, but only the leader acts.
 *
 * <p>The scaler calls {@link #tryLead()} at the start of every check and {@link #stillLeads()}
 * right before every action; a leader that lost its lock (its connection died, its lease was not
 * renewed in time) stops acting at once. Each leadership term has a {@linkplain #fencingToken()
 * fencing token} larger than every earlier term's, logged with every action and carried by every
 * event, so that a store able to check it can refuse a stale leader.
 */
public interface LeaderElection extends AutoCloseable {

    /**
     * Acquires leadership, or renews it if held.
     *
     * @return true if this instance leads now
     */
    boolean tryLead();

    /**
     * A cheap check, right before acting, that the leadership is still held.
     *
     * @return true if it is
     */
    boolean stillLeads();

    /**
     * The current term's fencing token (increasing across terms), or 0 when not leading.
     *
     * @return the token
     */
    long fencingToken();

    /** Gives leadership up and releases the connection. */
    @Override
    void close();

    /**
     * No election: this instance always leads. What {@code scale-leader-election,single} gives:
     * for a cluster where only this instance runs a scaler.
     *
     * @return the election
     */
    static LeaderElection alone() {
        return new LeaderElection() {
            @Override
            public boolean tryLead() {
                return true;
            }

            @Override
            public boolean stillLeads() {
                return true;
            }

            @Override
            public long fencingToken() {
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The election the settings ask for: {@link #alone()} for {@code single}; for {@code none} an
     * election that never leads, with which an enabled {@link AutoScaler} refuses to start. The
     * PostgreSQL JDBC driver or Lettuce must be on the class path for {@code postgres} or
     * {@code redis}; neither is loaded otherwise, and a missing one is an
     * {@link IllegalStateException} naming the artifact to add.
     *
     * @param settings the {@code scale-leader-*} settings
     * @param nodeId   this instance's name, e.g. its host name
     * @param ticker   the time source (the Redis lease's local deadline)
     * @return the election
     */
    static LeaderElection of(LeaderSettings settings, String nodeId, Ticker ticker) {
        switch (settings.kind()) {
            case POSTGRES:
                OptionalDependency.POSTGRESQL.require("scale-leader-election,postgres");
                return new PostgresLeaderElection(settings.url(), settings.key(), nodeId);
            case REDIS:
                // before RedisLeaderElection is loaded: without Lettuce that would be a NoClassDefFoundError
                OptionalDependency.LETTUCE.require("scale-leader-election,redis");
                return RedisLeaderElection.of(settings.url(), settings.key(), nodeId, settings.lease(), ticker);
            case SINGLE:
                return alone();
            default:
                return NotElected.INSTANCE;
        }
    }

    /**
     * How long after a leader's death another instance takes over at most, given the check
     * interval: the lease (Redis) or nothing (PostgreSQL frees the lock with the session), plus
     * one check.
     *
     * @param settings      the election settings
     * @param checkInterval {@code scale-check-interval}
     * @return the bound
     */
    static Duration takeoverBound(LeaderSettings settings, Duration checkInterval) {
        return settings.kind() == LeaderSettings.Kind.REDIS ? settings.lease().plus(checkInterval) : checkInterval;
    }
}
