// The Tasks page: the table as a live results grid. Rows come from the server a page at a
// time as the grid scrolls (never the whole table), filtered by state, searched and sorted by
// the server; events refresh the rows in view, at most a few times a second. Rows can be
// selected (click, Shift-click, Ctrl-click, keyboard, every match) and acted on together; one
// task opens in a panel (#/tasks?id=ID); tasks are added or copied with changes.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';

import type { PageProps, PageStrings } from '../../app/context';
import { Detail } from './Detail';
import { Grid, makeColumns } from './Grid';
import { TaskForm } from './TaskForm';
import { STATES, queryString } from './types';
import type { Query, Task, TaskPage, TaskState } from './types';
import { strings as taskStrings } from './strings';
import './tasks.css';

export const strings: PageStrings = taskStrings;

const PAGE = 100; // rows per request
const KEEP_PAGES = 30; // pages kept in memory (3,000 rows), the farthest dropped first
const REFRESH_GAP_MS = 400; // live refreshes at most this often
const LIVE_KINDS = ['started', 'finished', 'failed', 'oom', 'requeued', 'lost', 'task_added', 'task_changed', 'task_dropped'];
const CONCURRENCY = 6; // requests at once for an action on many tasks

interface Store {
  pages: Map<number, Task[]>;
  inflight: Set<number>;
  again: Set<number>; // asked to refresh while in flight
}
const newStore = (): Store => ({ pages: new Map(), inflight: new Set(), again: new Set() });

interface Meta {
  total: number;
  counts: Partial<Record<TaskState, number>>;
  columns: string[];
  loaded: boolean;
  error: string;
  showPeak: boolean;
}

type Action = 'drop' | 'retry' | 'priority';

function parseStates(text: string | null): TaskState[] {
  if (!text) return [];
  return text.split(',').filter((s): s is TaskState => (STATES as readonly string[]).includes(s));
}

export default function Page({ ctx, params }: PageProps) {
  const { t } = ctx;
  const [query, setQuery] = useState<Query>(() => ({
    states: parseStates(params.get('state')),
    q: params.get('q') ?? '',
    sort: '',
    desc: false,
  }));
  const [search, setSearch] = useState(query.q);
  const [meta, setMeta] = useState<Meta>({ total: 0, counts: {}, columns: [], loaded: false, error: '', showPeak: false });
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const [active, setActive] = useState(-1);
  const [now, setNow] = useState(() => Date.now());
  const [form, setForm] = useState<null | { from: Task | null }>(null);
  const [detailVersion, setDetailVersion] = useState(0);
  const [busy, setBusy] = useState('');
  const [priority, setPriority] = useState('0');
  const [queryGen, setQueryGen] = useState(0);

  const store = useRef<Store>(newStore());
  const queryRef = useRef(query);
  const range = useRef<[number, number]>([0, 40]);
  const anchor = useRef(-1);
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;
  const openId = params.has('id') ? Number(params.get('id')) : null;
  const openRef = useRef(openId);
  openRef.current = openId;
  const firstLoad = useRef(performance.now());

  const rowAt = useCallback((i: number) => store.current.pages.get(Math.floor(i / PAGE))?.[i % PAGE], []);

  const fetchPage = useCallback(async (p: number) => {
    const s = store.current;
    if (s.inflight.has(p)) {
      s.again.add(p);
      return;
    }
    s.inflight.add(p);
    try {
      const res = await ctxRef.current.api<TaskPage>(
        'GET',
        `/api/v1/tasks?${queryString(queryRef.current, { offset: p * PAGE, limit: PAGE })}`,
      );
      if (store.current !== s) return; // the query changed meanwhile
      s.pages.set(p, res.tasks);
      if (s.pages.size > KEEP_PAGES) {
        const mid = Math.floor((range.current[0] + range.current[1]) / 2 / PAGE);
        const far = [...s.pages.keys()].sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid));
        for (const k of far.slice(0, s.pages.size - KEEP_PAGES)) s.pages.delete(k);
      }
      const peak = res.tasks.some((x) => x.peak_mem_mib !== undefined || (x.runs ?? []).some((r) => r.peak_mem_mib !== undefined));
      setMeta((m) => ({
        total: res.total,
        counts: res.counts ?? m.counts,
        columns: res.columns ?? m.columns,
        loaded: true,
        error: '',
        showPeak: m.showPeak || peak,
      }));
      if (!document.body.dataset.tasksReadyMs) document.body.dataset.tasksReadyMs = String(Math.round(performance.now() - firstLoad.current));
      setVersion((v) => v + 1);
    } catch (err) {
      if (store.current === s) setMeta((m) => ({ ...m, error: (err as Error).message, loaded: true }));
    } finally {
      s.inflight.delete(p);
      if (s.again.delete(p) && store.current === s) void fetchPage(p);
    }
  }, []);

  // Fetches the pages of the rows in view that are not here yet.
  const ensure = useCallback(() => {
    const [a, b] = range.current;
    for (let p = Math.floor(a / PAGE); p <= Math.floor(Math.max(a, b) / PAGE); ++p)
      if (!store.current.pages.has(p) && !store.current.inflight.has(p)) void fetchPage(p);
  }, [fetchPage]);

  // Live: the pages in view fetched again (the others dropped), at most every REFRESH_GAP_MS.
  const refreshTimer = useRef(0);
  const lastRefresh = useRef(0);
  const refresh = useCallback(() => {
    if (refreshTimer.current) return;
    const wait = Math.max(50, lastRefresh.current + REFRESH_GAP_MS - Date.now());
    refreshTimer.current = window.setTimeout(() => {
      refreshTimer.current = 0;
      lastRefresh.current = Date.now();
      const s = store.current;
      const [a, b] = range.current;
      const lo = Math.floor(a / PAGE);
      const hi = Math.floor(Math.max(a, b) / PAGE);
      for (const k of [...s.pages.keys()]) if (k < lo || k > hi) s.pages.delete(k);
      for (let p = lo; p <= hi; ++p) void fetchPage(p);
    }, wait);
  }, [fetchPage]);

  // A new query: a new store, back to the top.
  useEffect(() => {
    queryRef.current = query;
    store.current = newStore();
    range.current = [0, 40];
    setActive(-1);
    setQueryGen((g) => g + 1);
    ensure();
  }, [query, ensure]);

  useEffect(() => {
    const offEvents = ctx.onEvent(LIVE_KINDS, (e) => {
      refresh();
      if (e.task_id !== undefined && e.task_id === openRef.current) setDetailVersion((v) => v + 1);
    });
    const offResync = ctx.onResync(() => {
      refresh();
      setDetailVersion((v) => v + 1);
    });
    return () => {
      offEvents();
      offResync();
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = 0;
    };
  }, [ctx, refresh]);

  // Search as the user types, a moment after the last key.
  useEffect(() => {
    if (search === query.q) return undefined;
    const timer = window.setTimeout(() => setQuery((q) => ({ ...q, q: search })), 250);
    return () => window.clearTimeout(timer);
  }, [search]);

  // Running rows' elapsed time moves once a second.
  const running = meta.counts.running ?? 0;
  useEffect(() => {
    if (!running) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  const rangeTimer = useRef(0);
  const onRange = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      window.clearTimeout(rangeTimer.current);
      rangeTimer.current = window.setTimeout(ensure, 40);
    },
    [ensure],
  );

  const columns = useMemo(() => makeColumns(t, meta.columns, meta.showPeak), [t, meta.columns, meta.showPeak]);

  const onSort = (key: string) =>
    setQuery((q) =>
      q.sort !== key ? { ...q, sort: key, desc: false } : !q.desc ? { ...q, desc: true } : { ...q, sort: '', desc: false },
    );

  const toggleState = (s: TaskState | 'all') =>
    setQuery((q) => {
      if (s === 'all') return { ...q, states: [] };
      const has = q.states.includes(s);
      return { ...q, states: has ? q.states.filter((x) => x !== s) : [...q.states, s] };
    });

  // Every id the query matches, in the order shown.
  const allIds = async (): Promise<number[]> => {
    const res = await ctx.api<TaskPage>('GET', `/api/v1/tasks?${queryString(queryRef.current, { limit: 1, runs: 0, ids: 1 })}`);
    return res.ids ?? [];
  };

  const onPick = async (i: number, how: 'only' | 'toggle' | 'range') => {
    const task = rowAt(i);
    if (how === 'only') {
      anchor.current = i;
      setSelected(new Set(task ? [task.id] : []));
      return;
    }
    if (how === 'toggle') {
      anchor.current = i;
      if (!task) return;
      setSelected((sel) => {
        const next = new Set(sel);
        if (next.has(task.id)) next.delete(task.id);
        else next.add(task.id);
        return next;
      });
      return;
    }
    const from = anchor.current < 0 ? i : anchor.current;
    const [a, b] = from < i ? [from, i] : [i, from];
    let ids: number[] = [];
    for (let k = a; k <= b; ++k) {
      const row = rowAt(k);
      if (!row) {
        ids = [];
        break;
      }
      ids.push(row.id);
    }
    if (ids.length !== b - a + 1) {
      try {
        ids = (await allIds()).slice(a, b + 1);
      } catch (err) {
        ctx.toast((err as Error).message, 'error');
        return;
      }
    }
    setSelected((sel) => new Set([...sel, ...ids]));
  };

  const selectAll = async () => {
    try {
      setSelected(new Set(await allIds()));
    } catch (err) {
      ctx.toast((err as Error).message, 'error');
    }
  };

  const act = useCallback(
    async (ids: number[], action: Action, prio?: number) => {
      const c = ctxRef.current;
      if (!ids.length) return;
      if ((action === 'drop' || ids.length > 100) && !(await c.confirm(c.t(`tasks.confirm_${action}`, { n: ids.length }))))
        return;
      let next = 0;
      let ok = 0;
      let lastMessage = '';
      const failures: { id: number; text: string }[] = [];
      const work = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          try {
            const answer = await c.api<{ message: string }>(
              'POST',
              `/api/v1/tasks/${id}/${action}`,
              action === 'priority' ? { priority: prio } : undefined,
            );
            lastMessage = answer.message;
            ++ok;
          } catch (err) {
            failures.push({ id, text: c.t('tasks.failed_one', { id, why: (err as Error).message }) });
          }
          if ((ok + failures.length) % 25 === 0) setBusy(c.t('tasks.progress', { done: ok + failures.length, n: ids.length }));
        }
      };
      setBusy(c.t('tasks.progress', { done: 0, n: ids.length }));
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, work));
      setBusy('');
      if (ok) c.toast(ids.length === 1 ? lastMessage : c.t(`tasks.done_${action}`, { n: ok }));
      // Answers arrive in any order (several requests at once); the toast lists them by id.
      failures.sort((a, b) => a.id - b.id);
      if (failures.length)
        c.toast(
          c.t('tasks.failures_toast', { n: failures.length, list: failures.slice(0, 3).map((f) => f.text).join('; ') }) +
            (failures.length > 3 ? ' …' : ''),
          'error',
        );
      refresh();
      setDetailVersion((v) => v + 1);
    },
    [refresh],
  );

  const selIds = [...selected];
  const countAll = STATES.reduce((n, s) => n + (meta.counts[s] ?? 0), 0);
  const prioOk = /^-?\d+$/.test(priority.trim());
  const closePanel = useCallback(() => {
    setForm(null);
    if (openRef.current !== null) ctxRef.current.navigate('#/tasks');
  }, []);

  return (
    <section class="tk-page" aria-labelledby="page-title">
      <div class="tk-top">
        <h1 id="page-title">{t('tasks.title')}</h1>
        <button type="button" class="btn btn-primary" onClick={() => setForm({ from: null })}>
          {t('tasks.add')}
        </button>
      </div>
      <div class="tk-toolbar">
        <div class="tk-chips" role="group" aria-label={t('tasks.filter_label')}>
          <button type="button" class="tk-chip" aria-pressed={query.states.length === 0} onClick={() => toggleState('all')}>
            {t('tasks.all')} <span class="tk-count">{countAll}</span>
          </button>
          {STATES.map((s) => (
            <button
              type="button"
              key={s}
              class={`tk-chip tk-chip-${s}`}
              data-state={s}
              aria-pressed={query.states.includes(s)}
              onClick={() => toggleState(s)}
            >
              {t(`tasks.state.${s}`)} <span class="tk-count">{meta.counts[s] ?? 0}</span>
            </button>
          ))}
        </div>
        <label class="tk-search">
          <span class="visually-hidden">{t('tasks.search_label')}</span>
          <input
            type="search"
            placeholder={t('tasks.search_placeholder')}
            value={search}
            onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <div class="tk-selbar" aria-label={t('tasks.selection_label')} role="group">
        <span role="status" class="tk-summary">
          {meta.loaded ? t('tasks.matching', { n: meta.total }) : t('tasks.loading')}
          {selected.size > 0 && ` · ${t('tasks.selected', { n: selected.size })}`}
          {busy && ` · ${busy}`}
        </span>
        <button type="button" class="btn" onClick={selectAll} disabled={!meta.total}>
          {t('tasks.select_all', { n: meta.total })}
        </button>
        <button type="button" class="btn" onClick={() => setSelected(new Set())} disabled={!selected.size}>
          {t('tasks.clear')}
        </button>
        <button type="button" class="btn" data-action="retry" onClick={() => act(selIds, 'retry')} disabled={!selected.size || !!busy}>
          {t('tasks.retry')}
        </button>
        <button type="button" class="btn" data-action="drop" onClick={() => act(selIds, 'drop')} disabled={!selected.size || !!busy}>
          {t('tasks.drop')}
        </button>
        <label class="tk-inline">
          <span>{t('tasks.col.priority')}</span>
          <input type="number" value={priority} onInput={(e) => setPriority((e.target as HTMLInputElement).value)} />
        </label>
        <button
          type="button"
          class="btn"
          data-action="priority"
          onClick={() => act(selIds, 'priority', Number(priority))}
          disabled={!selected.size || !prioOk || !!busy}
        >
          {t('tasks.set_priority')}
        </button>
      </div>
      {meta.error && <p class="error-text">{t('error.load', { why: meta.error })}</p>}
      <div class="tk-body">
        <Grid
          t={t}
          label={t('tasks.grid_label')}
          total={meta.total}
          rowAt={rowAt}
          columns={columns}
          sort={query.sort}
          desc={query.desc}
          onSort={onSort}
          selected={selected}
          active={active}
          onActive={setActive}
          onPick={onPick}
          onOpen={(i) => {
            const row = rowAt(i);
            if (row) ctx.navigate(`#/tasks?id=${row.id}`);
          }}
          onRange={onRange}
          now={now}
          version={version}
          resetScroll={queryGen}
        />
        {form ? (
          <aside class="tk-panel panel" aria-label={t('tasks.form_label')}>
            <TaskForm
              ctx={ctx}
              columns={meta.columns}
              from={form.from}
              onCancel={() => setForm(null)}
              onDone={(message) => {
                ctx.toast(message);
                setForm(null);
                refresh();
              }}
            />
          </aside>
        ) : (
          openId !== null &&
          Number.isFinite(openId) && (
            <Detail
              key={openId}
              ctx={ctx}
              id={openId}
              version={detailVersion}
              onClose={closePanel}
              onCopy={(task) => setForm({ from: task })}
              onAction={act}
            />
          )
        )}
      </div>
    </section>
  );
}
