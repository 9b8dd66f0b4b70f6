package io.pagenow.postgres;

import io.pagenow.core.contract.SocialGraphContract;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;
import io.pagenow.core.testing.SocialFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The core's social graph contract on the user service's tables, filled as the user service would. */
class PostgresSocialGraphTest extends SocialGraphContract {

    private static TestStores db;

    @BeforeAll
    static void openStores() {
        db = TestStores.open("social_contract");
    }

    @AfterAll
    static void closeStores() {
        db.close();
    }

    @Override
    protected SocialGraph graph(SocialFixture fixture) {
        try (Connection c = db.schema.connect()) {
            insert(c, fixture);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return db.stores.socialGraph();
    }

    /** Writes the fixture's users and friendships into user_table and friendship_table. */
    static void insert(Connection c, SocialFixture fixture) throws SQLException {
        for (UserInfo user : fixture.users()) {
            ShareSettings settings = fixture.shareSettings().getOrDefault(user.userId(), ShareSettings.shareAll());
            try (PreparedStatement p = c.prepareStatement("INSERT INTO user_table (user_id, email, first_name,"
                    + " last_name, profile_image_extension, share_mode, domain_allow_array, domain_deny_array)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, user.userId());
                p.setString(2, user.userId() + "@example.com");
                p.setString(3, user.firstName());
                p.setString(4, user.lastName());
                p.setString(5, user.profileImageExtension());
                p.setString(6, settings.mode().wireName());
                p.setArray(7, c.createArrayOf("varchar", settings.allowedDomains().toArray()));
                p.setArray(8, c.createArrayOf("varchar", settings.deniedDomains().toArray()));
                p.executeUpdate();
            }
        }
        for (List<String> pair : fixture.acceptedFriendships()) {
            friendship(c, pair, true);
        }
        for (List<String> pair : fixture.pendingFriendships()) {
            friendship(c, pair, false);
        }
    }

    private static void friendship(Connection c, List<String> pair, boolean accepted) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO friendship_table (user_id1, user_id2, requested_at,"
                + " accepted_at) VALUES (?, ?, now() AT TIME ZONE 'utc', "
                + (accepted ? "now() AT TIME ZONE 'utc'" : "NULL") + ")")) {
            p.setString(1, pair.get(0));
            p.setString(2, pair.get(1));
            p.executeUpdate();
        }
    }
}
