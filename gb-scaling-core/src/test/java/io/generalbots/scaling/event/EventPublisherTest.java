package io.generalbots.scaling.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.generalbots.scaling.testing.CapturedLog;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    /** A listener whose {@code toString} the log line shows. */
    private static final class Throwing implements EventListener<String> {
        @Override
        public void onEvent(String event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public String toString() {
            return "Throwing";
        }
    }

    @Test
    void everyListenerHearsEveryEventInTheOrderTheyWereAdded() {
        EventPublisher<String> events = EventPublisher.of("balancer 'api'");
        List<String> heard = new ArrayList<>();
        events.addListener(e -> heard.add("first " + e));
        events.addListener(e -> heard.add("second " + e));
        events.publish("a");
        events.publish("b");
        assertThat(heard).containsExactly("first a", "second a", "first b", "second b");
    }

    @Test
    void aThrowingListenerIsLoggedWithTheComponentAndTheOthersStillHearTheEvent() {
        EventPublisher<String> events = EventPublisher.of("balancer 'api'");
        List<String> heard = new ArrayList<>();
        events.addListener(heard::add);
        events.addListener(new Throwing());
        events.addListener(e -> heard.add("after " + e));
        try (CapturedLog log = CapturedLog.open()) {
            events.publish("UpstreamAdded[a:1]");
            assertThat(log.linesContaining("WARN")).singleElement().asString()
                    .endsWith("io.generalbots.scaling.event.EventPublisher - balancer 'api': listener Throwing "
                            + "failed on UpstreamAdded[a:1]");
            assertThat(log.lines()).contains("java.lang.IllegalStateException: listener bug");
        }
        assertThat(heard).containsExactly("UpstreamAdded[a:1]", "after UpstreamAdded[a:1]");
    }

    @Test
    void aCheckedExceptionThrownSneakilyIsCaughtToo() {
        EventPublisher<String> events = EventPublisher.of("c");
        List<String> heard = new ArrayList<>();
        events.addListener(e -> sneaky(new java.io.IOException("disk full")));
        events.addListener(heard::add);
        events.publish("x");
        assertThat(heard).containsExactly("x");
    }

    @Test
    void anErrorIsNotSwallowed() {
        EventPublisher<String> events = EventPublisher.of("c");
        events.addListener(e -> {
            throw new AssertionError("a test's failed assertion");
        });
        assertThatThrownBy(() -> events.publish("x")).isInstanceOf(AssertionError.class);
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        EventPublisher<String> events = EventPublisher.of("c");
        List<String> heard = new ArrayList<>();
        EventListener<String> listener = heard::add;
        assertThat(events.hasListeners()).isFalse();
        events.addListener(listener);
        assertThat(events.hasListeners()).isTrue();
        events.publish("before");
        assertThat(events.removeListener(listener)).isTrue();
        assertThat(events.removeListener(listener)).isFalse();
        events.publish("after");
        assertThat(heard).containsExactly("before");
        assertThat(events.hasListeners()).isFalse();
    }

    @Test
    void aListenerOfASupertypeListens() {
        EventPublisher<Integer> events = EventPublisher.of("c");
        List<Object> heard = new ArrayList<>();
        EventListener<Object> any = heard::add;
        events.addListener(any);
        events.publish(7);
        assertThat(heard).containsExactly(7);
        assertThat(events.component()).isEqualTo("c");
        assertThat(events).hasToString("EventPublisher[c, 1 listeners]");
    }

    @Test
    void nullsAreRefusedWithTheirName() {
        EventPublisher<String> events = EventPublisher.of("c");
        assertThatThrownBy(() -> events.addListener(null)).hasMessage("listener");
        assertThatThrownBy(() -> events.publish(null)).hasMessage("event");
        assertThatThrownBy(() -> EventPublisher.of(null)).hasMessage("component");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
