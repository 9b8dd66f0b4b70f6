package io.pagenow.protocol;

import io.pagenow.core.error.InvalidInputException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST routes' templates ({@code /conversations/{conversationId}}) and which one a request's
 * method and path name, with the path parameters it names them by.
 *
 * @param <H> what a route leads to
 */
final class RouteTable<H> {

    private final List<Route<H>> routes;

    RouteTable(List<Route<H>> routes) {
        this.routes = List.copyOf(routes);
    }

    List<RestRoute> routes() {
        return routes.stream().map(r -> new RestRoute(r.method, r.template)).toList();
    }

    /**
     * The route of {@code method} on {@code path}, or none and whether another method has it.
     *
     * @throws InvalidInputException when the path's percent-encoding is malformed
     */
    Match<H> match(String method, String path) {
        List<String> segments = segments(path);
        boolean pathKnown = false;
        for (Route<H> route : routes) {
            if (route.matches(segments)) {
                pathKnown = true;
                if (route.method.equalsIgnoreCase(method)) {
                    return new Match<>(route, true, segments);
                }
            }
        }
        return new Match<>(null, pathKnown, segments);
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

    static final class Route<H> {
        final String method;
        final String template;
        final H handler;
        private final String[] parts;

        Route(String method, String template, H handler) {
            this.method = method;
            this.template = template;
            this.handler = handler;
            this.parts = template.substring(1).split("/");
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

        private static boolean isParameter(String part) {
            return part.startsWith("{");
        }
    }

    /** A request's route (null: none for its method), and its decoded path segments. */
    record Match<H>(Route<H> route, boolean pathKnown, List<String> segments) {

        Map<String, String> parameters() {
            Map<String, String> parameters = new HashMap<>();
            for (int i = 0; i < route.parts.length; i++) {
                if (Route.isParameter(route.parts[i])) {
                    String name = route.parts[i].substring(1, route.parts[i].length() - 1);
                    parameters.put(name, segments.get(i));
                }
            }
            return parameters;
        }
    }
}
