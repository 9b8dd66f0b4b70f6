package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import static io.pagenow.lambda.ApiGatewayJson.expect;
import static io.pagenow.lambda.ApiGatewayJson.string;
import static io.pagenow.lambda.ApiGatewayJson.strings;

/**
 * A WebSocket API event ({@code APIGatewayV2WebSocketEvent}'s JSON): a {@code $connect}, a
 * {@code $disconnect} or a frame.
 *
 * @param eventType {@code CONNECT}, {@code DISCONNECT} or {@code MESSAGE}
 * @param query     the {@code $connect} query parameters (the token is one), empty otherwise
 * @param body      the frame's text, decoded from base64 when API Gateway encoded it; "" without one
 */
record WebSocketEvent(String connectionId, String eventType, String domainName, String stage,
                      Map<String, String> query, String body) {

    static WebSocketEvent read(InputStream in) throws IOException {
        Fields event = ApiGatewayJson.read(in, new Fields());
        String body = event.body();
        return new WebSocketEvent(event.connectionId, event.eventType == null ? "MESSAGE" : event.eventType,
                event.domainName, event.stage, event.query, body == null ? "" : body);
    }

    /** The fields of the event the handlers use, as they are read. */
    private static final class Fields extends ApiGatewayJson.EventFields {
        String connectionId;
        String eventType;
        String domainName;
        String stage;
        Map<String, String> query = Map.of();

        @Override
        void read(String field, JsonParser json) throws IOException {
            switch (field) {
                case "requestContext" -> requestContext(json);
                case "queryStringParameters" -> query = strings(json, field);
                default -> super.read(field, json);
            }
        }

        private void requestContext(JsonParser json) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            expect(json, JsonToken.START_OBJECT, "requestContext");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "connectionId" -> connectionId = string(json, field);
                    case "eventType" -> eventType = string(json, field);
                    case "domainName" -> domainName = string(json, field);
                    case "stage" -> stage = string(json, field);
                    default -> json.skipChildren();
                }
            }
        }
    }
}
