package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.MessageQuery;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.presence.port.in.Presence;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every REST route of docs/protocol.md, independent of the transport: each route authenticates,
 * parses, calls one use case and encodes its answer. The Javalin server and the Lambda handler
 * both call {@link #handle}, so the two answer byte for byte alike.
 *
 * <p>{@code GET /conversations} and the message pages carry an {@code ETag}, and a request whose
 * {@code If-None-Match} names it gets 304 with no body; the conversation list is answered from
 * {@link ConversationListCache}, checked against the store's list version on every request.
 * Authentication and the rate limit come first, as for every route.
 */
public final class RestApi {

    /** Bodies larger than this are refused with 413; the largest valid one is far smaller. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String UNMATCHED = RestResponse.UNMATCHED;

    private final Chat chat;
    private final Presence presence;
    private final Authenticator authenticator;
    private final ConversationListCache lists;
    private final List<Endpoint> endpoints;

    public RestApi(Chat chat, Presence presence, Authenticator authenticator) {
        this.chat = chat;
        this.presence = presence;
        this.authenticator = authenticator;
        this.lists = new ConversationListCache(chat);
        this.endpoints = List.of(
                new Endpoint("GET", "/conversations", this::conversations),
                new Endpoint("GET", "/conversations/{conversationId}", untagged(this::conversation)),
                new Endpoint("GET", "/conversations/{conversationId}/messages", tagged(this::messages)),
                new Endpoint("GET", "/conversations/{conversationId}/participants", untagged(this::participants)),
                new Endpoint("GET", "/conversation/direct/{userId}", untagged(this::directConversation)),
                new Endpoint("POST", "/conversation", untagged(this::createConversation)),
                new Endpoint("GET", "/presence", untagged(this::overview)),
                new Endpoint("GET", "/presence/{userId}", untagged(this::currentPage)));
    }

    /** The routes {@link #handle} serves, for transports that register routes one by one. */
    public List<RestRoute> routes() {
        return endpoints.stream().map(e -> new RestRoute(e.method, e.template)).toList();
    }

    /** Answers a request; never throws. */
    public RestResponse handle(RestRequest request) {
        String route = UNMATCHED;
        try {
            List<String> segments = segments(request.path());
            Match match = match(request.method(), segments);
            if (match.endpoint == null) {
                return match.pathKnown
                        ? RestResponse.methodNotAllowed(request.method(), request.path())
                        : RestResponse.noRoute(request.path());
            }
            route = match.endpoint.template;
            if (request.body() != null
                    && request.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                return new RestResponse(413, WireFormat.error(
                        "Request body over " + MAX_BODY_BYTES + " bytes"), route);
            }
            String caller = authenticator.authenticate(request.authorization());
            Answer answer = match.endpoint.handler.serve(new Call(caller, match.parameters(segments), request));
            if (answer.etag() != null && EntityTags.matches(request.ifNoneMatch(), answer.etag())) {
                return new RestResponse(RestResponse.NOT_MODIFIED, "", route, answer.etag());
            }
            return new RestResponse(200, answer.body(), route, answer.etag());
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            return new RestResponse(failure.status(), WireFormat.error(failure.message()), route);
        }
    }

    private Answer conversations(Call call) {
        Optional<Boolean> read = call.query("isRead").map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException("'isRead' must be true or false, was " + quoted(value));
        });
        return lists.answer(call.caller, read);
    }

    private String conversation(Call call) {
        return WireFormat.conversation(call.caller, chat.conversation(call.caller, call.uuid("conversationId")));
    }

    private String messages(Call call) {
        int limit = call.intQuery("limit", MessageQuery.DEFAULT_LIMIT);
        int offset = call.intQuery("offset", 0);
        MessageQuery.Order order = call.query("order").map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "asc" -> MessageQuery.Order.ASC;
            case "desc" -> MessageQuery.Order.DESC;
            default -> throw new InvalidInputException("'order' must be asc or desc, was " + quoted(value));
        }).orElse(MessageQuery.Order.DESC);
        Optional<UUID> before = call.query("before").map(value -> Fields.uuid("before", value));
        Optional<UUID> after = call.query("after").map(value -> Fields.uuid("after", value));
        MessageQuery query = new MessageQuery(limit, offset, order, before, after);
        return WireFormat.messages(chat.messages(call.caller, call.uuid("conversationId"), query));
    }

    private String participants(Call call) {
        return WireFormat.userIds(chat.participants(call.caller, call.uuid("conversationId")));
    }

    private String directConversation(Call call) {
        return WireFormat.conversationId(chat.directConversation(call.caller, call.path("userId")));
    }

    private String createConversation(Call call) {
        JsonNode body = Json.parseObject(call.request.body(), "body");
        List<String> recipients = Fields.requiredStringArray(body, "recipientIdArr");
        boolean group = Fields.requiredBoolean(body, "isGroup");
        String title = Fields.optionalString(body, "title").orElse(null);
        CreateConversation request = new CreateConversation(recipients, group, group ? title : null);
        return WireFormat.conversationId(Optional.of(chat.createConversation(call.caller, request).id()));
    }

    private String overview(Call call) {
        return WireFormat.overview(presence.overview(call.caller));
    }

    private String currentPage(Call call) {
        return WireFormat.currentPage(presence.pageOf(call.caller, call.path("userId")));
    }

    private Match match(String method, List<String> segments) {
        boolean pathKnown = false;
        for (Endpoint endpoint : endpoints) {
            if (endpoint.matches(segments)) {
                pathKnown = true;
                if (endpoint.method.equalsIgnoreCase(method)) {
                    return new Match(endpoint, true);
                }
            }
        }
        return new Match(null, pathKnown);
    }

    /** Echoes a client's value in an error message, cut short: it is the client's own input. */
    private static String quoted(String value) {
        return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }

    /** The decoded path segments; one trailing slash is ignored. */
    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (!raw.isEmpty()) {
                try {
                    // '+' is a literal plus in a path, not a space as in a form.
                    segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("Malformed percent-encoding in path");
                }
            }
        }
        return segments;
    }

    @FunctionalInterface
    private interface Handler {
        Answer serve(Call call);
    }

    /** A route whose answer has no entity tag. */
    private static Handler untagged(Function<Call, String> route) {
        return call -> Answer.untagged(route.apply(call));
    }

    /**
     * A route whose answer carries the entity tag of its body: a client holding it gets 304
     * instead of the body (the body is still read and encoded, so it saves the transfer only).
     */
    private static Handler tagged(Function<Call, String> route) {
        return call -> Answer.tagged(route.apply(call));
    }

    private static final class Endpoint {
        final String method;
        final String template;
        final String[] parts;
        final Handler handler;

        Endpoint(String method, String template, Handler handler) {
            this.method = method;
            this.template = template;
            this.parts = template.substring(1).split("/");
            this.handler = handler;
        }

        boolean matches(List<String> segments) {
            if (segments.size() != parts.length) {
                return false;
            }
            for (int i = 0; i < parts.length; i++) {
                if (!isParameter(parts[i]) && !parts[i].equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        static boolean isParameter(String part) {
            return part.startsWith("{");
        }
    }

    private record Match(Endpoint endpoint, boolean pathKnown) {
        Map<String, String> parameters(List<String> segments) {
            Map<String, String> parameters = new HashMap<>();
            for (int i = 0; i < endpoint.parts.length; i++) {
                if (Endpoint.isParameter(endpoint.parts[i])) {
                    String name = endpoint.parts[i].substring(1, endpoint.parts[i].length() - 1);
                    parameters.put(name, segments.get(i));
                }
            }
            return parameters;
        }
    }

    /** One authenticated call to a route. */
    private static final class Call {
        final String caller;
        final Map<String, String> pathParameters;
        final RestRequest request;

        Call(String caller, Map<String, String> pathParameters, RestRequest request) {
            this.caller = caller;
            this.pathParameters = pathParameters;
            this.request = request;
        }

        String path(String name) {
            return pathParameters.get(name);
        }

        UUID uuid(String name) {
            return Fields.uuid(name, path(name));
        }

        Optional<String> query(String name) {
            return Optional.ofNullable(request.query().get(name));
        }

        int intQuery(String name, int defaultValue) {
            Optional<String> value = query(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            String text = value.get().strip();
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                String problem = text.matches("[+-]?\\d+") ? "' is out of range, was " : "' must be an integer, was ";
                throw new InvalidInputException("'" + name + problem + quoted(text));
            }
        }
    }
}
