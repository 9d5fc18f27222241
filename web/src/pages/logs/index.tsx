// The Logs page: any run's stdout or stderr, live or finished, followed as it grows and
// bounded in memory; search within it (hits marked, next/previous) and across every run of
// its task; ANSI colours; download; and FlowLine's own log with a level filter.
// Routes: #/logs (FlowLine's log), #/logs?run=12&stream=err[&q=text&at=OFFSET][&task=3].
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import type { AppContext, PageProps, PageStrings } from '../../app/context';
import { formatTime } from '../../app/format';
import type { Line } from './ansi';
import { parseLine } from './ansi';
import type { Hit } from './LogView';
import { LogView } from './LogView';
import { strings as logStrings } from './strings';
import { useRunLog } from './useRunLog';
import './logs.css';

export const strings: PageStrings = logStrings;

const RUN_PAGE = 30;
const MAX_HITS = 20000;

interface RunItem {
  run_id: number;
  task_id: number;
  attempt: number;
  state: string;
  start_ms: number | null;
  end_ms: number | null;
  running: boolean;
  name?: string;
}

/** Every place `q` occurs in the lines (case-insensitive), at most MAX_HITS. */
function findHits(lines: Line[], q: string, keep?: (i: number) => boolean): Hit[] {
  const hits: Hit[] = [];
  if (!q) return hits;
  const needle = q.toLowerCase();
  for (let i = 0; i < lines.length && hits.length < MAX_HITS; ++i) {
    if (keep && !keep(i)) continue;
    const text = lines[i].plain.toLowerCase();
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
      hits.push({ line: i, start: at, end: at + needle.length });
      if (hits.length >= MAX_HITS) break;
    }
  }
  return hits;
}

/** Search box with a hit counter and next/previous (Enter, Shift+Enter). */
function SearchBar(props: {
  t: AppContext['t'];
  q: string;
  setQ: (q: string) => void;
  hits: number;
  current: number;
  go: (delta: number) => void;
  id: string;
}) {
  const { t } = props;
  return (
    <div class="lg-search" role="search">
      <label for={props.id} class="visually-hidden">
        {t('logs.search_label')}
      </label>
      <input
        id={props.id}
        type="search"
        placeholder={t('logs.search_placeholder')}
        value={props.q}
        onInput={(e) => props.setQ((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            props.go(e.shiftKey ? -1 : 1);
          }
        }}
      />
      <span class="lg-count" aria-live="polite">
        {props.q ? (props.hits ? t('logs.hit_of', { i: props.current + 1, n: props.hits }) : t('logs.no_hits')) : ''}
      </span>
      <button type="button" class="btn" onClick={() => props.go(-1)} disabled={!props.hits} aria-label={t('logs.prev')}>
        ↑
      </button>
      <button type="button" class="btn" onClick={() => props.go(1)} disabled={!props.hits} aria-label={t('logs.next')}>
        ↓
      </button>
    </div>
  );
}

/** Hits and the current one for a query over lines; moving scrolls the view to it. */
function useSearch(lines: Line[], rev: number, q: string, keep?: (i: number) => boolean, keepKey?: string) {
  const hits = useMemo(() => findHits(lines, q, keep), [rev, q, keepKey]);
  const [current, setCurrent] = useState(-1);
  const [jump, setJump] = useState<{ line: number; n: number } | null>(null);
  useEffect(() => setCurrent(hits.length ? Math.min(Math.max(current, 0), hits.length - 1) : -1), [hits]);
  useEffect(() => {
    setCurrent(hits.length ? 0 : -1);
    if (hits.length) setJump((j) => ({ line: hits[0].line, n: (j?.n ?? 0) + 1 }));
  }, [q]);
  const go = (delta: number) => {
    if (!hits.length) return;
    const next = (current + delta + hits.length) % hits.length;
    setCurrent(next);
    setJump((j) => ({ line: hits[next].line, n: (j?.n ?? 0) + 1 }));
  };
  const goTo = (index: number) => {
    setCurrent(index);
    setJump((j) => ({ line: hits[index].line, n: (j?.n ?? 0) + 1 }));
  };
  return { hits, current, jump, go, goTo };
}

function bytesText(t: AppContext['t'], n: number): string {
  if (n < 1024) return t('logs.bytes', { n });
  if (n < 1 << 20) return t('logs.kib', { n: (n / 1024).toFixed(1) });
  return t('logs.mib', { n: (n / (1 << 20)).toFixed(1) });
}

interface Match {
  run_id: number;
  stream: string;
  line: number;
  offset: number;
  text: string;
}

function RunLog({ ctx, run, stream, at, initialQ }: { ctx: AppContext; run: number; stream: string; at: number | null; initialQ: string }) {
  const { t } = ctx;
  const [follow, setFollow] = useState(at === null);
  const [q, setQ] = useState(initialQ);
  const [info, setInfo] = useState<RunItem | null>(null);
  const [infoTick, setInfoTick] = useState(0);
  const [found, setFound] = useState<{ q: string; matches: Match[]; truncated: boolean; runs: number } | null>(null);
  const { win, rev, loadEarlier, poke } = useRunLog(ctx, run, stream, at, follow);
  const search = useSearch(win.lines, rev, q);

  useEffect(() => {
    let gone = false;
    ctx.api<RunItem>('GET', `/api/v1/runs/${run}`).then(
      (r) => !gone && setInfo(r),
      () => undefined,
    );
    return () => {
      gone = true;
    };
  }, [run, infoTick]);

  useEffect(
    () =>
      ctx.onEvent(['finished', 'failed', 'oom', 'lost', 'requeued'], (e) => {
        if (e.run_id !== run) return;
        poke();
        setInfoTick((x) => x + 1);
      }),
    [ctx, run],
  );
  useEffect(() => {
    if (win.tailCut) setFollow(false);
  }, [win.tailCut]);
  // A search hit opened at its offset: go to the first hit at or after it.
  const jumped = useRef(false);
  useEffect(() => {
    if (at === null || jumped.current || !search.hits.length) return;
    let offset = win.start;
    let line = 0;
    while (line < win.lines.length && offset + win.lines[line].bytes <= at) offset += win.lines[line++].bytes;
    const index = search.hits.findIndex((h) => h.line >= line);
    if (index >= 0) {
      jumped.current = true;
      search.goTo(index);
    }
  }, [search.hits]);

  const searchAll = async () => {
    if (!info || !q) return;
    try {
      const res = await ctx.api<{ matches: Match[]; truncated: boolean; runs: number }>(
        'GET',
        `/api/v1/tasks/${info.task_id}/logs?q=${encodeURIComponent(q)}&limit=200`,
      );
      setFound({ q, ...res });
    } catch (err) {
      ctx.toast((err as Error).message, 'error');
    }
  };

  const state = info ? (win.running ? t('logs.running') : t(`run.state.${info.state}`)) : '';
  return (
    <div class="lg-main">
      <div class="lg-head">
        <h2 id="lg-title">
          {t('logs.run_title', { run })}
          {info && (
            <>
              {' · '}
              <a href={`#/tasks?id=${info.task_id}`}>{info.name ? `${info.name} (#${info.task_id})` : t('logs.task', { id: info.task_id })}</a>
            </>
          )}
          {state && <span class={`badge ${win.running ? 'badge-ok' : ''} lg-state`}>{state}</span>}
        </h2>
        <div class="lg-tools">
          <div role="group" aria-label={t('logs.stream')} class="lg-streams">
            {(['out', 'err'] as const).map((s) => (
              <a
                key={s}
                class={`btn${s === stream ? ' btn-primary' : ''}`}
                aria-current={s === stream ? 'true' : undefined}
                href={`#/logs?run=${run}&stream=${s}`}
              >
                {t(`logs.std${s}`)}
              </a>
            ))}
          </div>
          <label class="lg-check">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} />
            {t('logs.follow')}
          </label>
          <a class="btn" href={`/api/v1/runs/${run}/log/raw?stream=${stream}`} download={`run-${run}.${stream}`}>
            {t('logs.download')}
          </a>
        </div>
      </div>
      <div class="lg-bar">
        <SearchBar t={t} q={q} setQ={setQ} hits={search.hits.length} current={search.current} go={search.go} id="lg-run-search" />
        <button type="button" class="btn" onClick={searchAll} disabled={!q || !info}>
          {info ? t('logs.search_task', { id: info.task_id }) : t('logs.search_task_plain')}
        </button>
      </div>
      {found && (
        <div class="lg-found panel" aria-label={t('logs.found_label')} role="region">
          <div class="lg-found-head">
            <strong>{t('logs.found', { n: found.matches.length, q: found.q, runs: found.runs })}</strong>
            {found.truncated && <span class="muted"> {t('logs.found_more')}</span>}
            <button type="button" class="btn btn-quiet" onClick={() => setFound(null)} aria-label={t('logs.close')}>
              ✕
            </button>
          </div>
          <ul>
            {found.matches.map((m) => (
              <li key={`${m.run_id}-${m.stream}-${m.offset}`}>
                <a href={`#/logs?run=${m.run_id}&stream=${m.stream}&q=${encodeURIComponent(found.q)}&at=${m.offset}`}>
                  {t('logs.match_where', { run: m.run_id, stream: m.stream, line: m.line || '?' })}
                </a>{' '}
                <code>{m.text}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {win.start > 0 && (
        <p class="lg-note">
          {t('logs.head_cut', { size: bytesText(t, win.start) })}{' '}
          <button type="button" class="btn" onClick={loadEarlier}>
            {t('logs.load_earlier')}
          </button>
        </p>
      )}
      {win.error && <p class="error-text">{t('error.load', { why: win.error })}</p>}
      {win.loading && !win.lines.length ? (
        <p class="muted">{t('logs.loading')}</p>
      ) : !win.lines.length && !win.error ? (
        <p class="muted lg-empty">{win.running ? t('logs.empty_running') : t('logs.empty')}</p>
      ) : null}
      <LogView
        lines={win.lines}
        label={t('logs.view_label', { run, stream: t(`logs.std${stream}`) })}
        hits={search.hits}
        current={search.current}
        follow={follow}
        revision={rev}
        jump={search.jump}
      />
      {(win.tailCut || (!follow && win.end < win.size)) && (
        <p class="lg-note">
          {t('logs.tail_cut', { size: bytesText(t, Math.max(0, win.size - win.end)) })}{' '}
          <button type="button" class="btn" onClick={() => setFollow(true)}>
            {t('logs.jump_end')}
          </button>
        </p>
      )}
    </div>
  );
}

interface OwnLine {
  timestamp: string;
  level: string;
  message: string;
}

const LEVELS = ['', 'INFO', 'WARNING', 'ERROR'];
const rank = (level: string) => {
  const i = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].indexOf(level.toUpperCase());
  return i < 0 ? 1 : i;
};

function OwnLog({ ctx }: { ctx: AppContext }) {
  const { t } = ctx;
  const [raw, setRaw] = useState<OwnLine[]>([]);
  const [maxLines, setMaxLines] = useState(1000);
  const [level, setLevel] = useState('');
  const [follow, setFollow] = useState(true);
  const [q, setQ] = useState('');
  const [error, setError] = useState('');
  const [rev, setRev] = useState(0);

  useEffect(() => {
    let gone = false;
    let timer = 0;
    const load = async () => {
      try {
        const res = await ctx.api<{ lines: OwnLine[] }>('GET', `/api/log/flowline.log?maxLines=${maxLines}`);
        if (gone) return;
        setRaw(res.lines);
        setError('');
        setRev((r) => r + 1);
      } catch (err) {
        if (!gone) setError((err as Error).message);
      }
      if (!gone && follow) timer = window.setTimeout(load, 2000);
    };
    void load();
    return () => {
      gone = true;
      window.clearTimeout(timer);
    };
  }, [maxLines, follow]);

  const shown = useMemo(() => raw.filter((l) => !level || rank(l.level) >= rank(level)), [raw, level]);
  const lines = useMemo(
    () => shown.map((l) => parseLine(l.timestamp ? `${l.timestamp}  [${l.level}]  ${l.message}` : l.message, {}).line),
    [shown],
  );
  const search = useSearch(lines, rev, q, undefined, level);

  const download = () => {
    const text = lines.map((l) => l.plain).join('\n') + '\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'flowline.log';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div class="lg-main">
      <div class="lg-head">
        <h2 id="lg-title">{t('logs.own_title')}</h2>
        <div class="lg-tools">
          <label class="lg-inline">
            {t('logs.level')}
            <select value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)} name="level">
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l ? t('logs.level_at_least', { level: l }) : t('logs.level_all')}
                </option>
              ))}
            </select>
          </label>
          <label class="lg-inline">
            {t('logs.max_lines')}
            <select value={String(maxLines)} onChange={(e) => setMaxLines(Number((e.target as HTMLSelectElement).value))}>
              {[200, 1000, 5000, 20000].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label class="lg-check">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} />
            {t('logs.follow')}
          </label>
          <button type="button" class="btn" onClick={download}>
            {t('logs.download')}
          </button>
        </div>
      </div>
      <div class="lg-bar">
        <SearchBar t={t} q={q} setQ={setQ} hits={search.hits.length} current={search.current} go={search.go} id="lg-own-search" />
        <span class="muted">{t('logs.own_count', { n: shown.length, all: raw.length })}</span>
      </div>
      {error && <p class="error-text">{t('error.load', { why: error })}</p>}
      <LogView
        lines={lines}
        label={t('logs.own_title')}
        hits={search.hits}
        current={search.current}
        follow={follow}
        revision={rev * 8 + LEVELS.indexOf(level)}
        jump={search.jump}
        className={(i) => {
          const r = rank(shown[i]?.level ?? '');
          return r >= 3 ? 'lg-error' : r === 2 ? 'lg-warn' : undefined;
        }}
      />
    </div>
  );
}

function RunList({ ctx, selected, task, setTask }: { ctx: AppContext; selected: number | null; task: string; setTask: (v: string) => void }) {
  const { t } = ctx;
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; runs: RunItem[] } | null>(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const taskId = /^\d+$/.test(task.trim()) ? Number(task.trim()) : null;

  useEffect(() => setOffset(0), [task]);
  useEffect(() => {
    let gone = false;
    const q = `offset=${offset}&limit=${RUN_PAGE}${taskId !== null ? `&task=${taskId}` : ''}`;
    ctx.api<{ total: number; runs: RunItem[] }>('GET', `/api/v1/runs?${q}`).then(
      (res) => {
        if (gone) return;
        setPage(res);
        setError('');
      },
      (err: Error) => !gone && setError(err.message),
    );
    return () => {
      gone = true;
    };
  }, [offset, taskId, tick]);
  // New and ended runs: the list again, at most once a second.
  useEffect(() => {
    let timer = 0;
    const off = ctx.onEvent(['started', 'finished', 'failed', 'oom', 'lost', 'requeued'], () => {
      if (!timer) timer = window.setTimeout(() => {
        timer = 0;
        setTick((x) => x + 1);
      }, 1000);
    });
    const offResync = ctx.onResync(() => setTick((x) => x + 1));
    return () => {
      off();
      offResync();
      window.clearTimeout(timer);
    };
  }, [ctx]);

  return (
    <nav class="lg-side panel" aria-label={t('logs.pick')}>
      <h2>{t('logs.files')}</h2>
      <ul class="lg-list">
        <li>
          <a href="#/logs" aria-current={selected === null ? 'page' : undefined}>
            {t('logs.own_title')}
          </a>
        </li>
      </ul>
      <label class="lg-field">
        {t('logs.filter_task')}
        <input type="text" inputMode="numeric" value={task} placeholder={t('logs.any_task')} onInput={(e) => setTask((e.target as HTMLInputElement).value)} />
      </label>
      {error && <p class="error-text">{error}</p>}
      <ul class="lg-list lg-runs">
        {page?.runs.map((r) => (
          <li key={r.run_id}>
            <a href={`#/logs?run=${r.run_id}&stream=out`} aria-current={selected === r.run_id ? 'page' : undefined} data-run={r.run_id}>
              <span>
                {t('logs.run_item', { run: r.run_id, task: r.task_id })}
                {r.name ? ` · ${r.name}` : ''}
              </span>
              <span class={`lg-runstate lg-${r.running ? 'running' : r.state}`}>{r.running ? t('logs.running') : t(`run.state.${r.state}`)}</span>
              <span class="muted lg-time">{formatTime(r.start_ms) ?? ''}</span>
            </a>
          </li>
        ))}
      </ul>
      {page && page.total === 0 && <p class="muted">{t('logs.no_runs')}</p>}
      {page && page.total > RUN_PAGE && (
        <div class="lg-pager">
          <button type="button" class="btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - RUN_PAGE))}>
            {t('logs.newer')}
          </button>
          <span class="muted">
            {t('logs.range', { from: offset + 1, to: Math.min(page.total, offset + RUN_PAGE), n: page.total })}
          </span>
          <button type="button" class="btn" disabled={offset + RUN_PAGE >= page.total} onClick={() => setOffset(offset + RUN_PAGE)}>
            {t('logs.older')}
          </button>
        </div>
      )}
    </nav>
  );
}

export default function Page({ ctx, params }: PageProps) {
  const { t } = ctx;
  const run = params.has('run') && /^\d+$/.test(params.get('run')!) ? Number(params.get('run')) : null;
  const stream = params.get('stream') === 'err' ? 'err' : 'out';
  const at = params.has('at') && /^\d+$/.test(params.get('at')!) ? Number(params.get('at')) : null;
  const [task, setTask] = useState(params.get('task') ?? '');
  return (
    <section class="lg-page" aria-labelledby="page-title">
      <h1 id="page-title" class="visually-hidden">
        {t('logs.title')}
      </h1>
      <div class="lg-layout">
        <RunList ctx={ctx} selected={run} task={task} setTask={setTask} />
        {run === null ? (
          <OwnLog ctx={ctx} />
        ) : (
          <RunLog key={`${run}-${stream}-${at}`} ctx={ctx} run={run} stream={stream} at={at} initialQ={params.get('q') ?? ''} />
        )}
      </div>
    </section>
  );
}
