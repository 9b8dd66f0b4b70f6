// Pure helpers: no DOM, no state, so they are easy to reason about and reuse.

/** The URL itself when it is an http or https URL, else null: nothing else ever becomes a link. */
export function safeHref(url) {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** "active just now", "active 5 minutes ago", ... from an ISO time, relative to now (ms). */
export function activeAgo(iso, now) {
  if (!iso) return 'offline';
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return 'offline';
  if (seconds < 60) return 'active just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `active ${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `active ${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return `active ${days} day${days === 1 ? '' : 's'} ago`;
}

export function clockTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function displayName(userInfo, userId) {
  const name = userInfo ? `${userInfo.first_name ?? ''} ${userInfo.last_name ?? ''}`.trim() : '';
  return name || userId;
}

/** Reconnect delay: exponential from 1 s, capped at 30 s, with full jitter over its upper half. */
export function backoff(attempt, random = Math.random) {
  const ceiling = Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}
