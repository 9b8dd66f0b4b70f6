import { Api, ApiError, devMode, devToken } from './api.js';
import { $, el } from './dom.js';
import { activeAgo, clockTime, displayName, safeHref } from './format.js';
import { LiveSocket } from './socket.js';

const PAGE_SIZE = 30;
const DEMO_USERS = ['alice', 'bob', 'carol', 'dave'];
const TOKEN_KEY = 'pagenow.token';
const PAGE_KEY = 'pagenow.myPage';

/** Everything the page knows; the DOM is redrawn from it. */
const state = {
  api: null,
  me: null,
  users: {},                 // userId -> UserInfo
  friends: new Map(),        // userId -> Presence
  myPresence: null,
  myPage: null,              // {url, title} shared by this tab, or null
  conversations: new Map(),  // conversationId -> ConversationSummary (plus participantIds)
  open: null,                // the open conversation, see openConversation
  seen: new Map(),           // conversationId -> Map(userId -> sentAt of the newest message when they read)
  chat: null,
  presence: null,
};

// ---- sign in -----------------------------------------------------------------------------------

async function boot() {
  $('sign-out').addEventListener('click', signOut);
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim());
  });
  $('dev-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signInAs($('dev-user').value.trim());
  });
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    signIn(saved);
  } else {
    await showSignIn('');
  }
}

async function showSignIn(message) {
  $('app').hidden = true;
  $('account').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  setConnection('signed-out', 'Signed out');
  if (await devMode()) {
    $('dev-sign-in').hidden = false;
    $('demo-users').replaceChildren(...DEMO_USERS.map((id) =>
      el('li', {}, el('button', { type: 'button', onclick: () => signInAs(id) }, `Sign in as ${id}`))));
  }
}

async function signInAs(userId) {
  if (!userId) return;
  try {
    signIn(await devToken(userId));
  } catch (error) {
    $('sign-in-error').textContent = `Could not sign in: ${error.message}`;
  }
}

async function signIn(token) {
  if (!token) return;
  state.api = new Api(token);
  let snapshot;
  try {
    snapshot = await state.api.presence();
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    await showSignIn(error instanceof ApiError && error.status === 401
      ? 'That token was refused (expired or not from this server\'s issuer).' : `Could not sign in: ${error.message}`);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  state.me = snapshot.userPresence.userId;
  applyPresenceSnapshot(snapshot);
  try {
    state.myPage = JSON.parse(sessionStorage.getItem(PAGE_KEY) || 'null');
  } catch { state.myPage = null; }
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('account').hidden = false;
  $('me-name').textContent = `Signed in as ${displayName(state.users[state.me], state.me)}`;
  wireApp();
  await refreshConversations();
  state.chat = new LiveSocket('/chat', token, chatEvents, { onState: renderConnection, onOpen: chatOpened, onRetry: checkToken });
  state.presence = new LiveSocket('/presence', token, presenceEvents, { onState: renderConnection, onOpen: presenceOpened, onRetry: checkToken });
}

function signOut() {
  state.chat?.close();
  state.presence?.close();
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PAGE_KEY);
  location.reload();
}

let wired = false;
function wireApp() {
  if (wired) return;
  wired = true;
  $('my-page-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setMyPage({ url: $('my-url').value.trim(), title: $('my-title').value.trim() });
  });
  $('hide-page').addEventListener('click', () => setMyPage({ url: '', title: '' }));
  $('send-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendMessage($('message').value);
  });
  $('group-form').addEventListener('submit', createGroup);
  $('history').addEventListener('scroll', () => {
    if ($('history').scrollTop < 60) loadOlder();
  });
  $('back').addEventListener('click', () => { $('app').dataset.view = 'list'; });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) markRead(); });
  window.addEventListener('online', () => { state.chat?.retryNow(); state.presence?.retryNow(); });
  setInterval(renderFriends, 30000);
  setInterval(renderConnection, 1000);
}

// ---- connection state ---------------------------------------------------------------------------

function setConnection(kind, text) {
  $('connection').dataset.state = kind;
  $('connection').textContent = text;
}

function renderConnection() {
  const sockets = [state.chat, state.presence].filter(Boolean);
  if (sockets.length < 2) return;
  if (sockets.every((s) => s.state === 'open')) {
    setConnection('online', 'Connected');
  } else if (sockets.some((s) => s.state === 'waiting')) {
    const next = Math.min(...sockets.filter((s) => s.state === 'waiting').map((s) => s.retryAt));
    setConnection('offline', `Connection lost, reconnecting in ${Math.max(1, Math.ceil((next - Date.now()) / 1000))} s`);
  } else if (sockets.some((s) => s.state === 'closed')) {
    setConnection('signed-out', 'Signed out');
  } else {
    setConnection('connecting', 'Connecting…');
  }
}

/**
 * A socket that keeps failing may be refused for an expired token (an upgrade refused with 401
 * looks like any failed connection to a page): REST says which, and a 401 signs out.
 */
function checkToken(attempt) {
  if (attempt === 3) state.api.presence().catch(handleApiError);
}

/** Events missed while a socket was down are read back over REST, then merged by id. */
async function chatOpened(reconnected) {
  if (reconnected) {
    await refreshConversations();
    if (state.open) await loadNewest(state.open.id);
  }
  // Sends that had no answer are sent again; the server stores a repeated tempMessageId once.
  if (state.open) {
    for (const message of state.open.messages.values()) {
      if (message.pending && !message.failed) state.chat.send(sendFrame(message));
    }
  }
  markRead();
}

async function presenceOpened(reconnected) {
  if (reconnected) {
    try {
      applyPresenceSnapshot(await state.api.presence());
    } catch (error) {
      handleApiError(error);
    }
  }
  if (state.myPage) state.presence.send({ action: 'update-presence', ...state.myPage });
  else state.presence.send({ action: 'heartbeat' });
  renderMyPage();
}

function handleApiError(error) {
  if (error instanceof ApiError && error.status === 401) {
    state.chat?.close();
    state.presence?.close();
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn('Your session has expired: sign in again.');
    return;
  }
  notice(error.message);
}

function notice(text) {
  const item = el('p', { class: 'notice' }, text,
    el('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  $('notices').append(item);
  setTimeout(() => item.remove(), 8000);
}

// ---- presence -----------------------------------------------------------------------------------

function applyPresenceSnapshot(snapshot) {
  state.users = { ...state.users, ...(snapshot.userInfoMap || {}) };
  state.myPresence = snapshot.userPresence;
  state.friends = new Map((snapshot.presenceArr || []).map((p) => [p.userId, p]));
  renderFriends();
  renderGroupMembers();
  renderMyPage();
}

const presenceEvents = {
  'update-presence': (event) => {
    const page = { url: event.url ?? '', title: event.title ?? '', domain: event.domain ?? '' };
    const latestPage = { url: event.latestUrl ?? '', title: event.latestTitle ?? '', domain: event.latestDomain ?? '' };
    const presence = { userId: event.userId, page, latestPage, online: true, lastSeenAt: new Date().toISOString() };
    if (event.userId === state.me) {
      state.myPresence = presence;
      renderMyPage();
    } else {
      state.friends.set(event.userId, presence);
      renderFriends();
    }
  },
  'presence-timeout': (event) => {
    const friend = state.friends.get(event.userId);
    if (!friend) return;
    state.friends.set(event.userId, { ...friend, online: false, page: null, latestPage: null });
    renderFriends();
  },
  error: (event) => notice(`Presence: ${event.message}`),
};

function setMyPage(page) {
  state.myPage = page.url || page.title ? page : null;
  sessionStorage.setItem(PAGE_KEY, JSON.stringify(state.myPage));
  if (!state.presence.send({ action: 'update-presence', url: page.url, title: page.title })) {
    notice('Not connected: your page is shared when the connection is back.');
  }
  renderMyPage();
}

function renderMyPage() {
  const page = state.myPage;
  $('my-page-now').replaceChildren(page
    ? el('span', {}, 'Sharing: ', pageView(page.url, page.title, state.myPresence?.page?.domain))
    : 'Not sharing a page');
}

/** A page's title, linked only when its URL is http or https, and its domain. */
function pageView(url, title, domain) {
  const href = safeHref(url);
  const label = title || url || 'a page';
  return el('span', { class: 'page' },
    href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : el('span', { class: 'page-title' }, label),
    domain ? el('span', { class: 'domain' }, domain) : null);
}

function renderFriends() {
  const now = Date.now();
  const friends = [...state.friends.values()].sort((a, b) =>
    (b.online - a.online) || displayName(state.users[a.userId], a.userId).localeCompare(displayName(state.users[b.userId], b.userId)));
  $('no-friends').hidden = friends.length > 0;
  $('friends').replaceChildren(...friends.map((friend) => {
    const name = displayName(state.users[friend.userId], friend.userId);
    const online = friend.online !== false && friend.page !== null;
    let detail;
    if (!online) detail = el('span', { class: 'muted last-seen' }, activeAgo(friend.lastSeenAt, now));
    else if (friend.page && (friend.page.url || friend.page.title)) detail = pageView(friend.page.url, friend.page.title, friend.page.domain);
    else detail = el('span', { class: 'muted' }, 'online, page not shared');
    return el('li', { class: 'friend', 'data-user': friend.userId, 'data-online': String(online) },
      el('span', { class: `dot ${online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
      el('div', { class: 'who' },
        el('span', { class: 'name' }, name, el('span', { class: 'visually-hidden' }, online ? ' (online)' : ' (offline)')),
        detail),
      el('button', { type: 'button', class: 'quiet', onclick: () => openDirect(friend.userId), 'aria-label': `Message ${name}` }, 'Message'));
  }));
}

function renderGroupMembers() {
  $('group-members').replaceChildren(...[...state.friends.keys()].map((id) =>
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'member', value: id }),
      ` ${displayName(state.users[id], id)}`)));
}

// ---- conversations ------------------------------------------------------------------------------

async function refreshConversations() {
  try {
    const list = await state.api.conversations();
    state.conversations = new Map(list.map((c) => [c.conversationId, c]));
    renderConversations();
  } catch (error) {
    handleApiError(error);
  }
}

function conversationName(summary) {
  if (summary.isGroup) return summary.title || 'Group';
  const other = summary.participantIds?.[0] ?? summary.participantId;
  return displayName(state.users[other], other);
}

function renderConversations() {
  const list = [...state.conversations.values()].sort((a, b) => (b.sentAt || '').localeCompare(a.sentAt || ''));
  $('no-conversations').hidden = list.length > 0;
  $('conversations').replaceChildren(...list.map((c) => {
    const unread = c.unreadCount ?? (c.isRead ? 0 : 1);
    const name = conversationName(c);
    const sender = c.senderId === state.me ? 'You' : displayName(state.users[c.senderId], c.senderId);
    return el('li', {},
      el('button', {
        type: 'button', class: 'conversation', 'data-conversation': c.conversationId,
        'aria-current': state.open?.id === c.conversationId ? 'true' : null, onclick: () => openConversation(c.conversationId),
      },
      el('span', { class: 'conversation-name' }, name),
      unread > 0 ? el('span', { class: 'unread', 'aria-label': `${unread} unread` }, String(unread)) : null,
      el('span', { class: 'preview' }, `${sender}: ${c.latestContent ?? ''}`),
      el('time', { class: 'when', datetime: c.sentAt }, clockTime(c.sentAt))));
  }));
}

async function openDirect(userId) {
  try {
    const existing = await state.api.direct(userId);
    const id = existing ? existing.conversationId : (await state.api.create([userId], false, '')).conversationId;
    await openConversation(id);
  } catch (error) {
    handleApiError(error);
  }
}

async function createGroup(event) {
  event.preventDefault();
  const members = [...$('group-form').querySelectorAll('input[name=member]:checked')].map((box) => box.value);
  if (members.length < 2) {
    notice('A group needs at least two friends besides you.');
    return;
  }
  try {
    const { conversationId } = await state.api.create(members, true, $('group-title').value.trim());
    $('group-form').reset();
    await openConversation(conversationId);
  } catch (error) {
    handleApiError(error);
  }
}

async function openConversation(id) {
  let conversation;
  try {
    conversation = await state.api.conversation(id);
  } catch (error) {
    handleApiError(error);
    return;
  }
  state.open = { id, conversation, messages: new Map(), oldestId: null, hasMore: true, loading: false };
  $('app').dataset.view = 'chat';
  $('chat-title').textContent = conversation.isGroup ? conversation.title
    : displayName(state.users[conversation.participantIds?.[0] ?? conversation.participantId], conversation.participantId);
  $('send-form').hidden = false;
  $('messages').replaceChildren();
  await loadNewest(id);
  renderConversations();
  markRead();
  $('message').focus();
}

/** The newest page, merged by messageId into what is held (after a reconnect: what was missed). */
async function loadNewest(id) {
  try {
    const page = await state.api.messages(id, PAGE_SIZE);
    const open = state.open;
    if (open?.id !== id) return;
    const held = [...open.messages.values()].filter((m) => !m.pending);
    // More were missed than one page holds: the gap cannot be shown, so start again from this page.
    const gap = held.length > 0 && page.length === PAGE_SIZE && !page.some((m) => open.messages.has(m.messageId));
    if (gap) for (const m of held) open.messages.delete(m.messageId);
    if (open.oldestId === null || gap) {
      open.hasMore = page.length === PAGE_SIZE;
      open.oldestId = page[0]?.messageId ?? null;
    }
    for (const message of page) open.messages.set(message.messageId, message);
    renderMessages(true);
  } catch (error) {
    handleApiError(error);
  }
}

async function loadOlder() {
  const open = state.open;
  if (!open || !open.hasMore || open.loading || !open.oldestId) return;
  open.loading = true;
  $('history-state').textContent = 'Loading older messages…';
  try {
    const page = await state.api.messages(open.id, PAGE_SIZE, open.oldestId);
    if (state.open !== open) return;
    open.hasMore = page.length === PAGE_SIZE;
    if (page.length) open.oldestId = page[0].messageId;
    const history = $('history');
    const fromBottom = history.scrollHeight - history.scrollTop;
    for (const message of page) open.messages.set(message.messageId, message);
    renderMessages(false);
    history.scrollTop = history.scrollHeight - fromBottom;
  } catch (error) {
    handleApiError(error);
  } finally {
    open.loading = false;
  }
}

function renderMessages(stickToBottom) {
  const open = state.open;
  const history = $('history');
  const atBottom = history.scrollHeight - history.scrollTop - history.clientHeight < 80;
  const ordered = [...open.messages.values()].sort((a, b) =>
    (Number(!!a.pending) - Number(!!b.pending)) || (a.sentAt || '').localeCompare(b.sentAt || '') || 0);
  $('history-state').textContent = open.hasMore ? '' : (ordered.length ? 'Start of the conversation' : 'No messages yet: say hello.');
  $('messages').replaceChildren(...ordered.map((m) => {
    const mine = m.senderId === state.me;
    return el('li', {
      class: `message ${mine ? 'mine' : 'theirs'}${m.pending ? ' pending' : ''}${m.failed ? ' failed' : ''}`,
      'data-message-id': m.pending ? null : m.messageId, 'data-temp-id': m.tempMessageId ?? null,
    },
    open.conversation.isGroup && !mine ? el('span', { class: 'sender' }, displayName(state.users[m.senderId], m.senderId)) : null,
    el('p', { class: 'content' }, m.content),
    el('span', { class: 'meta' },
      m.failed ? [`Not sent: ${m.failed} `, el('button', { type: 'button', class: 'quiet', onclick: () => retry(m) }, 'Retry')]
        : m.pending ? 'Sending…' : el('time', { datetime: m.sentAt }, clockTime(m.sentAt))));
  }));
  renderReceipt();
  if (stickToBottom || atBottom) history.scrollTop = history.scrollHeight;
}

/** "Seen" under my newest message once another participant has read past it. */
function renderReceipt() {
  const open = state.open;
  const receipt = $('receipt');
  const stored = [...open.messages.values()].filter((m) => !m.pending).sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  const newest = stored[stored.length - 1];
  const readers = [...(state.seen.get(open.id) || new Map())]
    .filter(([, upTo]) => newest && upTo >= newest.sentAt).map(([userId]) => userId);
  if (!newest || newest.senderId !== state.me || readers.length === 0) {
    receipt.hidden = true;
    return;
  }
  receipt.hidden = false;
  receipt.textContent = open.conversation.isGroup
    ? `Seen by ${readers.map((id) => displayName(state.users[id], id)).join(', ')}` : 'Seen';
}

function markRead() {
  const open = state.open;
  if (!open || document.hidden) return;
  const summary = state.conversations.get(open.id);
  if (summary && (summary.unreadCount ?? 0) === 0 && summary.isRead !== false) return;
  state.chat?.send({ action: 'read-messages', conversationId: open.id });
}

// ---- sending ------------------------------------------------------------------------------------

function sendFrame(message) {
  return { action: 'send-message', tempMessageId: message.tempMessageId, conversationId: message.conversationId, content: message.content };
}

function sendMessage(text) {
  const content = text.trim();
  if (!content || !state.open) return;
  const tempMessageId = `t-${crypto.randomUUID()}`;
  const message = {
    messageId: tempMessageId, tempMessageId, conversationId: state.open.id, senderId: state.me,
    content, sentAt: new Date().toISOString(), pending: true, failed: null,
  };
  state.open.messages.set(tempMessageId, message);
  $('message').value = '';
  // Not connected: it stays "Sending…" and goes out when the socket is back (chatOpened).
  state.chat.send(sendFrame(message));
  renderMessages(true);
}

function retry(message) {
  message.failed = null;
  state.chat.send(sendFrame(message));
  renderMessages(false);
}

const chatEvents = {
  'new-message': (event) => {
    const open = state.open;
    const mine = event.senderId === state.me;
    if (open && open.id === event.conversationId) {
      if (event.tempMessageId && open.messages.has(event.tempMessageId) && mine) open.messages.delete(event.tempMessageId);
      open.messages.set(event.messageId, {
        messageId: event.messageId, conversationId: event.conversationId, senderId: event.senderId,
        content: event.content, sentAt: event.sentAt, tempMessageId: mine ? event.tempMessageId : undefined,
      });
      renderMessages(mine);
    }
    const summary = state.conversations.get(event.conversationId);
    if (!summary) {
      refreshConversations();
      return;
    }
    const reading = open && open.id === event.conversationId && !document.hidden;
    Object.assign(summary, { sentAt: event.sentAt, latestContent: event.content, senderId: event.senderId });
    if (!mine && !reading) summary.unreadCount = (summary.unreadCount ?? 0) + 1;
    summary.isRead = mine || reading;
    renderConversations();
    if (!mine && reading) state.chat.send({ action: 'read-messages', conversationId: event.conversationId });
  },
  'read-messages': (event) => {
    if (event.userId === state.me) {
      const summary = state.conversations.get(event.conversationId);
      if (summary) Object.assign(summary, { unreadCount: 0, isRead: true });
      renderConversations();
      return;
    }
    const summary = state.conversations.get(event.conversationId);
    const openNewest = state.open?.id === event.conversationId
      ? [...state.open.messages.values()].filter((m) => !m.pending).map((m) => m.sentAt).sort().pop() : undefined;
    const upTo = openNewest ?? summary?.sentAt ?? new Date().toISOString();
    if (!state.seen.has(event.conversationId)) state.seen.set(event.conversationId, new Map());
    state.seen.get(event.conversationId).set(event.userId, upTo);
    if (state.open?.id === event.conversationId) renderReceipt();
  },
  error: (event) => {
    const open = state.open;
    const message = event.tempMessageId && open ? open.messages.get(event.tempMessageId) : null;
    if (message) {
      message.failed = event.message || `error ${event.code}`;
      renderMessages(false);
    }
    notice(`${event.action ? `${event.action}: ` : ''}${event.message || `error ${event.code}`}`);
  },
};

boot();
