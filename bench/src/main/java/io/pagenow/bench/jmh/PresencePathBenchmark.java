package io.pagenow.bench.jmh;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.TokenBucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A presence update's way through the server: decode {@code update-presence}, normalise the page
 * (registrable domain, share settings), store it, encode {@code update-presence} once and fan it
 * out to the user's own connection and each online friend's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class PresencePathBenchmark {

    /** Online friends of the updating user. */
    @Param({"5"})
    public int friends;

    private InMemoryServer server;
    private Connection user;
    private TokenBucket bucket;
    private List<String> audience;
    private Event.PresenceUpdate event;
    private long next;

    @Setup
    public void setUp() {
        int n = Math.max(2 * friends + 2, 12);
        server = new InMemoryServer(InMemoryServer.ring(n, friends));
        List<Connection> connections = new ArrayList<>();
        for (String u : InMemoryServer.users(n)) {
            connections.add(server.open(u, Channel.PRESENCE));
        }
        user = connections.get(0);
        bucket = server.bucket();
        audience = new ArrayList<>(server.graph.friendsOf("u0"));
        audience.add("u0");
        event = new Event.PresenceUpdate("u0", "https://news.bbc.co.uk/p/1", "t1", "bbc.co.uk",
                "https://news.bbc.co.uk/p/1", "t1", "bbc.co.uk");
    }

    @Benchmark
    public String encodePresenceUpdate() {
        return EventJson.encode(event);
    }

    @Benchmark
    public long fanOutPresenceUpdate() {
        server.deliveries.toUsers(audience, event);
        return server.push.frames;
    }

    /** The use case alone: domain, share settings, store, friends, fan-out. */
    @Benchmark
    public long dispatchUpdate() {
        long i = next++;
        server.presence.updatePresence("u0", "https://s" + (i % 97) + ".example.com/p/" + i, "t" + i);
        return server.push.frames;
    }

    /** Everything the server does for one frame short of the socket. */
    @Benchmark
    public Optional<String> updatePresenceFrame() {
        long i = next++;
        FrameOutcome outcome = server.sockets.handle(user, "{\"action\":\"update-presence\",\"url\":\"https://s"
                + (i % 97) + ".example.com/p/" + i + "\",\"title\":\"t" + i + "\"}", bucket);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("update-presence failed: " + outcome.reply().orElse(""));
        }
        return outcome.reply();
    }
}
