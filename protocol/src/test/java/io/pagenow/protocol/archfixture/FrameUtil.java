package io.pagenow.protocol.archfixture;

/** Breaks the naming rule: a name that says nothing of what the class is. */
public final class FrameUtil {
}
