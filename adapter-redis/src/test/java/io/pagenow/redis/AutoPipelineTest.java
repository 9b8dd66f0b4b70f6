package io.pagenow.redis;

import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.redis.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisDataException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link AutoPipeline} on a redis-server of the test's own, whose scripts the test holds back
 * ({@code CLIENT PAUSE WRITE}) to keep a batch on the wire while others queue behind it.
 */
class AutoPipelineTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int QUEUED = 50;

    private RedisServerProcess server;
    private RedisClient client;
    private Jedis control;
    private AutoPipeline pipeline;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        server = RedisServerProcess.start();
        client = server.client();
        control = new Jedis(URI.create(server.url()));
        pipeline = new AutoPipeline(batch -> batch.apply(client), BOUND);
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        callers.shutdownNow();
        control.close();
        client.close();
        server.close();
    }

    @Test
    void commandsArrivingWhileABatchIsOnTheWireGoOutTogetherEachWithItsOwnReply() throws Exception {
        CompletableFuture<Object> first = holdABatchOnTheWire();
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            queued.add(echo("reply-" + i));
        }
        await(() -> pipeline.waiting() == QUEUED, "every caller queued behind the held batch");
        assertEquals(0, pipeline.batches(), "the first batch is still on the wire");

        control.clientUnpause();
        assertEquals("first", first.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < QUEUED; i++) {
            assertEquals("reply-" + i, queued.get(i).get(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(2, pipeline.batches(), "the queued callers' commands went out as one batch");
    }

    @Test
    void aCommandThatFailsFailsAloneAndTheRestOfItsBatchIsAnswered() throws Exception {
        CompletableFuture<Object> first = holdABatchOnTheWire();
        CompletableFuture<Object> before = echo("before");
        await(() -> pipeline.waiting() == 1, "the first caller queued");
        CompletableFuture<Object> failing = call(() -> pipeline.run(script("return redis.error_reply('refused')")));
        await(() -> pipeline.waiting() == 2, "the failing caller queued");
        CompletableFuture<Object> after = echo("after");
        await(() -> pipeline.waiting() == 3, "every caller queued");

        control.clientUnpause();
        assertEquals("first", first.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals("before", before.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals("after", after.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> failing.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(JedisDataException.class, refused.getCause());
        assertEquals(2, pipeline.batches());
    }

    @Test
    void aRedisThatIsGoneFailsEveryCallerWithUnavailableAndTheNextBatchesWorkOnceItIsBack() throws Exception {
        try (RedisClient pooled = server.client()) {
            RedisAccess access = new RedisAccess(pooled, Duration.ofSeconds(1));
            try {
                assertEquals("up", access.eval(LuaScript.of("return ARGV[1]"), List.of(), List.of("up")));
                server.kill();
                List<CompletableFuture<Object>> refused = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    refused.add(call(() -> access.eval(LuaScript.of("return ARGV[1]"), List.of(), List.of("down"))));
                }
                for (CompletableFuture<Object> answer : refused) {
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> answer.get(BOUND.toSeconds(), TimeUnit.SECONDS));
                    assertInstanceOf(StoreUnavailableException.class, e.getCause());
                }
                server.startAgain();
                // The circuit opened in the outage; a caller retries until a probe finds Redis back.
                await(() -> {
                    try {
                        return "back".equals(access.eval(LuaScript.of("return ARGV[1]"), List.of(), List.of("back")));
                    } catch (StoreUnavailableException stillOpen) {
                        return false;
                    }
                }, "a script runs again once Redis is back");
            } finally {
                access.close();
            }
        }
    }

    @Test
    void callersQueuedWhenThePipelineClosesAreToldUnavailableAndLaterOnesAtOnce() throws Exception {
        CompletableFuture<Object> first = holdABatchOnTheWire();
        CompletableFuture<Object> queued = echo("queued");
        await(() -> pipeline.waiting() == 1, "the second caller queued");
        pipeline.close();
        assertThrows(StoreUnavailableException.class, () -> pipeline.run(script("return 1")));

        control.clientUnpause();
        assertEquals("first", first.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> queued.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(StoreUnavailableException.class, refused.getCause());
    }

    /** Pauses Redis's scripts and sends one: the sending thread waits for its reply until the unpause. */
    private CompletableFuture<Object> holdABatchOnTheWire() throws InterruptedException {
        control.clientPause(BOUND.toMillis(), ClientPauseMode.WRITE);
        CompletableFuture<Object> first = echo("first");
        await(() -> pipeline.sending() == 1, "the first batch is on the wire");
        return first;
    }

    private CompletableFuture<Object> echo(String value) {
        return call(() -> pipeline.run(script("return ARGV[1]", value)));
    }

    private static CommandObject<Object> script(String source, String... args) {
        return RedisAccess.COMMANDS.eval(source, List.of(), List.of(args));
    }

    private CompletableFuture<Object> call(java.util.function.Supplier<Object> command) {
        return CompletableFuture.supplyAsync(command, callers);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + BOUND + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
