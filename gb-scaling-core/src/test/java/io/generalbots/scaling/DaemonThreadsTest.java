package io.generalbots.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void namedThreadsAreDaemonsWithTheOneName() {
        Thread t = DaemonThreads.named("gb-test-x").newThread(() -> { });
        assertThat(t.getName()).isEqualTo("gb-test-x");
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void numberedThreadsCountFromOne() {
        ThreadFactory f = DaemonThreads.numbered("gb-test-");
        Thread a = f.newThread(() -> { });
        Thread b = f.newThread(() -> { });
        assertThat(a.getName()).isEqualTo("gb-test-1");
        assertThat(b.getName()).isEqualTo("gb-test-2");
        assertThat(b.isDaemon()).isTrue();
    }
}
