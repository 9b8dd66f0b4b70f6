package io.pagenow.redis;

import io.pagenow.core.error.CircuitBreaker;
import io.pagenow.core.error.StoreUnavailableException;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The one way this module talks to Redis through the pool: every Jedis failure becomes a
 * {@link StoreUnavailableException}, and a broken connection empties the pool's idle
 * connections, so that once Redis is back the next call opens a fresh one instead of
 * failing again on a socket of the dead server. The scripts and fan-out reads of the hot paths
 * go {@linkplain #pipelined together with other threads'} ({@link AutoPipeline}).
 */
final class RedisAccess implements AutoCloseable {

    static final String STORE = "Redis";

    /** Unavailable answers in a row that open the circuit, and how long it stays open before a probe. */
    static final int FAILURES_TO_OPEN = 2;
    static final Duration OPEN_FOR = Duration.ofSeconds(1);

    /** Builds the commands callers hand to {@link #pipelined}: on the caller's thread. */
    static final CommandObjects COMMANDS = new CommandObjects(RedisProtocol.RESP2);

    private final RedisClient client;
    /**
     * In an outage every call would wait out the timeout; once a few in a row did, the circuit
     * answers at once until a probe (the node's beat, every second, is one) finds Redis back.
     */
    private final CircuitBreaker circuit = new CircuitBreaker(STORE, FAILURES_TO_OPEN, OPEN_FOR, Clock.systemUTC());

    private final AutoPipeline pipeline;

    /**
     * @param timeout the client's bound on a wait for a pooled connection and on each reply: a
     *                pipelined command waits for the batch before its own and its own, so twice that
     */
    RedisAccess(RedisClient client, Duration timeout) {
        this.client = client;
        this.pipeline = new AutoPipeline(this::call, timeout.multipliedBy(2));
    }

    <T> T call(Function<RedisClient, T> command) {
        return circuit.call(() -> {
            try {
                return command.apply(client);
            } catch (JedisException e) {
                throw unavailable(e);
            }
        });
    }

    /** A health check: runs even while the circuit is open, and its outcome opens or closes it. */
    <T> T probe(Function<RedisClient, T> check) {
        return circuit.probe(() -> {
            try {
                return check.apply(client);
            } catch (JedisException e) {
                throw unavailable(e);
            }
        });
    }

    /**
     * Sends {@code commands} in one pipeline with the commands other threads send meanwhile and
     * returns their replies in order; the batch goes through the circuit as one call. A failure of
     * a command alone (a script's error) is this caller's {@link StoreUnavailableException} and
     * leaves the circuit alone.
     */
    <T> List<T> pipelined(List<CommandObject<T>> commands) {
        try {
            return pipeline.runAll(commands);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** Each hash of {@code keys} read whole ({@code HGETALL}), in order, in one batch of the pipeline. */
    List<Map<String, String>> hashes(List<String> keys) {
        List<CommandObject<Map<String, String>>> reads = new ArrayList<>(keys.size());
        for (String key : keys) {
            reads.add(COMMANDS.hgetAll(key));
        }
        return pipelined(reads);
    }

    /**
     * Runs a script by its digest, {@linkplain #pipelined pipelined}; when the server's script
     * cache lost it (SCRIPT FLUSH, a restart, a fail-over) EVAL runs the source, which also
     * caches it again.
     */
    Object eval(LuaScript script, List<String> keys, List<String> args) {
        try {
            return pipeline.run(COMMANDS.evalsha(script.sha(), keys, args));
        } catch (JedisNoScriptException e) {
            return pipelined(List.of(COMMANDS.eval(script.source(), keys, args))).get(0);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** {@link #eval} as a health check: runs while the circuit is open, and its outcome opens or closes it. */
    Object probeEval(LuaScript script, List<String> keys, List<String> args) {
        return probe(redis -> {
            try {
                return redis.evalsha(script.sha(), keys, args);
            } catch (JedisNoScriptException e) {
                return redis.eval(script.source(), keys, args);
            }
        });
    }

    /** SCRIPT LOAD of each script, so the first EVALSHA finds it. */
    void load(Collection<LuaScript> scripts) {
        call(redis -> {
            for (LuaScript script : scripts) {
                String sha = redis.scriptLoad(script.source());
                if (!sha.equals(script.sha())) {
                    throw new IllegalStateException("Redis hashed a script to " + sha + ", expected " + script.sha());
                }
            }
            return null;
        });
    }

    /** Stops the pipeline's thread; the client is closed by its owner. */
    @Override
    public void close() {
        pipeline.close();
    }

    private StoreUnavailableException unavailable(JedisException e) {
        if (e instanceof JedisConnectionException) {
            try {
                client.getPool().clear();
            } catch (RuntimeException ignored) {
                // The pool is closing; nothing left to clear.
            }
        }
        return poolExhausted(e) ? StoreUnavailableException.busy(STORE, e) : new StoreUnavailableException(STORE, e);
    }

    /**
     * Every pooled connection stayed in use for the whole wait: the pool's own timeout (commons-pool's
     * bare {@link NoSuchElementException}), with no failure to connect behind it. Redis answers; this
     * node asks more of it than its pool serves, which must not open the circuit.
     */
    static boolean poolExhausted(JedisException e) {
        return !(e instanceof JedisConnectionException) && e.getCause() instanceof NoSuchElementException timeout
                && timeout.getCause() == null;
    }
}
