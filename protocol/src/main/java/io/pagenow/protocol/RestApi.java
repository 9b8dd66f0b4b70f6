package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.MessageQuery;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.presence.port.in.Presence;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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
    private final RouteTable<Handler> endpoints;

    public RestApi(Chat chat, Presence presence, Authenticator authenticator) {
        this.chat = chat;
        this.presence = presence;
        this.authenticator = authenticator;
        this.lists = new ConversationListCache(chat);
        this.endpoints = new RouteTable<>(List.of(
                new RouteTable.Route<>("GET", "/conversations", this::conversations),
                new RouteTable.Route<>("GET", "/conversations/{conversationId}", untagged(this::conversation)),
                new RouteTable.Route<>("GET", "/conversations/{conversationId}/messages", tagged(this::messages)),
                new RouteTable.Route<>("GET", "/conversations/{conversationId}/participants", untagged(this::participants)),
                new RouteTable.Route<>("GET", "/conversation/direct/{userId}", untagged(this::directConversation)),
                new RouteTable.Route<>("POST", "/conversation", untagged(this::createConversation)),
                new RouteTable.Route<>("GET", "/presence", untagged(this::overview)),
                new RouteTable.Route<>("GET", "/presence/{userId}", untagged(this::currentPage))));
    }

    /** The routes {@link #handle} serves, for transports that register routes one by one. */
    public List<RestRoute> routes() {
        return endpoints.routes();
    }

    /** Answers a request; never throws. */
    public RestResponse handle(RestRequest request) {
        String route = UNMATCHED;
        try {
            RouteTable.Match<Handler> match = endpoints.match(request.method(), request.path());
            if (match.route() == null) {
                return match.pathKnown()
                        ? RestResponse.methodNotAllowed(request.method(), request.path())
                        : RestResponse.noRoute(request.path());
            }
            route = match.route().template;
            if (request.body() != null
                    && request.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                return new RestResponse(413, WireFormat.error(
                        "Request body over " + MAX_BODY_BYTES + " bytes"), route);
            }
            String caller = authenticator.authenticate(request.authorization());
            Answer answer = match.route().handler.serve(new RestCall(caller, match.parameters(), request));
            if (answer.etag() != null && EntityTags.matches(request.ifNoneMatch(), answer.etag())) {
                return new RestResponse(RestResponse.NOT_MODIFIED, "", route, answer.etag());
            }
            return new RestResponse(200, answer.body(), route, answer.etag());
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            return new RestResponse(failure.status(), WireFormat.error(failure.message()), route);
        }
    }

    private Answer conversations(RestCall call) {
        Optional<Boolean> read = call.query("isRead").map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException("'isRead' must be true or false, was " + Fields.quoted(value));
        });
        return lists.answer(call.caller(), read);
    }

    private String conversation(RestCall call) {
        return WireFormat.conversation(call.caller(), chat.conversation(call.caller(), call.uuid("conversationId")));
    }

    private String messages(RestCall call) {
        int limit = call.intQuery("limit", MessageQuery.DEFAULT_LIMIT);
        int offset = call.intQuery("offset", 0);
        MessageQuery.Order order = call.query("order").map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "asc" -> MessageQuery.Order.ASC;
            case "desc" -> MessageQuery.Order.DESC;
            default -> throw new InvalidInputException("'order' must be asc or desc, was " + Fields.quoted(value));
        }).orElse(MessageQuery.Order.DESC);
        Optional<UUID> before = call.query("before").map(value -> Fields.uuid("before", value));
        Optional<UUID> after = call.query("after").map(value -> Fields.uuid("after", value));
        MessageQuery query = new MessageQuery(limit, offset, order, before, after);
        return WireFormat.messages(chat.messages(call.caller(), call.uuid("conversationId"), query));
    }

    private String participants(RestCall call) {
        return WireFormat.userIds(chat.participants(call.caller(), call.uuid("conversationId")));
    }

    private String directConversation(RestCall call) {
        return WireFormat.conversationId(chat.directConversation(call.caller(), call.path("userId")));
    }

    private String createConversation(RestCall call) {
        JsonNode body = Json.parseObject(call.request().body(), "body");
        List<String> recipients = Fields.requiredStringArray(body, "recipientIdArr");
        boolean group = Fields.requiredBoolean(body, "isGroup");
        String title = Fields.optionalString(body, "title").orElse(null);
        CreateConversation request = new CreateConversation(recipients, group, group ? title : null);
        return WireFormat.conversationId(Optional.of(chat.createConversation(call.caller(), request).id()));
    }

    private String overview(RestCall call) {
        return WireFormat.overview(presence.overview(call.caller()));
    }

    private String currentPage(RestCall call) {
        return WireFormat.currentPage(presence.pageOf(call.caller(), call.path("userId")));
    }

    /** A route's work once its caller is authenticated: parse, call the use case, encode. */
    @FunctionalInterface
    private interface Handler {
        Answer serve(RestCall call);
    }

    /** A route whose answer has no entity tag. */
    private static Handler untagged(Function<RestCall, String> route) {
        return call -> Answer.untagged(route.apply(call));
    }

    /**
     * A route whose answer carries the entity tag of its body: a client holding it gets 304
     * instead of the body (the body is still read and encoded, so it saves the transfer only).
     */
    private static Handler tagged(Function<RestCall, String> route) {
        return call -> Answer.tagged(route.apply(call));
    }
}
