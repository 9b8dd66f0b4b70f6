package io.pagenow.bench.jmh;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.TokenBucket;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A chat message's way through the server: decode the {@code send-message} frame, dispatch it
 * (participant check, store, sequence number), encode {@code new-message} once, fan it out to
 * every participant's connection. Each step alone, and the whole frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MessagePathBenchmark {

    /** The same parser settings as the protocol module's (strict duplicates, no trailing tokens). */
    private static final ObjectMapper FRAME_PARSER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String CONTENT = "#1 lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid";

    /** Participants of the conversation, each with one chat connection. */
    @Param({"2", "5"})
    public int members;

    private InMemoryServer server;
    private Connection sender;
    private TokenBucket bucket;
    private UUID conversationId;
    private List<String> participants;
    private Event.NewMessage event;
    private String framePrefix;
    private String sampleFrame;
    private long next;

    /** A fresh server every iteration: the store keeps every message sent, as the server's does. */
    @Setup(Level.Iteration)
    public void setUp() {
        server = new InMemoryServer(InMemoryServer.ring(Math.max(members + 1, 8), 2));
        participants = InMemoryServer.users(members);
        List<Connection> connections = new ArrayList<>();
        for (String user : participants) {
            connections.add(server.open(user, Channel.CHAT));
        }
        sender = connections.get(0);
        Conversation conversation = server.chat.createConversation(participants.get(0),
                new CreateConversation(participants.subList(1, members), members > 2, members > 2 ? "group" : ""));
        conversationId = conversation.id();
        bucket = server.bucket();
        event = new Event.NewMessage(UUID.randomUUID(), "t-1", conversationId, participants.get(0), CONTENT,
                Instant.parse("2026-11-23T10:15:30.123Z"));
        framePrefix = "{\"action\":\"send-message\",\"conversationId\":\"" + conversationId + "\",\"content\":\""
                + CONTENT + "\",\"tempMessageId\":\"t-";
        sampleFrame = framePrefix + "0\"}";
    }

    @Benchmark
    public JsonNode decodeFrame() throws Exception {
        return FRAME_PARSER.readTree(sampleFrame);
    }

    @Benchmark
    public String encodeNewMessage() {
        return EventJson.encode(event);
    }

    @Benchmark
    public long fanOutNewMessage() {
        server.deliveries.toUsers(participants, event);
        return server.push.frames;
    }

    /** The use case alone: participant check, store with the next sequence number, fan-out. */
    @Benchmark
    public Object dispatchSend() {
        return server.chat.send(sender.userId(), new io.pagenow.core.chat.SendMessage("d-" + next++, conversationId, CONTENT));
    }

    /** Everything the server does for one frame short of the socket: flood control, decode, dispatch, encode, fan-out. */
    @Benchmark
    public Optional<String> sendMessageFrame() {
        FrameOutcome outcome = server.sockets.handle(sender, framePrefix + next++ + "\"}", bucket);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("send-message failed: " + outcome.reply().orElse(""));
        }
        return outcome.reply();
    }
}
