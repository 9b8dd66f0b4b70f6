import { backoff } from './format.js';

/**
 * One of the two WebSockets, kept open: on any close it reconnects after a backoff with jitter,
 * and tells its owner each time it opens again so the owner can catch up over REST. Events are
 * dispatched by their type through a table, so a new event type is one more entry.
 */
export class LiveSocket {
  constructor(path, token, handlers, { onState, onOpen, onRetry = () => {}, heartbeatMs = 60000 }) {
    this.url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}?Authorization=${encodeURIComponent(token)}`;
    this.handlers = handlers;
    this.onState = onState;
    this.onOpen = onOpen;
    this.onRetry = onRetry;
    this.heartbeatMs = heartbeatMs;
    this.attempt = 0;
    this.opened = 0;
    this.stopped = false;
    this.state = 'connecting';
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    this.setState('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.setState('open');
      this.heartbeat = setInterval(() => this.send({ action: 'heartbeat' }), this.heartbeatMs);
      this.onOpen(this.opened++ > 0);
    });
    ws.addEventListener('message', (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      const handler = data && typeof data.type === 'string' ? this.handlers[data.type] : undefined;
      if (handler) handler(data);
    });
    ws.addEventListener('close', () => {
      if (ws !== this.ws) return;
      clearInterval(this.heartbeat);
      if (this.stopped) return;
      const delay = backoff(this.attempt++);
      this.onRetry(this.attempt);
      this.retryAt = Date.now() + delay;
      this.setState('waiting');
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Sends when open; answers whether it was sent. */
  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  /** Reconnects at once, e.g. when the browser says it is online again. */
  retryNow() {
    if (this.state === 'waiting') {
      clearTimeout(this.timer);
      this.connect();
    }
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    if (this.ws) this.ws.close(1000, 'signed out');
    this.setState('closed');
  }

  setState(state) {
    this.state = state;
    this.onState();
  }
}
