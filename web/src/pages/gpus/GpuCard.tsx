// One GPU: name and state, memory split into FlowLine's runs, others and free, utilization,
// temperature and power, its last 10 minutes, its processes, and its actions.
import type { Gpu, GpuProcess } from '../../app/api-types';
import { formatMiB, formatNumber } from '../../app/format';
import { HistoryChart, type Series } from './HistoryChart';

type T = (key: string, vars?: Record<string, string | number>) => string;

interface Props {
  id: string;
  gpu: Gpu;
  history: Series;
  windowS: number;
  busy: boolean;
  t: T;
  onToggle: (id: string) => void;
  onKill: (id: string, runs: number) => void;
}

function flowlineRuns(gpu: Gpu): number {
  const runs = new Set<number>();
  let unknown = 0;
  for (const p of gpu.processes ?? []) {
    if (!p.flowline) continue;
    if (p.run_id != null) runs.add(p.run_id);
    else unknown++;
  }
  return runs.size + (runs.size === 0 ? Math.min(unknown, 1) : 0);
}

function MemoryBar({ gpu, t }: { gpu: Gpu; t: T }) {
  const total = gpu.total_memory;
  const free = gpu.free_memory;
  if (total === null || free === null || total <= 0) {
    return <p class="muted">{t('gpus.memory_unknown')}</p>;
  }
  let flowline = 0;
  for (const p of gpu.processes ?? []) if (p.flowline && p.used_memory !== null) flowline += p.used_memory;
  const used = Math.max(0, total - free);
  flowline = Math.min(flowline, used);
  const other = used - flowline;
  const pct = (v: number) => `${((100 * v) / total).toFixed(2)}%`;
  const summary = t('gpus.memory_summary', {
    flowline: formatMiB(flowline) ?? '',
    other: formatMiB(other) ?? '',
    free: formatMiB(free) ?? '',
    total: formatMiB(total) ?? '',
  });
  return (
    <div class="membar-wrap">
      <div class="membar" role="img" aria-label={`${t('gpus.memory')}: ${summary}`}>
        <span class="seg seg-flowline" style={{ width: pct(flowline) }} />
        <span class="seg seg-other" style={{ width: pct(other) }} />
      </div>
      <p class="membar-legend">
        <span><span class="swatch seg-flowline" aria-hidden="true" /> {t('gpus.legend.flowline')} {formatMiB(flowline)}</span>
        <span><span class="swatch seg-other" aria-hidden="true" /> {t('gpus.legend.other')} {formatMiB(other)}</span>
        <span><span class="swatch seg-free" aria-hidden="true" /> {t('gpus.legend.free')} {formatMiB(free)}</span>
        <span class="muted">/ {formatMiB(total)}</span>
      </p>
    </div>
  );
}

function Stat({ label, value, t }: { label: string; value: string | null; t: T }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd class={value === null ? 'muted' : ''}>{value ?? t('unknown')}</dd>
    </div>
  );
}

function RunCell({ p, t }: { p: GpuProcess; t: T }) {
  if (!p.flowline) return <span class="muted">{t('gpus.not_flowline')}</span>;
  if (p.run_id == null) return <span>{t('gpus.flowline_unknown_run')}</span>;
  return (
    <a href={`#/logs?run=${p.run_id}&stream=out`}>
      {t('gpus.run_link', { run: p.run_id })}
      {p.task_name ? ` · ${p.task_name}` : ''}
    </a>
  );
}

function Processes({ id, gpu, t }: { id: string; gpu: Gpu; t: T }) {
  if (gpu.processes === null) return <p class="muted">{t('gpus.processes_unknown')}</p>;
  if (gpu.processes.length === 0) return <p class="muted">{t('gpus.processes_none')}</p>;
  return (
    <div class="table-scroll">
      <table class="data processes">
        <caption class="visually-hidden">{t('gpus.processes_caption', { id })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('gpus.col.user')}</th>
            <th scope="col" class="num">{t('gpus.col.pid')}</th>
            <th scope="col">{t('gpus.col.command')}</th>
            <th scope="col" class="num">{t('gpus.col.memory')}</th>
            <th scope="col">{t('gpus.col.run')}</th>
          </tr>
        </thead>
        <tbody>
          {gpu.processes.map((p) => (
            <tr key={p.pid} class={p.flowline ? 'proc-flowline' : 'proc-other'}>
              <td>{p.user ?? <span class="muted">{t('unknown')}</span>}</td>
              <td class="num">{p.pid}</td>
              <td class="cmd mono" title={p.command ?? undefined}>
                {p.command ?? <span class="muted">{t('unknown')}</span>}
              </td>
              <td class="num">{formatMiB(p.used_memory) ?? <span class="muted">{t('unknown')}</span>}</td>
              <td>
                <RunCell p={p} t={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function GpuCard({ id, gpu, history, windowS, busy, t, onToggle, onKill }: Props) {
  const runs = flowlineRuns(gpu);
  const headingId = `gpu-${id}-title`;
  const power = formatNumber(gpu.power, ' W', 0);
  const limit = formatNumber(gpu.max_power, ' W', 0);
  const powerText = power === null ? null : limit === null ? power : t('gpus.power_of', { power, limit });
  const statusClass = gpu.status === 'available' ? 'badge-ok' : gpu.status === 'error' ? 'badge-danger' : 'badge-warn';
  return (
    <article class={`panel gpu-card gpu-${gpu.status}`} aria-labelledby={headingId} data-gpu={id}>
      <header class="gpu-head">
        <h2 id={headingId}>
          {t('gpus.card', { id })}
          <span class="gpu-name"> {gpu.name ?? t('unknown')}</span>
        </h2>
        <div class="gpu-badges">
          {gpu.simulated && (
            <span class="badge badge-sim" title={t('gpus.simulated_hint')}>
              {t('gpus.simulated')}
            </span>
          )}
          <span class={`badge ${statusClass}`} data-status={gpu.status}>
            {t(`gpus.status.${gpu.status}`)}
          </span>
        </div>
      </header>
      {gpu.error && <p class="error-text">{gpu.error}</p>}
      <MemoryBar gpu={gpu} t={t} />
      <dl class="stats">
        <Stat label={t('gpus.util')} value={formatNumber(gpu.utilization, '%')} t={t} />
        <Stat label={t('gpus.temp')} value={formatNumber(gpu.temperature, ' °C')} t={t} />
        <Stat label={t('gpus.power')} value={powerText} t={t} />
      </dl>
      <h3>{t('gpus.history')}</h3>
      {history.t.length === 0 ? (
        <p class="muted">{t('gpus.history_empty')}</p>
      ) : (
        <HistoryChart
          series={history}
          totalMiB={gpu.total_memory}
          windowS={windowS}
          label={t('gpus.history_label', { id })}
          memLabel={t('gpus.series.mem')}
          utilLabel={t('gpus.series.util')}
        />
      )}
      <h3>{t('gpus.processes')}</h3>
      <Processes id={id} gpu={gpu} t={t} />
      <div class="gpu-actions" role="group" aria-label={t('gpus.actions', { id })}>
        <button type="button" class="btn" disabled={busy} onClick={() => onToggle(id)}>
          {gpu.status === 'disabled' ? t('gpus.enable', { id }) : t('gpus.disable', { id })}
        </button>
        <button type="button" class="btn btn-danger" disabled={busy || runs === 0} onClick={() => onKill(id, runs)}>
          {t('gpus.kill', { id })}
        </button>
      </div>
    </article>
  );
}
