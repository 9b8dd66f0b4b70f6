// REST calls of docs/protocol.md; the server is this page's own origin.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  async request(method, path, body) {
    const headers = { Authorization: this.token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'The server cannot be reached');
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
    if (!response.ok) {
      throw new ApiError(response.status, (json && typeof json.error === 'string') ? json.error : `HTTP ${response.status}`);
    }
    return json;
  }

  presence() { return this.request('GET', '/presence'); }
  conversations() { return this.request('GET', '/conversations'); }
  conversation(id) { return this.request('GET', `/conversations/${encodeURIComponent(id)}`); }

  /** One page oldest first: the newest page, or the page just older than message {@code before}. */
  messages(id, limit, before) {
    const query = new URLSearchParams({ limit: String(limit), order: 'asc' });
    if (before) query.set('before', before);
    return this.request('GET', `/conversations/${encodeURIComponent(id)}/messages?${query}`);
  }

  direct(userId) { return this.request('GET', `/conversation/direct/${encodeURIComponent(userId)}`); }
  create(recipientIdArr, isGroup, title) {
    return this.request('POST', '/conversation', { recipientIdArr, isGroup, title });
  }
}

/** Development mode only: the server's own issuer signs a token for any user id. */
export async function devMode() {
  try {
    return (await fetch('/dev/jwks.json')).ok;
  } catch {
    return false;
  }
}

export async function devToken(userId) {
  const response = await fetch('/dev/token', { method: 'POST', body: JSON.stringify({ userId }) });
  const json = await response.json().catch(() => null);
  if (!response.ok || !json || typeof json.token !== 'string') {
    throw new ApiError(response.status, (json && json.error) || 'No token');
  }
  return json.token;
}
