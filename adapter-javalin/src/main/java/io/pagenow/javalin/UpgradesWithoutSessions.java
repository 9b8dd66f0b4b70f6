package io.pagenow.javalin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Keeps WebSocket upgrades from creating HTTP sessions. Javalin copies the HTTP session's
 * attributes when it accepts an upgrade ({@code UpgradeRequestData} calls {@code getSession()}),
 * so Jetty created a session for every socket: an id drawn under one global lock (upgrades queued
 * on it in a connect storm), a cookie, and an entry kept in the session cache for good. This
 * server keeps nothing in HTTP sessions (tokens authenticate every request), so an upgrade is
 * shown a session that is always empty and belongs to no session manager: nothing is created,
 * stored or sent. Javalin's session handler stays in place for everything else, where nothing
 * asks for a session.
 */
final class UpgradesWithoutSessions implements Filter {

    /** The header Javalin itself tells upgrades by. */
    private static final String WEBSOCKET_KEY = "Sec-WebSocket-Key";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getHeader(WEBSOCKET_KEY) != null) {
            chain.doFilter(new Upgrade(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The upgrade request as Javalin sees it: everything but the session is the request's own. */
    private static final class Upgrade extends HttpServletRequestWrapper {

        Upgrade(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpSession getSession(boolean create) {
            return create ? new EmptySession(getServletContext()) : null;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }
    }

    /** A session with no attributes that accepts none: nothing could be kept in it anyway. */
    private record EmptySession(ServletContext context) implements HttpSession {

        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public String getId() {
            return "";
        }

        @Override
        public long getLastAccessedTime() {
            return 0;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public void setMaxInactiveInterval(int interval) {
        }

        @Override
        public int getMaxInactiveInterval() {
            return 0;
        }

        @Override
        public Object getAttribute(String name) {
            return null;
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public void setAttribute(String name, Object value) {
            throw new UnsupportedOperationException("this server keeps no HTTP sessions");
        }

        @Override
        public void removeAttribute(String name) {
        }

        @Override
        public void invalidate() {
        }

        @Override
        public boolean isNew() {
            return true;
        }
    }
}
