package io.pagenow.core.presence;

import io.pagenow.core.delivery.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.pagenow.core.presence.PresenceWorld.ALICE;
import static io.pagenow.core.presence.PresenceWorld.ERIN;
import static io.pagenow.core.presence.PresenceWorld.FRANK;
import static io.pagenow.core.presence.PresenceWorld.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** erin shares only bbc.co.uk (default_none + allow); frank shares all but bbc.co.uk (default_all + deny). */
class PrivacyTest {

    private static final String BBC_URL = "https://www.bbc.co.uk/news";
    private static final Page BBC = new Page(BBC_URL, "News", "bbc.co.uk");
    private static final String GITHUB_URL = "https://github.com/pagenow/server";
    private static final Page GITHUB = new Page(GITHUB_URL, "Repo", "github.com");

    private final PresenceWorld world = new PresenceWorld();
    private Connection alice;

    @BeforeEach
    void aliceWatches() {
        alice = world.presenceSocket(ALICE);
        world.presenceSocket(ERIN);
        world.presenceSocket(FRANK);
        world.push.clear();
    }

    @Test
    void defaultNoneSharesOnlyAllowedDomains() {
        world.presence.updatePresence(ERIN, BBC_URL, "News");
        assertEquals(List.of(update(ERIN, BBC, BBC)), world.push.eventsFor(alice.id()));
        world.push.clear();

        world.presence.updatePresence(ERIN, GITHUB_URL, "Repo");

        assertEquals(List.of(update(ERIN, Page.EMPTY, BBC)), world.push.eventsFor(alice.id()),
                "blanked, and the latest shared page stays");
        assertEquals(Page.EMPTY, world.stored(ERIN).page(), "stored blank too, not only pushed blank");
        assertEquals(BBC, world.stored(ERIN).latestPage());
        assertEquals(Optional.of(Page.EMPTY), world.presence.pageOf(ALICE, ERIN));
    }

    @Test
    void defaultNoneWithNothingSharedYetHasAnEmptyLatestPage() {
        world.presence.updatePresence(ERIN, GITHUB_URL, "Repo");

        assertEquals(List.of(update(ERIN, Page.EMPTY, Page.EMPTY)), world.push.eventsFor(alice.id()));
    }

    @Test
    void defaultAllHidesDeniedDomainsWhateverTheirCase() {
        world.presence.updatePresence(FRANK, GITHUB_URL, "Repo");
        world.push.clear();

        world.presence.updatePresence(FRANK, "https://NEWS.BBC.CO.UK/sport", "Sport");

        assertEquals(List.of(update(FRANK, Page.EMPTY, GITHUB)), world.push.eventsFor(alice.id()));
        assertEquals(Page.EMPTY, world.stored(FRANK).page());
        assertEquals(GITHUB, world.stored(FRANK).latestPage());
    }

    @Test
    void defaultAllSharesEverythingElse() {
        world.presence.updatePresence(FRANK, GITHUB_URL, "Repo");

        assertEquals(List.of(update(FRANK, GITHUB, GITHUB)), world.push.eventsFor(alice.id()));
        assertEquals(Optional.of(GITHUB), world.presence.pageOf(ALICE, FRANK));
    }

    @Test
    void aUserWithoutKnownSettingsSharesWhatTheClientSends() {
        Connection zoe = world.presenceSocket("zoe");

        world.presence.updatePresence("zoe", BBC_URL, "News");

        assertEquals(BBC, world.stored("zoe").page());
        assertEquals(List.of(update("zoe", Page.EMPTY, Page.EMPTY), update("zoe", BBC, BBC)),
                world.push.eventsFor(zoe.id()));
    }
}
