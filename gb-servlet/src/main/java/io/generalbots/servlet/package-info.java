/**
 * Jakarta Servlet (6.0+) integration of gb-scaling: {@link io.generalbots.servlet.RateLimitServletFilter}
 * (the same decisions, header fields and 429 problem details as the JDK filter),
 * {@link io.generalbots.servlet.HealthServlet} ({@code /api/health}, {@code /ready}, {@code /live}) and
 * {@link io.generalbots.servlet.ServletClientRequest}, the adapter to gb-ratelimit's client keys.
 */
package io.generalbots.servlet;
