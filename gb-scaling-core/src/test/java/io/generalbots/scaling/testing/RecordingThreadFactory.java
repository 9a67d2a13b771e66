package io.generalbots.scaling.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * A host's {@link ThreadFactory} for the tests of API.md's thread rules: it makes daemon threads
 * named {@code PREFIX-0}, {@code PREFIX-1}, … and remembers each, so that a test can check which
 * threads a component asked for, that its work ran on them, and that {@code close()} ended them.
 * Thread-safe.
 */
public final class RecordingThreadFactory implements ThreadFactory {

    private final String prefix;
    private final List<Thread> made = new CopyOnWriteArrayList<>();

    /**
     * A factory whose threads are named {@code prefix-N}.
     *
     * @param prefix the name prefix
     */
    public RecordingThreadFactory(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + "-" + made.size());
        t.setDaemon(true);
        made.add(t);
        return t;
    }

    /**
     * The threads made so far, in order (a live view).
     *
     * @return the threads
     */
    public List<Thread> made() {
        return made;
    }
}
