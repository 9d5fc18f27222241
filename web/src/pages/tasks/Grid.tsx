// The task grid: a virtualised ARIA grid (only the rows in view, and a few more, are in the
// DOM; the rest is a spacer), with a sticky header of sortable columns. Rows not fetched yet
// show as placeholders until their page arrives. Keyboard: arrows/PageUp/PageDown/Home/End
// move the active row, Shift extends the selection, Space selects, Enter opens the task.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';

import { formatDuration, formatMiB } from '../../app/format';
import type { Task } from './types';
import { elapsedSeconds, peakMiB, whyText } from './types';

export const ROW_H = 32;
const OVERSCAN = 8;

export interface Column {
  key: string; // the sort key sent to the server, or '' when it cannot sort by this column
  id: string; // unique within the grid
  label: string;
  width: number;
  num?: boolean;
  cell: (t: Task, now: number) => JSX.Element | string;
}

type T = (key: string, vars?: Record<string, string | number>) => string;

export function makeColumns(t: T, params: string[], showPeak: boolean): Column[] {
  const cols: Column[] = [
    { key: 'id', id: 'id', label: t('tasks.col.id'), width: 64, num: true, cell: (x) => String(x.id) },
    {
      key: 'name',
      id: 'name',
      label: t('tasks.col.name'),
      width: 170,
      cell: (x) => (
        <a href={`#/tasks?id=${x.id}`} tabIndex={-1}>
          {x.name}
        </a>
      ),
    },
    {
      key: 'state',
      id: 'state',
      label: t('tasks.col.state'),
      width: 108,
      cell: (x) => <span class={`badge tk-state tk-${x.state}`}>{t(`tasks.state.${x.state}`)}</span>,
    },
    {
      key: 'run_num',
      id: 'runs',
      label: t('tasks.col.runs'),
      width: 72,
      num: true,
      cell: (x) => `${x.run_num}/${x.need_run_num}`,
    },
    { key: 'gpus', id: 'gpus', label: t('tasks.col.gpus'), width: 60, num: true, cell: (x) => String(x.gpus) },
    {
      key: '',
      id: 'time',
      label: t('tasks.col.time'),
      width: 96,
      num: true,
      cell: (x, now) => {
        const e = elapsedSeconds(x, now);
        if (!e) return '';
        const text = formatDuration(e.seconds) ?? '';
        return e.live ? <span title={t('tasks.elapsed')}>{text}</span> : <span title={t('tasks.duration')}>{text}</span>;
      },
    },
  ];
  if (showPeak)
    cols.push({
      key: '',
      id: 'peak',
      label: t('tasks.col.peak'),
      width: 96,
      num: true,
      cell: (x) => formatMiB(peakMiB(x)) ?? '',
    });
  cols.push({ key: 'priority', id: 'priority', label: t('tasks.col.priority'), width: 84, num: true, cell: (x) => String(x.priority) });
  for (const p of params)
    cols.push({ key: p, id: `p:${p}`, label: p, width: 110, cell: (x) => x.params[p] ?? '' });
  cols.push({
    key: 'last_error',
    id: 'why',
    label: t('tasks.col.why'),
    width: 320,
    cell: (x) => {
      const why = whyText(x);
      return <span class={x.state === 'failed' ? 'error-text' : 'muted'} title={why}>{why}</span>;
    },
  });
  return cols;
}

interface Props {
  t: T;
  label: string;
  total: number;
  rowAt: (i: number) => Task | undefined;
  columns: Column[];
  sort: string;
  desc: boolean;
  onSort: (key: string) => void;
  selected: Set<number>;
  active: number;
  onActive: (i: number) => void;
  onPick: (i: number, how: 'only' | 'toggle' | 'range') => void;
  onOpen: (i: number) => void;
  onRange: (first: number, last: number) => void;
  now: number;
  version: number;
  resetScroll: number; // changes when the query changes: back to the top
}

export function Grid(p: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return undefined;
    const measure = () => setHeight(el.clientHeight || 600);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [p.resetScroll]);

  const bodyH = Math.max(0, height - ROW_H);
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(p.total - 1, Math.floor((scrollTop + bodyH) / ROW_H) + OVERSCAN);
  const firstVisible = Math.min(Math.floor(scrollTop / ROW_H), Math.max(0, p.total - 1));
  const lastVisible = Math.min(p.total - 1, Math.floor((scrollTop + bodyH - 1) / ROW_H));

  useEffect(() => {
    p.onRange(Math.max(0, firstVisible - 10), Math.max(firstVisible, lastVisible + 10));
  }, [firstVisible, lastVisible, p.total, p.resetScroll]);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (scroller.current) setScrollTop(scroller.current.scrollTop);
    });
  };

  // Keep the active row in view.
  const show = (i: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = i * ROW_H;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_H > el.scrollTop + bodyH) el.scrollTop = top + ROW_H - bodyH;
  };

  const onKey = (e: KeyboardEvent) => {
    if (p.total === 0) return;
    const page = Math.max(1, Math.floor(bodyH / ROW_H) - 1);
    let next = p.active;
    switch (e.key) {
      case 'ArrowDown': next = p.active + 1; break;
      case 'ArrowUp': next = p.active - 1; break;
      case 'PageDown': next = p.active + page; break;
      case 'PageUp': next = p.active - page; break;
      case 'Home': next = 0; break;
      case 'End': next = p.total - 1; break;
      case ' ':
        e.preventDefault();
        if (p.active >= 0) p.onPick(p.active, e.shiftKey ? 'range' : 'toggle');
        return;
      case 'Enter':
        if (p.active >= 0) {
          e.preventDefault();
          p.onOpen(p.active);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(p.total - 1, next));
    p.onActive(next);
    if (e.shiftKey) p.onPick(next, 'range');
    show(next);
  };

  const template = p.columns.map((c) => `${c.width}px`).join(' ');
  const width = 36 + p.columns.reduce((n, c) => n + c.width, 0);
  const rows: JSX.Element[] = [];
  for (let i = first; i <= last; ++i) {
    const task = p.rowAt(i);
    const sel = task ? p.selected.has(task.id) : false;
    rows.push(
      <div
        key={i}
        id={`tk-row-${i}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={sel}
        class={`tk-row${sel ? ' tk-sel' : ''}${i === p.active ? ' tk-active' : ''}${task ? '' : ' tk-loading'}`}
        style={{ top: `${(i + 1) * ROW_H}px`, gridTemplateColumns: `36px ${template}` }}
        data-id={task?.id}
        data-state={task?.state}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest('a,input')) return;
          p.onActive(i);
          p.onPick(i, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only');
        }}
        onDblClick={() => p.onOpen(i)}
      >
        <div role="gridcell" class="tk-check">
          {task && (
            <input
              type="checkbox"
              tabIndex={-1}
              checked={sel}
              aria-label={p.t('tasks.select_one', { name: task.name })}
              onClick={(e) => {
                p.onActive(i);
                p.onPick(i, (e as MouseEvent).shiftKey ? 'range' : 'toggle');
              }}
            />
          )}
        </div>
        {p.columns.map((c) => (
          <div role="gridcell" key={c.id} class={c.num ? 'num' : undefined}>
            {task ? c.cell(task, p.now) : ''}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      class="tk-scroll"
      role="grid"
      aria-label={p.label}
      aria-rowcount={p.total + 1}
      aria-colcount={p.columns.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={p.active >= first && p.active <= last ? `tk-row-${p.active}` : undefined}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKey}
      onFocus={() => {
        if (p.active < 0 && p.total > 0) p.onActive(firstVisible);
      }}
    >
      <div class="tk-spacer" role="none" style={{ height: `${(p.total + 1) * ROW_H}px`, width: `${width}px` }}>
        <div class="tk-row tk-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: `36px ${template}` }}>
          <div role="columnheader" class="tk-check">
            <span class="visually-hidden">{p.t('tasks.col.select')}</span>
          </div>
          {p.columns.map((c) => {
            const sorted = c.key !== '' && c.key === p.sort;
            return (
              <div
                role="columnheader"
                key={c.id}
                class={c.num ? 'num' : undefined}
                aria-sort={sorted ? (p.desc ? 'descending' : 'ascending') : undefined}
              >
                {c.key ? (
                  <button
                    type="button"
                    class="tk-sort"
                    data-sort={c.key}
                    onClick={() => p.onSort(c.key)}
                    title={p.t('tasks.sort_by', { col: c.label })}
                  >
                    {c.label}
                    <span aria-hidden="true">{sorted ? (p.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </div>
            );
          })}
        </div>
        {rows}
      </div>
    </div>
  );
}
