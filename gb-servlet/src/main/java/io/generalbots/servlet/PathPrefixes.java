package io.generalbots.servlet;

import java.util.List;

/** Paths and everything below them, matched on segment boundaries ({@code /api} covers {@code /api/x}, not {@code /apix}). */
final class PathPrefixes {

    private final String[] prefixes;

    PathPrefixes(List<String> prefixes) {
        this.prefixes = prefixes.stream()
                .map(p -> p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
                .toArray(String[]::new);
    }

    boolean matches(String path) {
        for (String p : prefixes) {
            if (p.equals("/") || path.equals(p) || (path.startsWith(p) && path.charAt(p.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return prefixes.length == 0;
    }
}
