package io.generalbots.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class PathPrefixesTest {

    @Test
    void aPrefixCoversItselfAndWhatIsBelowItOnSegmentBoundaries() {
        PathPrefixes p = PathPrefixes.of(List.of("/api/health", "/actuator/"));
        assertThat(p.matches("/api/health")).isTrue();
        assertThat(p.matches("/api/health/live")).isTrue();
        assertThat(p.matches("/actuator")).isTrue();
        assertThat(p.matches("/actuator/prometheus")).isTrue();
        assertThat(p.matches("/api/healthz")).isFalse();
        assertThat(p.matches("/api")).isFalse();
        assertThat(p.matches("/")).isFalse();
    }

    @Test
    void rootCoversEverythingAndNoPrefixesCoverNothing() {
        assertThat(PathPrefixes.of(List.of("/")).matches("/anything/at/all")).isTrue();
        PathPrefixes none = PathPrefixes.of(List.of());
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.matches("/")).isFalse();
    }

    @Test
    void aPrefixWithoutALeadingSlashIsRefusedWithItsValue() {
        assertThatThrownBy(() -> PathPrefixes.of(List.of("/ok", "actuator")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path prefix must be a path starting with /, but was actuator");
        assertThatThrownBy(() -> PathPrefixes.of(Arrays.asList("/ok", null)))
                .hasMessage("path prefix must be a path starting with /, but was null");
    }
}
