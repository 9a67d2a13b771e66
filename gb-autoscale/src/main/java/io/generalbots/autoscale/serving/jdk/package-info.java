/**
 * The JDK {@code com.sun.net.httpserver.HttpServer} adapter of
 * {@link io.generalbots.autoscale.serving.BotInstance}: a filter that meters and drains the
 * application's contexts, the control endpoint and a health endpoint.
 */
package io.generalbots.autoscale.serving.jdk;
