package io.pagenow.archfixture;

import org.eclipse.jetty.websocket.api.Session;

/** Breaks "Javalin and Jetty only in the server" on purpose: a class outside it holding a Jetty session. */
public final class UsesJetty {
    public boolean open(Session session) {
        return session.isOpen();
    }
}
