package io.pagenow.bench.jmh;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.SocketApi;
import io.pagenow.protocol.TokenBucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What reading a client's frame costs {@link SocketApi}, with frames whose dispatch does no work
 * (a chat heartbeat, a frame refused before or after its fields are read), so the parse is most
 * of each figure. Only the protocol's public API is called: the same benchmark measures any
 * parser behind it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class FrameParsingBenchmark {

    private static final String CONTENT = "#1 lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid";
    private static final StoreUnavailableException STORE_OUT = new StoreUnavailableException("the message store", null);

    private SocketApi api;
    private Connection chat;
    private TokenBucket bucket;
    private String heartbeat;
    private String heartbeatWithUnknownFields;
    private String sendMessage;
    private String sendMessageBadUuid;
    private String malformed;

    @Setup
    public void setUp() {
        InMemoryServer server = new InMemoryServer(InMemoryServer.ring(8, 2));
        api = server.sockets;
        chat = server.open("u0", Channel.CHAT);
        bucket = server.bucket();
        heartbeat = "{\"action\":\"heartbeat\"}";
        // What a newer client might add: fields this server does not know, nested.
        heartbeatWithUnknownFields = "{\"action\":\"heartbeat\",\"client\":{\"name\":\"pagenow-extension\","
                + "\"version\":\"4.2.1\",\"tabs\":[{\"id\":1,\"active\":true,\"title\":\"" + CONTENT + "\"},"
                + "{\"id\":2,\"active\":false,\"title\":\"" + CONTENT + "\"}],\"sampledAt\":1764680000123}}";
        sendMessage = "{\"action\":\"send-message\",\"conversationId\":\"" + UUID.randomUUID() + "\",\"content\":\""
                + CONTENT + "\",\"tempMessageId\":\"t-1\"}";
        sendMessageBadUuid = "{\"action\":\"send-message\",\"conversationId\":\"123\",\"content\":\""
                + CONTENT + "\",\"tempMessageId\":\"t-1\"}";
        malformed = "{\"action\":\"send-message\",\"content\":\"" + CONTENT + "\",";
    }

    private FrameOutcome handle(String frame, boolean succeeds) {
        FrameOutcome outcome = api.handle(chat, frame, bucket);
        if (outcome.succeeded() != succeeds) {
            throw new IllegalStateException("unexpected outcome: " + outcome);
        }
        return outcome;
    }

    /** The smallest frame: read it, find nothing to do. */
    @Benchmark
    public FrameOutcome heartbeat() {
        return handle(heartbeat, true);
    }

    /** A heartbeat carrying about 300 bytes of nested fields the server reads past. */
    @Benchmark
    public FrameOutcome heartbeatWithUnknownFields() {
        return handle(heartbeatWithUnknownFields, true);
    }

    /** A whole {@code send-message} frame read for its action and tempMessageId, answered 503 without a store. */
    @Benchmark
    public FrameOutcome sendMessageRefused() {
        return api.refuse(chat, sendMessage, STORE_OUT);
    }

    /** A {@code send-message} frame read to its fields, refused 400 for its conversation id. */
    @Benchmark
    public FrameOutcome sendMessageWithABadField() {
        return handle(sendMessageBadUuid, false);
    }

    /** A frame cut short: refused 400 naming the JSON error. */
    @Benchmark
    public FrameOutcome malformedFrame() {
        return handle(malformed, false);
    }
}
