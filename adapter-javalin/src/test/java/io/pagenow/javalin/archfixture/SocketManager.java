package io.pagenow.javalin.archfixture;

/** Breaks "names say what things are" on purpose. */
public final class SocketManager {
}
