// A GPU's last 10 minutes: memory used (GiB, left axis) and utilization (%, right axis),
// drawn by uPlot. The chart is kept across renders and only given new data.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { isDark, onThemeChange } from '../../app/theme';

export interface Series {
  t: number[]; // seconds since the epoch
  used: (number | null)[]; // MiB
  util: (number | null)[]; // percent
}

interface Props {
  series: Series;
  totalMiB: number | null;
  label: string;
  memLabel: string;
  utilLabel: string;
  windowS: number;
}

const HEIGHT = 150;

function colours() {
  const dark = isDark();
  return {
    axis: dark ? '#a6b0bf' : '#4a5568',
    grid: dark ? 'rgba(166,176,191,0.15)' : 'rgba(74,85,104,0.12)',
    mem: dark ? '#60a5fa' : '#2563eb',
    util: dark ? '#fbbf24' : '#b45309',
  };
}

function toData(s: Series, windowS: number): uPlot.AlignedData {
  const now = Date.now() / 1000;
  const from = now - windowS;
  let start = 0;
  while (start < s.t.length && s.t[start] < from) start++;
  const used = s.used.slice(start).map((v) => (v === null ? null : v / 1024));
  return [s.t.slice(start), used, s.util.slice(start)];
}

export function HistoryChart({ series, totalMiB, label, memLabel, utilLabel, windowS }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef({ series, windowS });
  latest.current = { series, windowS };
  // Canvas colours do not follow CSS: the chart is drawn anew in the other theme.
  const [dark, setDark] = useState(isDark);
  useEffect(() => onThemeChange(() => setDark(isDark())), []);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const c = colours();
    const maxGiB = totalMiB ? totalMiB / 1024 : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Always the whole window, so that a young FlowLine's few samples are not stretched.
        x: {
          time: true,
          range: () => {
            const now = Date.now() / 1000;
            return [now - latest.current.windowS, now];
          },
        },
        mem: { range: (_u, min, max) => [0, maxGiB ?? Math.max(1, max ?? min ?? 1)] },
        pct: { range: [0, 100] },
      },
      series: [
        {},
        { label: memLabel, scale: 'mem', stroke: c.mem, width: 2, fill: c.mem + '22', spanGaps: false },
        { label: utilLabel, scale: 'pct', stroke: c.util, width: 1.5, spanGaps: false },
      ],
      axes: [
        { stroke: c.axis, grid: { stroke: c.grid }, ticks: { stroke: c.grid } },
        {
          scale: 'mem',
          stroke: c.axis,
          grid: { stroke: c.grid },
          ticks: { stroke: c.grid },
          values: (_u, v) => v.map((x) => `${x.toFixed(x < 10 ? 1 : 0)}G`),
          size: 48,
        },
        {
          scale: 'pct',
          side: 1,
          stroke: c.axis,
          grid: { show: false },
          ticks: { stroke: c.grid },
          values: (_u, v) => v.map((x) => `${x}%`),
          size: 44,
        },
      ],
    };
    const u = new uPlot(opts, toData(latest.current.series, latest.current.windowS), el);
    chart.current = u;
    const resize = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      chart.current = null;
    };
  }, [totalMiB, memLabel, utilLabel, dark]);

  useEffect(() => {
    chart.current?.setData(toData(series, windowS));
  }, [series, windowS]);

  return (
    <figure class="history" aria-label={label}>
      <div ref={box} class="history-chart" role="img" aria-label={label} />
      <figcaption class="history-legend">
        <span class="swatch swatch-mem" aria-hidden="true" /> {memLabel}
        <span class="swatch swatch-util" aria-hidden="true" /> {utilLabel}
      </figcaption>
    </figure>
  );
}
