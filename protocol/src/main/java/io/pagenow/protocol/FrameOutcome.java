package io.pagenow.protocol;

import java.util.Optional;

/**
 * What handling one client frame came to.
 *
 * @param action the frame's action when it is one this socket knows, else {@code "invalid"}: safe
 *               as a metric label, unlike the raw action a client sent
 * @param code   200 when the action was done, else the {@code code} of the error event
 * @param reply  the {@code error} event to send back to the sending connection, when it failed
 */
public record FrameOutcome(String action, int code, Optional<String> reply) {

    public boolean succeeded() {
        return code == 200;
    }
}
