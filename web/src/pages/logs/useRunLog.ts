// A run's stdout or stderr as a window of lines over the file: following the end as it grows
// (GET /api/v1/runs/ID/log?offset=N, asked again from next_offset), bounded in memory (the
// head is let go past MAX_BYTES, and the page says how much), with earlier parts loaded on
// request (then the tail is let go instead, and following stops until asked again).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import type { AppContext } from '../../app/context';
import type { Line, Style } from './ansi';
import { parseLine, parseText, utf8Bytes } from './ansi';

export const MAX_BYTES = 2 << 20; // kept in memory
const CHUNK = 512 << 10; // asked for at once
const POLL_MS = 1000;

interface LogChunk {
  offset: number;
  next_offset: number;
  size: number;
  running: boolean;
  data: string;
}

export interface LogWindow {
  lines: Line[]; // complete lines, then the unfinished last one when there is one
  start: number; // byte offset of lines[0]
  end: number; // bytes read up to (next_offset)
  size: number; // the file's size when last asked
  running: boolean;
  tailCut: boolean; // later parts were let go (earlier ones were loaded)
  error: string;
  loading: boolean;
}

// One window; a new one for each run, stream or position, so that answers for an old one
// are recognised (st.current !== s) and dropped.
interface State extends LogWindow {
  run: number;
  stream: string;
  partial: boolean; // lines' last is the unfinished line
  rest: string; // its raw text
  style: Style; // the style after the complete lines
  bytes: number; // bytes of the complete lines
  pumping: boolean;
  again: boolean;
  timer: number;
}

const fresh = (run: number, stream: string): State => ({
  lines: [],
  start: 0,
  end: 0,
  size: 0,
  running: false,
  tailCut: false,
  error: '',
  loading: true,
  run,
  stream,
  partial: false,
  rest: '',
  style: {},
  bytes: 0,
  pumping: false,
  again: false,
  timer: 0,
});

/** Text that may begin inside a line: the bytes up to the first line's start, and the rest. */
function fromLineStart(data: string): { skipped: number; text: string } {
  const nl = data.indexOf('\n');
  const cut = nl < 0 ? data.length : nl + 1;
  return { skipped: utf8Bytes(data.slice(0, cut)), text: data.slice(cut) };
}

// Appends text read at `end`; lets the head go past MAX_BYTES.
function append(s: State, data: string, next: number) {
  if (s.partial) s.lines.pop();
  const parsed = parseText(s.rest + data, s.style);
  for (const l of parsed.lines) {
    s.lines.push(l);
    s.bytes += l.bytes;
  }
  s.rest = parsed.rest;
  s.style = parsed.style;
  s.end = next;
  let drop = 0;
  while (s.bytes > MAX_BYTES && drop < s.lines.length - 1) {
    s.bytes -= s.lines[drop].bytes;
    s.start += s.lines[drop].bytes;
    ++drop;
  }
  if (drop) s.lines.splice(0, drop);
  s.partial = s.rest !== '';
  if (s.partial) s.lines.push(parseLine(s.rest, s.style).line);
}

export function useRunLog(ctx: AppContext, run: number | null, stream: string, at: number | null, follow: boolean) {
  const st = useRef<State>(fresh(-1, stream));
  const [rev, setRev] = useState(0);
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;
  const followRef = useRef(follow);
  followRef.current = follow;
  const bump = () => setRev((r) => r + 1);

  const get = (s: State, offset: number, limit: number) =>
    ctxRef.current.api<LogChunk>('GET', `/api/v1/runs/${s.run}/log?stream=${s.stream}&offset=${offset}&limit=${limit}`);

  // Reads on from the end: at once while there is more, then every second while the run runs
  // (while following).
  const pump = async (s: State): Promise<void> => {
    if (st.current !== s || s.tailCut) return;
    if (s.pumping) {
      s.again = true;
      return;
    }
    s.pumping = true;
    window.clearTimeout(s.timer);
    let then: number | null = null;
    try {
      const chunk = await get(s, s.end, CHUNK);
      if (st.current !== s) return;
      s.size = chunk.size;
      s.running = chunk.running;
      s.error = '';
      if (chunk.data.length || chunk.next_offset !== s.end) append(s, chunk.data, chunk.next_offset);
      if (chunk.next_offset < chunk.size) then = 0;
      else if (chunk.running) then = POLL_MS;
    } catch (err) {
      if (st.current !== s) return;
      s.error = (err as Error).message;
      then = POLL_MS * 3;
    } finally {
      s.pumping = false;
    }
    s.loading = false;
    bump();
    if (s.again) {
      s.again = false;
      then = 0;
    }
    if (then === null || !followRef.current) return;
    s.timer = window.setTimeout(() => void pump(s), then);
  };

  // Opens a window: at `at` (a search hit), or on the last CHUNK bytes.
  const open = async () => {
    window.clearTimeout(st.current.timer);
    const s = fresh(run ?? -1, stream);
    st.current = s;
    bump();
    if (run === null) return;
    try {
      const head = await get(s, 0, 1);
      if (st.current !== s) return;
      const from = at !== null ? Math.max(0, at - (32 << 10)) : Math.max(0, head.size - CHUNK);
      s.size = head.size;
      s.running = head.running;
      if (from > 0) {
        const chunk = await get(s, from, CHUNK);
        if (st.current !== s) return;
        const { skipped, text } = fromLineStart(chunk.data);
        s.start = s.end = from + skipped;
        append(s, text, chunk.next_offset);
        s.loading = false;
        bump();
      }
      await pump(s);
    } catch (err) {
      if (st.current !== s) return;
      s.error = (err as Error).message;
      s.loading = false;
      bump();
    }
  };

  useEffect(() => {
    void open();
    return () => window.clearTimeout(st.current.timer);
  }, [run, stream, at]);

  // Following again: on from where it stopped (from the end, when the tail was let go).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!follow || run === null) return;
    if (st.current.tailCut) void open();
    else void pump(st.current);
  }, [follow]);

  // Loads up to CHUNK bytes before the window; past MAX_BYTES the window's tail is let go.
  const loadEarlier = useCallback(async () => {
    const s = st.current;
    if (s.start === 0 || s.run < 0) return;
    const from = Math.max(0, s.start - CHUNK);
    try {
      const chunk = await get(s, from, s.start - from);
      if (st.current !== s) return;
      let text = chunk.data;
      let start = from;
      if (from > 0) {
        const cut = fromLineStart(text);
        start = from + cut.skipped;
        text = cut.text;
      }
      // It ends where the window starts, at a line's start: every line of it is complete.
      const before = parseText(text, {}).lines;
      for (const l of before) s.bytes += l.bytes;
      s.lines.unshift(...before);
      s.start = start;
      if (s.bytes > MAX_BYTES) {
        if (s.partial) {
          s.lines.pop();
          s.end -= utf8Bytes(s.rest);
          s.rest = '';
          s.partial = false;
        }
        while (s.bytes > MAX_BYTES && s.lines.length > before.length) {
          const l = s.lines.pop()!;
          s.bytes -= l.bytes;
          s.end -= l.bytes;
        }
        s.style = {};
        s.tailCut = true;
        window.clearTimeout(s.timer);
      }
      bump();
    } catch (err) {
      ctxRef.current.toast((err as Error).message, 'error');
    }
  }, []);

  /** Something happened to the run (it ended): read on now. */
  const poke = useCallback(() => {
    if (followRef.current) void pump(st.current);
  }, []);

  return { win: st.current as LogWindow, rev, loadEarlier, reopen: open, poke };
}
