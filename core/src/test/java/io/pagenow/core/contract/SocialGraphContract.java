package io.pagenow.core.contract;

import io.pagenow.core.social.SocialGraph;
import io.pagenow.core.testing.SocialFixture;

/** The behaviour every {@link SocialGraph} must have, starting from the given users and friendships. */
public abstract class SocialGraphContract {

    protected abstract SocialGraph graph(SocialFixture fixture);
}
