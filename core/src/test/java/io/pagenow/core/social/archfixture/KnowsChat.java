package io.pagenow.core.social.archfixture;

import io.pagenow.core.chat.Message;

/** Breaks "shared packages know no feature" on purpose: a social class that reads chat. */
public final class KnowsChat {
    public String content(Message message) {
        return message.content();
    }
}
