/**
 * The core's one exception root ({@link io.pagenow.core.error.PageNowException}) and its kinds,
 * which the {@code protocol} module maps to wire errors, plus the circuit breaker store adapters
 * use to fail fast. Knows no feature.
 */
package io.pagenow.core.error;
