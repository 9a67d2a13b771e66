/**
 * The {@code gb-scale} command (picocli): {@code check}, {@code route}, {@code rebalance},
 * {@code ratelimit}, {@code simulate} and {@code caddyfile}, the operator's face of the library
 * and the black-box contract its behaviour is checked against (exit codes: 0 ok, 1 a request could
 * not be served, 2 bad usage or bad config). Not a library API.
 */
package io.generalbots.cli;
