// Hash routes: #/gpus, #/tasks?state=failed, #/logs?run=12&stream=err, #/settings.
export const PAGE_NAMES = ['gpus', 'tasks', 'logs', 'settings'] as const;
export type PageName = (typeof PAGE_NAMES)[number];

export interface Route {
  page: PageName;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const name = (q >= 0 ? text.slice(0, q) : text).replace(/\/+$/, '');
  const params = new URLSearchParams(q >= 0 ? text.slice(q + 1) : '');
  const page = (PAGE_NAMES as readonly string[]).includes(name) ? (name as PageName) : 'gpus';
  return { page, params };
}
