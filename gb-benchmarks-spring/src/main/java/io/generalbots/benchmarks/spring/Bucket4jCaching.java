package io.generalbots.benchmarks.spring;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Bucket4j's starter keeps its buckets in a JCache cache, which Spring Boot sets up only with caching
 * enabled: done for the {@code bucket4j} build alone.
 */
@Configuration(proxyBeanMethods = false)
@Profile("bucket4j")
@EnableCaching
public class Bucket4jCaching {
}
