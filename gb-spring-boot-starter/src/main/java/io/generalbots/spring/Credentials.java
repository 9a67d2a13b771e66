package io.generalbots.spring;

import org.springframework.core.env.Environment;

/** The database user and password: {@code gb.scaling.database.*}, else {@code spring.datasource.*}. */
final class Credentials {

    private Credentials() {
    }

    static String user(GbScalingProperties properties, Environment environment) {
        String u = properties.getDatabase().getUsername();
        return u != null ? u : environment.getProperty("spring.datasource.username");
    }

    static String password(GbScalingProperties properties, Environment environment) {
        String p = properties.getDatabase().getPassword();
        return p != null ? p : environment.getProperty("spring.datasource.password");
    }
}
