// One EventSource on /api/v1/events for the whole page, fanned out to the pages' listeners.
// When the stream breaks it reconnects by itself, backing off, and resumes after the last
// event it saw (?after=SEQ, which the server treats as Last-Event-ID); since a restarted
// server numbers its events afresh and a long gap cannot be replayed, every reconnection,
// an `event: reset` and any hole in the numbering tell the pages to fetch their state again.
import type { FlowEvent } from './context';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'unreachable' | 'unauthorized';

/** Every kind the server sends (docs/http-api.md, "Events"). */
export const EVENT_KINDS = [
  'started',
  'finished',
  'failed',
  'oom',
  'requeued',
  'lost',
  'task_added',
  'task_changed',
  'task_dropped',
  'gpu_sample',
  'setting',
  'all_done',
  'notice',
];

interface Subscriber {
  kinds: Set<string> | '*';
  fn: (e: FlowEvent) => void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

export class EventHub {
  private source: EventSource | null = null;
  private lastSeq: number | null = null;
  private retryMs = FIRST_RETRY_MS;
  private timer: number | undefined;
  private broken = false; // the stream failed since it was last live
  private subscribers = new Set<Subscriber>();
  private resyncs = new Set<() => void>();
  private connectionListeners = new Set<(c: Connection) => void>();
  connection: Connection = 'connecting';

  /** `probe` asks the server whether it is there: 0 unreachable, 401 refused, else fine. */
  constructor(private probe: () => Promise<number>) {}

  start() {
    this.open();
  }

  onEvent(kinds: string[] | '*', fn: (e: FlowEvent) => void): () => void {
    const s: Subscriber = { kinds: kinds === '*' ? '*' : new Set(kinds), fn };
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  onResync(fn: () => void): () => void {
    this.resyncs.add(fn);
    return () => this.resyncs.delete(fn);
  }

  onConnection(fn: (c: Connection) => void): () => void {
    this.connectionListeners.add(fn);
    return () => this.connectionListeners.delete(fn);
  }

  /** What an API answer revealed: a refused token, or an unreachable server. */
  noteReach(status: number) {
    if (status === 401) this.setConnection('unauthorized');
    else if (status === 0) {
      if (this.connection !== 'live') this.setConnection('unreachable');
    } else if (this.connection === 'unauthorized' || this.connection === 'unreachable') {
      this.setConnection(this.source?.readyState === EventSource.OPEN ? 'live' : 'reconnecting');
    }
  }

  private setConnection(c: Connection) {
    if (c === this.connection) return;
    this.connection = c;
    for (const fn of this.connectionListeners) fn(c);
  }

  private open() {
    const query = this.lastSeq === null ? '' : `?after=${this.lastSeq}`;
    const es = new EventSource(`/api/v1/events${query}`, { withCredentials: true });
    this.source = es;
    es.onopen = () => {
      this.retryMs = FIRST_RETRY_MS;
      this.setConnection('live');
      if (this.broken) {
        this.broken = false;
        this.resync();
      }
    };
    es.onerror = () => this.fail(es);
    for (const kind of EVENT_KINDS) es.addEventListener(kind, (m) => this.receive(m as MessageEvent));
    es.addEventListener('reset', (m) => {
      const seq = Number((m as MessageEvent).lastEventId);
      if (Number.isFinite(seq)) this.lastSeq = seq;
      this.resync();
    });
  }

  // The browser would retry on its own, at its own pace and without telling us; we close
  // and retry ourselves, to back off and to say what is going on meanwhile.
  private fail(es: EventSource) {
    if (es !== this.source) return;
    es.close();
    this.source = null;
    this.broken = true;
    if (this.connection === 'live' || this.connection === 'connecting') this.setConnection('reconnecting');
    window.clearTimeout(this.timer);
    void this.probe().then((status) => {
      if (status === 0) this.setConnection('unreachable');
      else if (status === 401) this.setConnection('unauthorized');
      else this.setConnection('reconnecting');
    });
    this.timer = window.setTimeout(() => this.open(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private receive(m: MessageEvent) {
    let e: FlowEvent;
    try {
      e = JSON.parse(m.data) as FlowEvent;
    } catch {
      return;
    }
    const seq = typeof e.seq === 'number' ? e.seq : Number(m.lastEventId);
    const gap = this.lastSeq !== null && (seq > this.lastSeq + 1 || seq <= this.lastSeq);
    this.lastSeq = seq;
    for (const s of [...this.subscribers]) {
      if (s.kinds !== '*' && !s.kinds.has(e.kind)) continue;
      try {
        s.fn(e);
      } catch (err) {
        console.error('event listener failed', err);
      }
    }
    if (gap) this.resync();
  }

  private resync() {
    for (const fn of [...this.resyncs]) {
      try {
        fn();
      } catch (err) {
        console.error('resync listener failed', err);
      }
    }
  }
}
