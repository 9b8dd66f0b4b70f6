package io.pagenow.bench.jmh;

import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.SendMessage;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.RestRequest;
import io.pagenow.protocol.RestResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /conversations} through the protocol's {@code RestApi} on the in-memory stores, for a
 * user with as many conversations as the rest scenario's full size gives one (about 52): the
 * answer to a client polling an unchanged list, and the answer right after a message arrived in
 * one of its conversations (the send included; {@link #sendAlone} is that part alone). The token
 * is the user id: what is measured is the list, not the signature check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ConversationListBenchmark {

    private static final String CONTENT = "#1 lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid";

    /** Conversations in the user's list, each with a message from the other participant. */
    @Param({"52"})
    public int conversations;

    private InMemoryServer server;
    private RestApi rest;
    private RestRequest list;
    private UUID busy;
    private long next;

    /** A fresh server every iteration: the store keeps every message sent, as the server's does. */
    @Setup(Level.Iteration)
    public void setUp() {
        server = new InMemoryServer(InMemoryServer.ring(conversations + 1, 2));
        rest = new RestApi(server.chat, server.presence, authorization -> authorization);
        for (int i = 1; i <= conversations; i++) {
            UUID id = server.chat.createConversation("u0", new CreateConversation(List.of("u" + i), false, null)).id();
            server.chat.send("u" + i, new SendMessage("s-" + i, id, CONTENT));
            if (i == 1) {
                busy = id;
            }
        }
        list = new RestRequest("GET", "/conversations", Map.of(), "u0", null);
    }

    /** A client polling a list nothing changed in. */
    @Benchmark
    public String unchangedList() {
        return body(rest.handle(list));
    }

    /** A message arrives in one of the user's conversations, then the user asks for the list. */
    @Benchmark
    public String listAfterAMessage() {
        server.chat.send("u1", new SendMessage("b-" + next++, busy, CONTENT));
        return body(rest.handle(list));
    }

    /** The send of {@link #listAfterAMessage} alone, to tell the list's part. */
    @Benchmark
    public Object sendAlone() {
        return server.chat.send("u1", new SendMessage("b-" + next++, busy, CONTENT));
    }

    private String body(RestResponse response) {
        if (response.status() != 200) {
            throw new IllegalStateException("GET /conversations answered " + response.status() + ": " + response.body());
        }
        return response.body();
    }
}
