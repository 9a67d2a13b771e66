package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.generalbots.autoscale.DecisionRules.Action;
import io.generalbots.autoscale.DecisionRules.Decision;
import io.generalbots.autoscale.DecisionRules.Last;
import org.junit.jupiter.api.Test;

class DecisionRulesTest {

    private static final long SECOND = 1_000_000_000L;
    /** Cooldown 300 s, stabilization 600 s. */
    private final DecisionRules rules = new DecisionRules(300 * SECOND, 600 * SECOND);

    @Test
    void scaleUpActsAtOnceToTheRecommendation() {
        rules.startedLeading(0);
        assertThat(rules.decide(0, 2, 4)).isEqualTo(new Decision(Action.UP, 4, null));
    }

    @Test
    void aScaleUpWithinTheCooldownOfAScaleUpGoesOn() {
        rules.startedLeading(0);
        rules.acted(Last.UP, 0);
        assertThat(rules.decide(10 * SECOND, 4, 6)).isEqualTo(new Decision(Action.UP, 6, null));
    }

    @Test
    void aScaleUpWaitsForTheCooldownOfAScaleDownOrAFailedLaunch() {
        rules.startedLeading(0);
        rules.acted(Last.DOWN, 0);
        assertThat(rules.decide(299 * SECOND, 2, 4))
                .isEqualTo(new Decision(Action.HOLD, 2, "cools down after a scale-down"));
        assertThat(rules.decide(300 * SECOND, 2, 4)).isEqualTo(new Decision(Action.UP, 4, null));

        rules.acted(Last.FAILED, 400 * SECOND);
        assertThat(rules.decide(500 * SECOND, 2, 4))
                .isEqualTo(new Decision(Action.HOLD, 2, "cools down after a failed launch"));
        assertThat(rules.last()).isEqualTo(Last.FAILED);
    }

    @Test
    void aNewLeaderFillsTheStabilizationWindowBeforeScalingDown() {
        rules.startedLeading(0);
        assertThat(rules.decide(0, 4, 2)).isEqualTo(new Decision(Action.HOLD, 4, "stabilization window filling"));
        assertThat(rules.decide(599 * SECOND, 4, 2))
                .isEqualTo(new Decision(Action.HOLD, 4, "stabilization window filling"));
        assertThat(rules.decide(600 * SECOND, 4, 2)).isEqualTo(new Decision(Action.DOWN, 2, null));
    }

    @Test
    void scaleDownGoesToTheHighestRecommendationOfTheWindow() {
        rules.startedLeading(0);
        rules.decide(0, 4, 3);
        rules.decide(300 * SECOND, 4, 1);
        assertThat(rules.decide(600 * SECOND, 4, 1)).isEqualTo(new Decision(Action.DOWN, 3, null));
        // the 3 of 0 s has left the window
        assertThat(rules.decide(601 * SECOND, 4, 1)).isEqualTo(new Decision(Action.DOWN, 1, null));
    }

    @Test
    void aHighRecommendationInTheWindowHolds() {
        rules.startedLeading(0);
        rules.decide(0, 4, 4);
        assertThat(rules.decide(600 * SECOND, 4, 2))
                .isEqualTo(new Decision(Action.HOLD, 4, "highest recommendation of the window is 4"));
    }

    @Test
    void scaleDownWaitsForTheCooldownSinceAnyAction() {
        rules.startedLeading(0);
        rules.acted(Last.UP, 500 * SECOND);
        assertThat(rules.decide(700 * SECOND, 4, 2)).isEqualTo(new Decision(Action.HOLD, 4, "cooldown"));
        assertThat(rules.decide(1300 * SECOND, 4, 2)).isEqualTo(new Decision(Action.DOWN, 2, null));
    }

    @Test
    void losingTheLeadEmptiesTheWindow() {
        rules.startedLeading(0);
        rules.decide(0, 4, 4);
        rules.notLeading();
        // the 4 of 0 s is forgotten: only the new recommendation counts
        assertThat(rules.decide(600 * SECOND, 4, 2)).isEqualTo(new Decision(Action.DOWN, 2, null));
    }

    @Test
    void theSameCountHoldsWithNothingToSay() {
        rules.startedLeading(0);
        assertThat(rules.decide(0, 3, 3)).isEqualTo(new Decision(Action.HOLD, 3, null));
    }
}
