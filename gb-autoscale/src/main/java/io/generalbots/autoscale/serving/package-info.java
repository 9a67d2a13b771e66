/**
 * The instance side of auto-scaling, what a botserver links in so that it can be scaled:
 * {@link io.generalbots.autoscale.serving.BotInstance} meters the requests it serves
 * (requests per minute, average and p95 response time, in flight, queue depth) for the health
 * report the scaler reads, and drains on the scaler's word through a control endpoint that only
 * loopback callers or holders of {@code scale-control-token} may use. Free of any HTTP framework;
 * the JDK {@code HttpServer} adapter is in {@code io.generalbots.autoscale.serving.jdk}.
 */
package io.generalbots.autoscale.serving;
