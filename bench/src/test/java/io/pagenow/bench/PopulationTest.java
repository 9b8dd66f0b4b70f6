package io.pagenow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PopulationTest {

    @ParameterizedTest
    @CsvSource({"12, 5", "10, 2", "2000, 5", "7, 4", "400, 6"})
    void everyUserOfTheRingHasExactlyTheAskedNumberOfFriends(int users, int degree) {
        Map<String, Set<String>> friends = Population.circulant("p", users, degree).friendsByUser();

        assertEquals(users, friends.size());
        friends.forEach((user, theirs) -> {
            assertEquals(degree, theirs.size(), user);
            assertFalse(theirs.contains(user), user + " befriends itself");
            theirs.forEach(friend -> assertTrue(friends.get(friend).contains(user), "not mutual: " + user + "-" + friend));
        });
    }

    @Test
    void anOddDegreeNeedsAnEvenRing() {
        assertThrows(IllegalArgumentException.class, () -> Population.circulant("p", 7, 3));
        assertThrows(IllegalArgumentException.class, () -> Population.circulant("p", 5, 5));
    }

    @Test
    void theSeedFileHasTheServersShape() {
        JsonNode seed = Wire.parse(Population.circulant("u", 4, 2).seedJson());

        assertEquals(4, seed.get("users").size());
        assertEquals("u0", seed.get("users").get(0).get("user_id").asText());
        assertTrue(seed.get("users").get(0).has("first_name"));
        assertTrue(seed.get("users").get(0).has("last_name"));
        assertEquals(4, seed.get("friendships").size());
        assertEquals(2, seed.get("friendships").get(0).size());
    }

    @Test
    void theSqlInsertsEveryUserSharingEverythingAndEveryFriendshipAccepted() {
        String sql = Population.circulant("u", 4, 2).sql();

        assertTrue(sql.contains("('u3','u3@bench.invalid','Bench','u3','default_all')"), sql);
        assertTrue(sql.contains("('u3','u0',now(),now())"), sql);
    }

    @Test
    void mergingKeepsEachUserOnce() {
        Population merged = Population.merge(java.util.List.of(Population.circulant("a", 4, 2), Population.circulant("a", 4, 2),
                Population.of(java.util.List.of("b0"))));

        assertEquals(5, merged.users().size());
    }
}
