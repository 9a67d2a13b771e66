package io.generalbots.scaling.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The declaration of one {@code config.csv} key: its name, the kind of value it takes, its
 * default and a one-line description. Modules declare their keys through a
 * {@link ConfigKeyProvider}; the {@link ConfigKeyRegistry} collects them.
 *
 * <p>A name ending in {@code *} declares a family of keys, e.g. {@code rate-limit-api-*} for
 * {@code rate-limit-api-chat}, {@code rate-limit-api-auth}, &hellip;; such keys have no default.
 */
public final class ConfigKey {

    private final String name;
    private final String type;
    private final String defaultValue;
    private final String description;

    private ConfigKey(String name, String type, String defaultValue, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        if (name.isBlank() || !name.equals(name.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("key name must be lower-case and trimmed, but was \"" + name + "\"");
        }
        if (isPattern() && defaultValue != null) {
            throw new IllegalArgumentException("a key family has no default, but " + name + " has \"" + defaultValue + "\"");
        }
    }

    /**
     * Declares a key with a default value.
     *
     * @param name         the key, e.g. {@code scale-min-instances}
     * @param type         what the value must be, as a user reads it, e.g. {@code integer 1..1000}
     * @param defaultValue the default, in the same text form as in the file
     * @param description  one line saying what the key does
     * @return the declaration
     */
    public static ConfigKey of(String name, String type, String defaultValue, String description) {
        return new ConfigKey(name, type, Objects.requireNonNull(defaultValue, "defaultValue"), description);
    }

    /**
     * Declares a key without a default: the feature it configures is off or unset until given.
     *
     * @param name        the key, or a family such as {@code shard-geo-*}
     * @param type        what the value must be
     * @param description one line saying what the key does
     * @return the declaration
     */
    public static ConfigKey optional(String name, String type, String description) {
        return new ConfigKey(name, type, null, description);
    }

    /**
     * The key, or the family pattern ending in {@code *}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * What the value must be, as a user reads it.
     *
     * @return the type description
     */
    public String type() {
        return type;
    }

    /**
     * The default value in its text form, if the key has one.
     *
     * @return the default
     */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * One line saying what the key does.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Whether this declares a family of keys ({@code name*}).
     *
     * @return true for a family
     */
    public boolean isPattern() {
        return name.endsWith("*");
    }

    /**
     * Whether the given key is this one or, for a family, one of its members.
     *
     * @param key a key from a file
     * @return true if this declaration covers it
     */
    public boolean matches(String key) {
        if (isPattern()) {
            String prefix = name.substring(0, name.length() - 1);
            return key.length() > prefix.length() && key.startsWith(prefix);
        }
        return name.equals(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigKey other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + type + (defaultValue == null ? "" : ", default " + defaultValue) + ")";
    }
}
