// JSON requests to FlowLine's API. The page's cookie carries the token (the server traded
// ?token= for it), so nothing here knows the token.
import { ApiError } from './context';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Told of every answer's fate: 0 = unreachable, 401 = token refused, 200 = fine. */
export type ReachListener = (status: number) => void;

export function makeApi(onReach: ReachListener) {
  return async function api<T = unknown>(method: Method, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    } else if (method !== 'GET') {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = '{}';
    }
    let res: Response;
    try {
      res = await fetch(path, init);
    } catch {
      onReach(0);
      throw new ApiError(0, 'FlowLine cannot be reached (is it running?)');
    }
    onReach(res.status === 401 ? 401 : 200);
    const text = await res.text();
    let data: unknown = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (!res.ok) {
      const said =
        data && typeof data === 'object' && 'error' in data
          ? String((data as { error: unknown }).error)
          : `${res.status} ${res.statusText}`;
      throw new ApiError(res.status, said);
    }
    return data as T;
  };
}
