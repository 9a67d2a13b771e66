package io.generalbots.autoscale;

/**
 * The election of {@code scale-leader-election,none} and the default of {@link AutoScaler}'s
 * builder: never leads. An enabled scaler refuses to be built with it ({@link LeaderSettings#NOT_ELECTED}).
 */
final class NotElected implements LeaderElection {

    static final NotElected INSTANCE = new NotElected();

    private NotElected() {
    }

    @Override
    public boolean tryLead() {
        return false;
    }

    @Override
    public boolean stillLeads() {
        return false;
    }

    @Override
    public long fencingToken() {
        return 0;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "no leader election";
    }
}
