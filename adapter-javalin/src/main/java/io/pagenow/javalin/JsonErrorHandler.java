package io.pagenow.javalin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.protocol.RestResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What Jetty answers itself, before a request reaches a route (a {@code %00} in a path, a
 * malformed header): the protocol's JSON error body, not Jetty's HTML page. The message is a
 * fixed text per status, since Jetty's own names its parser's rules.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, RestResponse.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, RestResponse.CONTENT_TYPE));
        return ByteBuffer.wrap(body(status));
    }

    static byte[] body(int status) {
        String text = status == 400 ? "Malformed request: the path, query or a header is not valid HTTP"
                : HttpStatus.getMessage(status);
        try {
            return MAPPER.writeValueAsString(Map.of("error", text)).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
