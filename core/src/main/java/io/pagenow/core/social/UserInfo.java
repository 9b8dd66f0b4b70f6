package io.pagenow.core.social;

/** A user's public profile, as the user service stores it. {@code profileImageExtension} may be null. */
public record UserInfo(String userId, String firstName, String lastName, String profileImageExtension) {
}
