package io.pagenow.protocol;

/**
 * A failure as it may be logged: the same classes and stack frames, no messages. A message can
 * quote whatever a client sent (JDBI's and the driver's quote a statement's arguments, message
 * contents among them), and none of that may reach a log line.
 */
final class Redacted extends RuntimeException {

    private Redacted(Throwable original, Throwable cause) {
        super(original.getClass().getName(), cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The chain of {@code failure} with every message replaced by its class's name. */
    static RuntimeException of(Throwable failure) {
        return copy(failure, 0);
    }

    private static Redacted copy(Throwable failure, int depth) {
        Throwable cause = failure.getCause();
        // A chain is short; a cycle or a pathological depth ends the copy.
        Redacted copiedCause = cause == null || cause == failure || depth > 16 ? null : copy(cause, depth + 1);
        return new Redacted(failure, copiedCause);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
