package io.generalbots.examples;

/**
 * One module's part of the demo: it installs routes, filters or chat decorators before the server
 * starts, and adds steps to the tour that runs once the server is up. Register it in
 * {@link DemoFeatures#all()}.
 */
public interface DemoFeature extends AutoCloseable {

    /**
     * A short name, printed in the tour.
     *
     * @return the name
     */
    String name();

    /**
     * Called once before the server starts.
     *
     * @param demo the demo being assembled
     * @throws Exception if the feature cannot be set up; the demo stops with the message
     */
    void install(DemoContext demo) throws Exception;

    /**
     * Called once the server is up: send requests, print what happened.
     *
     * @param tour the tour
     * @throws Exception if a step fails; the demo stops with the message
     */
    default void tour(DemoTour tour) throws Exception {
    }

    /** Releases what {@link #install} started. */
    @Override
    default void close() {
    }
}
