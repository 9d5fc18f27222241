// The contract between the app shell (web/src/app) and the pages (web/src/pages/*): every page
// is a Preact component that receives an AppContext and never talks to fetch or EventSource
// itself, so connection state, reconnecting and the token live in one place.

/** One engine event, as `GET /api/v1/events` sends it (docs/http-api.md, "Events"). */
export interface FlowEvent {
  seq: number;
  kind: string; // started, finished, failed, oom, requeued, lost, task_added, task_changed,
  // task_dropped, gpu_sample, setting, all_done, notice
  time_ms: number;
  task_id?: number;
  run_id?: number;
  task_name?: string;
  text: string;
}

/** An answer other than 2xx: `message` is the server's `{"error": …}`, or why it failed. */
export class ApiError extends Error {
  constructor(
    public status: number, // 0 when the server could not be reached
    message: string,
  ) {
    super(message);
  }
}

export type Lang = 'en' | 'zh';
export type Strings = Record<string, string>;
/** A page's own strings, in both languages; the shell merges every page's into one table. */
export interface PageStrings {
  en: Strings;
  zh: Strings;
}

export interface AppContext {
  /** JSON request to the API; throws ApiError. Paths start with `/api/`. */
  api<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Calls `fn` for each live event of the given kinds ('*' = all); returns the unsubscribe. */
  onEvent(kinds: string[] | '*', fn: (e: FlowEvent) => void): () => void;
  /** Calls `fn` after the event stream came back from a gap it cannot replay: refetch state. */
  onResync(fn: () => void): () => void;
  /** The string for `key` in the current language; `{name}` in it is replaced from `vars`. */
  t(key: string, vars?: Record<string, string | number>): string;
  lang: Lang;
  /** Go to a page: '#/tasks?id=3', '#/logs?run=12&stream=err'. */
  navigate(hash: string): void;
  /** A short message at the corner of the screen (an action's answer or error). */
  toast(message: string, kind?: 'info' | 'error'): void;
  /** A modal yes/no question, keyboard-usable; resolves true on yes. */
  confirm(message: string): Promise<boolean>;
}

/** What a page module exports (web/src/pages/NAME/index.tsx). */
export interface PageProps {
  ctx: AppContext;
  /** The query part of the hash route: '#/tasks?id=3' gives id=3. */
  params: URLSearchParams;
}
