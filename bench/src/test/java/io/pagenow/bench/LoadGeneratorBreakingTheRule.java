package io.pagenow.bench;

import io.pagenow.core.delivery.Channel;

/** A load generator class that knows the server's insides: it breaks the rule on purpose. */
final class LoadGeneratorBreakingTheRule {
    Channel channel() {
        return Channel.CHAT;
    }
}
