package com.example.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot WebFlux app the way a team writes one, that has never heard of routerctl: a
 * controller answers quotes through the team's reactive client of a callback feed
 * ({@link QuoteClient}), which loses the answer for a halted symbol. Run as a fat jar:
 * {@code java -jar quotes.jar --server.port=0}; prints {@code listening on PORT}.
 */
@SpringBootApplication
public class QuotesApplication {

    public static void main(String[] args) {
        SpringApplication.run(QuotesApplication.class, args);
    }

    @Bean
    QuoteClient quoteClient() {
        return new QuoteClient(java.util.Set.of("HALT"));
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> announcePort() {
        return event -> {
            System.out.println("listening on " + event.getWebServer().getPort());
            System.out.flush();
        };
    }
}
