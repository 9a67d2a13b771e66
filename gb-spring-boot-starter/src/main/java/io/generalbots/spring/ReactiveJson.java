package io.generalbots.spring;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;

import reactor.core.publisher.Mono;

/** Writes the WebFlux filters' own small JSON answers (health, drain, control), as the servlet side does. */
final class ReactiveJson {

    private ReactiveJson() {
    }

    /**
     * Answers with a JSON body.
     *
     * @param response the response
     * @param status   the status
     * @param body     JSON text
     * @param head     whether to send the headers only (a HEAD request)
     * @return completion of the write
     */
    static Mono<Void> send(ServerHttpResponse response, int status, String body, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(bytes.length);
        return head ? response.setComplete() : response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
