package io.generalbots.scaling.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a {@code config.csv} is invalid. It carries every error of the file, not only the
 * first, each with its line; {@link #getMessage()} lists them one per line as
 * {@code FILE:LINE: message}.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The problems; a plain ArrayList copy, so that the exception stays serializable. */
    private final transient List<ConfigProblem> problems;

    /**
     * Creates an exception for the given problems.
     *
     * @param problems the errors (and possibly warnings) found; at least one
     */
    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems of the file, in line order.
     *
     * @return an unmodifiable list with at least one error
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
