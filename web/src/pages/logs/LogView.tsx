// A log's lines, virtualised (only those in view are in the DOM), styled from their ANSI
// codes, with the search's hits marked. Stays at the bottom while following, unless the
// user scrolled up.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';

import type { Line, Seg } from './ansi';
import { css } from './ansi';

export const LINE_H = 19;
const OVERSCAN = 20;

export interface Hit {
  line: number;
  start: number;
  end: number;
}

interface Props {
  lines: Line[];
  label: string;
  hits: Hit[]; // in line order
  current: number; // index into hits, -1 for none
  follow: boolean;
  revision: number; // changes whenever lines change
  jump: { line: number; n: number } | null; // scroll this line into view (n: a new request)
  className?: (i: number) => string | undefined;
}

function renderSegs(segs: Seg[], marks: { start: number; end: number; cur: boolean }[]): JSX.Element[] {
  const out: JSX.Element[] = [];
  let pos = 0;
  let k = 0;
  for (const seg of segs) {
    const style = seg.style ? css(seg.style) : undefined;
    let from = 0;
    const text = seg.text;
    while (from < text.length) {
      while (k < marks.length && marks[k].end <= pos + from) ++k;
      const m = marks[k];
      if (!m || m.start >= pos + text.length) {
        out.push(<span style={style}>{text.slice(from)}</span>);
        break;
      }
      if (m.start > pos + from) {
        out.push(<span style={style}>{text.slice(from, m.start - pos)}</span>);
        from = m.start - pos;
      }
      const to = Math.min(text.length, m.end - pos);
      out.push(
        <mark class={m.cur ? 'lg-hit lg-hit-cur' : 'lg-hit'}>
          {text.slice(from, to)}
        </mark>,
      );
      from = to;
    }
    pos += text.length;
  }
  return out;
}

export function LogView({ lines, label, hits, current, follow, revision, jump, className }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(500);
  const atBottom = useRef(true);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const measure = () => setHeight(el.clientHeight || 500);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Following: new lines keep the view at the bottom, if it was there.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow && atBottom.current) {
      el.scrollTop = el.scrollHeight;
      setTop(el.scrollTop);
    }
  }, [revision, follow]);

  useEffect(() => {
    const el = box.current;
    if (!el || !jump) return;
    const y = jump.line * LINE_H;
    if (y < el.scrollTop || y + LINE_H > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, y - el.clientHeight / 3);
      setTop(el.scrollTop);
    }
  }, [jump]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - LINE_H;
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (box.current) setTop(box.current.scrollTop);
    });
  };

  const first = Math.max(0, Math.floor(top / LINE_H) - OVERSCAN);
  const last = Math.min(lines.length - 1, Math.ceil((top + height) / LINE_H) + OVERSCAN);
  // The hits on the lines in view, found by bisection.
  let h = 0;
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid].line < first) lo = mid + 1;
    else hi = mid;
  }
  h = lo;
  const rows: JSX.Element[] = [];
  for (let i = first; i <= last; ++i) {
    const marks: { start: number; end: number; cur: boolean }[] = [];
    while (h < hits.length && hits[h].line === i) {
      marks.push({ start: hits[h].start, end: hits[h].end, cur: h === current });
      ++h;
    }
    const extra = className?.(i);
    rows.push(
      <div key={i} class={extra ? `lg-line ${extra}` : 'lg-line'} style={{ top: `${i * LINE_H}px` }}>
        {lines[i].segs.length ? renderSegs(lines[i].segs, marks) : ' '}
      </div>,
    );
  }
  return (
    <div ref={box} class="lg-view" role="log" aria-live="off" aria-label={label} tabIndex={0} onScroll={onScroll}>
      <div class="lg-spacer" style={{ height: `${lines.length * LINE_H}px` }}>
        {rows}
      </div>
    </div>
  );
}
