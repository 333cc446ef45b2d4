package io.sundial.query.sundialql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * parse(print(ast)) equals ast: over the real-world corpus, and over random ASTs of every node
 * kind (jqwik prints the seed of a failing run; replay it with {@code @Property(seed = "...")}).
 */
class RoundTripTest {
    static final String CORPUS = "/sundialql/influxql-corpus.txt";

    static List<String> corpus() throws IOException {
        try (InputStream input = RoundTripTest.class.getResourceAsStream(CORPUS)) {
            String text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
    }

    static Stream<String> corpusQueries() throws IOException {
        return corpus().stream();
    }

    @Test
    void corpusHasAtLeast150Queries() throws IOException {
        assertTrue(corpus().size() >= 150, "corpus has " + corpus().size() + " queries");
    }

    @ParameterizedTest
    @MethodSource("corpusQueries")
    void corpusQueryRoundTrips(String text) {
        Query parsed = Parser.parseQuery(text);
        String printed = Printer.print(parsed);
        assertEquals(parsed, Parser.parseQuery(printed), printed);
        assertEquals(printed, Printer.print(Parser.parseQuery(printed)), "canonical text is a fixed point");
    }

    @Property(tries = 2_000)
    void randomQueriesRoundTrip(@ForAll("queries") Query query) {
        String printed = Printer.print(query);
        Query reparsed = Parser.parseQuery(printed);
        assertEquals(query, reparsed, printed);
    }

    @Property(tries = 2_000)
    void randomExpressionsRoundTrip(@ForAll("expressions") Expr expression) {
        String printed = Printer.print(expression);
        assertEquals(expression, Parser.parseExpression(printed), printed);
    }

    @Provide
    Arbitrary<Query> queries() {
        return Arbitraries.randomValue(random -> new AstGenerator(random).query());
    }

    @Provide
    Arbitrary<Expr> expressions() {
        return Arbitraries.randomValue(random -> new AstGenerator(random).expression(6));
    }
}
