package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, in the fresh JVM {@link ColdStart} launches on the shaded jar: loads a handler
 * class, constructs it as the Lambda runtime does (which builds the container from the
 * environment), turns the event JSON into the event class with the runtime's own serializer (timed
 * apart: the runtime does it, not the handler) and handles it; then handles the second event warm.
 * Prints one line of figures.
 *
 * <p>Arguments: handler class, first event file, second event file.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        String first = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        String second = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);

        long loadStarted = System.nanoTime();
        Class<?> handlerClass = Class.forName(args[0]);
        RequestHandler handler = (RequestHandler) handlerClass.getConstructor().newInstance();
        long constructed = System.nanoTime();
        // The runtime's own work, not the handler's: timed apart.
        PojoSerializer serializer = LambdaEventSerializers.serializerFor(eventClass(handlerClass),
                handlerClass.getClassLoader());
        Object event = serializer.fromJson(first);
        long deserialized = System.nanoTime();
        Object response = handler.handleRequest(event, null);
        long answered = System.nanoTime();
        // CPU of every thread (JIT and GC included) until the answer: steadier than wall time on a busy machine.
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();

        long warmStarted = System.nanoTime();
        Object warm = handler.handleRequest(serializer.fromJson(second), null);
        long warmAnswered = System.nanoTime();

        System.out.printf("COLD-START init=%d first=%d total=%d jvm=%d warm=%d deserialize=%d cpu=%d status=%s warmStatus=%s%n",
                millis(loadStarted, constructed), millis(deserialized, answered),
                millis(loadStarted, answered) - millis(constructed, deserialized), sinceJvmStart,
                millis(warmStarted, warmAnswered), millis(constructed, deserialized), cpu, status(response),
                status(warm));
        System.exit(0);
    }

    private static Class<?> eventClass(Class<?> handlerClass) {
        for (Class<?> c = handlerClass; c != null; c = c.getSuperclass()) {
            for (Type type : c.getGenericInterfaces()) {
                if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return (Class<?>) p.getActualTypeArguments()[0];
                }
            }
        }
        throw new IllegalArgumentException(handlerClass + " is no RequestHandler");
    }

    private static String status(Object response) throws Exception {
        if (response instanceof Integer count) {
            return "swept:" + count;
        }
        Method getter = response.getClass().getMethod("getStatusCode");
        return String.valueOf(getter.invoke(response));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
