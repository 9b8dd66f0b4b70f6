package io.pagenow.core.delivery;

/** The two sockets a client holds: chat events and presence events never cross. */
public enum Channel {
    CHAT,
    PRESENCE
}
