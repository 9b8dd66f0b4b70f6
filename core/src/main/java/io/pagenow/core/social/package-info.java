/**
 * Who users are to each other, shared by chat and presence: user info and share settings, read
 * through the outbound port in {@code social.port.out}. Knows no feature.
 */
package io.pagenow.core.social;
