package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A handler called as the runtime client calls a stream handler: the event's JSON in as a stream,
 * the answer's JSON out. The answer is read back into the AWS event library's response class by
 * the serializer the Lambda Java runtime uses, so a misspelt field fails the test that reads it.
 *
 * @param <R> what the answer is read as
 */
final class Invocation<R> {

    private final RequestStreamHandler handler;
    private final Function<String, R> reader;

    private Invocation(RequestStreamHandler handler, Function<String, R> reader) {
        this.handler = handler;
        this.reader = reader;
    }

    static Invocation<APIGatewayProxyResponseEvent> rest(RestHandler handler) {
        return new Invocation<>(handler, json -> read(APIGatewayProxyResponseEvent.class, json));
    }

    static Invocation<APIGatewayV2WebSocketResponse> webSocket(WebSocketHandler handler) {
        return new Invocation<>(handler, json -> read(APIGatewayV2WebSocketResponse.class, json));
    }

    static Invocation<Integer> sweep(PresenceSweepHandler handler) {
        return new Invocation<>(handler, json -> Integer.valueOf(json.strip()));
    }

    /** Feeds {@code event} (JSON) to the handler and reads its answer. */
    R handleRequest(String event, Context context) {
        return reader.apply(answer(event, context));
    }

    /** The answer's JSON as the handler wrote it. */
    String answer(String event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T> T read(Class<T> type, String json) {
        return LambdaEventSerializers.serializerFor(type, Invocation.class.getClassLoader()).fromJson(json);
    }
}
