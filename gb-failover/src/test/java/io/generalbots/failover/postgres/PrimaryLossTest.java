package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrimaryLossTest {

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "08003", "25006", "57P01", "57P02", "57P03"})
    void statesThatMeanThePrimaryIsGone(String state) {
        assertThat(PrimaryLoss.isPrimaryLost(new SQLException("x", state))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "42601", "40001", "57014", "22012"})
    void ordinarySqlErrorsAreNotFailovers(String state) {
        assertThat(PrimaryLoss.isPrimaryLost(new SQLException("x", state))).isFalse();
    }

    @Test
    void findsTheCauseDeepInTheChain() {
        SQLException wrapped = new SQLException("outer", null, new RuntimeException(new ConnectException("refused")));
        assertThat(PrimaryLoss.isPrimaryLost(wrapped)).isTrue();
        SQLException next = new SQLException("batch", "23505");
        next.setNextException(new SQLException("read only", "25006"));
        assertThat(PrimaryLoss.isPrimaryLost(next)).isTrue();
    }

    @Test
    void poolTimeoutCountsAndNullAndCyclesDoNotHang() {
        assertThat(PrimaryLoss.isPrimaryLost(new SQLTransientConnectionException("pool - not available"))).isTrue();
        assertThat(PrimaryLoss.isPrimaryLost(null)).isFalse();
        SQLException a = new SQLException("a", "23505");
        SQLException b = new SQLException("b", "23505", a);
        a.initCause(b);
        assertThat(PrimaryLoss.isPrimaryLost(a)).isFalse();
    }
}
