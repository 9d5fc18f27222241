// One task in full (#/tasks?id=ID): its parameters, the command it runs, every run (start,
// end, GPUs, exit or signal, OOM, links to its output) and its actions. Refreshed when an
// event names it.
import { useEffect, useState } from 'preact/hooks';

import type { AppContext } from '../../app/context';
import { formatDuration, formatMiB, formatTime } from '../../app/format';
import type { Run, Task } from './types';
import { jobState, runIsOom, whyText } from './types';

interface Props {
  ctx: AppContext;
  id: number;
  version: number; // bumped by the page when events name this task
  onClose: () => void;
  onCopy: (task: Task) => void;
  onAction: (ids: number[], action: 'drop' | 'retry' | 'priority', priority?: number) => Promise<void>;
}

export function Detail({ ctx, id, version, onClose, onCopy, onAction }: Props) {
  const { t } = ctx;
  const [task, setTask] = useState<Task | null>(null);
  const [commands, setCommands] = useState<Record<number, string>>({});
  // The live runs as the runs API has them: their Slurm job, state and node (--executor slurm).
  const [jobs, setJobs] = useState<Record<number, Run>>({});
  const [error, setError] = useState('');
  const [priority, setPriority] = useState('');

  useEffect(() => {
    let gone = false;
    (async () => {
      try {
        const one = await ctx.api<Task>('GET', `/api/v1/tasks/${id}`);
        // The live runs' commands, as they were expanded for their GPUs.
        const live = await ctx.api<{ runs: Run[] }>('GET', `/api/v1/runs?task=${id}&limit=20`);
        if (gone) return;
        const cmds: Record<number, string> = {};
        const liveJobs: Record<number, Run> = {};
        for (const r of live.runs) {
          if (r.command) cmds[r.run_id] = r.command;
          if (r.job_id) liveJobs[r.run_id] = r;
        }
        setTask(one);
        setCommands(cmds);
        setJobs(liveJobs);
        setError('');
        setPriority((p) => (p === '' ? String(one.priority) : p));
      } catch (err) {
        if (!gone) setError((err as Error).message);
      }
    })();
    return () => {
      gone = true;
    };
  }, [id, version]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const runs = task?.runs ?? [];
  const liveCommand = Object.values(commands)[0];
  return (
    <aside class="tk-panel panel" aria-labelledby="tk-detail-title">
      <div class="tk-panel-head">
        <h2 id="tk-detail-title">{task ? t('tasks.detail_title', { id, name: task.name }) : t('tasks.detail_loading', { id })}</h2>
        <button type="button" class="btn btn-quiet" onClick={onClose} aria-label={t('tasks.close')}>
          ✕
        </button>
      </div>
      {error && <p class="error-text">{t('error.load', { why: error })}</p>}
      {task && (
        <>
          <p>
            <span class={`badge tk-state tk-${task.state}`}>{t(`tasks.state.${task.state}`)}</span>{' '}
            {t('tasks.runs_of', { done: task.run_num, need: task.need_run_num })}
            {task.failures > 0 && <> · {t('tasks.failures', { n: task.failures })}</>}
          </p>
          {whyText(task) && <p class={task.state === 'failed' ? 'error-text' : 'muted'}>{whyText(task)}</p>}
          <div class="tk-buttons">
            <button type="button" class="btn" onClick={() => onAction([task.id], 'retry')} disabled={task.state !== 'failed' && task.state !== 'dropped'}>
              {t('tasks.retry')}
            </button>
            <button type="button" class="btn" onClick={() => onAction([task.id], 'drop')} disabled={task.state === 'dropped' || task.state === 'done'}>
              {t('tasks.drop')}
            </button>
            <button type="button" class="btn" onClick={() => onCopy(task)}>
              {t('tasks.copy')}
            </button>
            <label class="tk-inline">
              <span>{t('tasks.col.priority')}</span>
              <input type="number" value={priority} onInput={(e) => setPriority((e.target as HTMLInputElement).value)} />
            </label>
            <button
              type="button"
              class="btn"
              disabled={!/^-?\d+$/.test(priority.trim())}
              onClick={() => onAction([task.id], 'priority', Number(priority))}
            >
              {t('tasks.set_priority')}
            </button>
          </div>
          <h3>{t('tasks.parameters')}</h3>
          <table class="data">
            <tbody>
              <tr><th scope="row">{t('tasks.col.gpus')}</th><td>{task.gpus}</td></tr>
              <tr><th scope="row">{t('tasks.mem.row')}</th><td>{formatMiB(task.min_mem) ?? t('tasks.default')}</td></tr>
              {task.gpus > 0 && task.min_mem_used != null && (
                <tr>
                  <th scope="row">{t('tasks.mem.asks')}</th>
                  <td>
                    {formatMiB(task.min_mem_used)}
                    {task.min_mem_source && (
                      <span class="muted">
                        {' · '}
                        {t(`tasks.mem.source.${task.min_mem_source}`, {
                          margin: task.min_mem_margin_percent ?? 0,
                          group: task.mem_group ?? '',
                        })}
                      </span>
                    )}
                  </td>
                </tr>
              )}
              {task.peak_mem_mib != null && (
                <tr><th scope="row">{t('tasks.mem.peak')}</th><td>{formatMiB(task.peak_mem_mib)}</td></tr>
              )}
              {task.queue_position != null && (
                <>
                  <tr><th scope="row">{t('tasks.queue_position')}</th><td>{task.queue_position}</td></tr>
                  <tr>
                    <th scope="row">{t('tasks.expected_start')}</th>
                    <td>{formatTime(task.expected_start_ms) ?? t('tasks.unknown')}</td>
                  </tr>
                </>
              )}
              <tr><th scope="row">{t('tasks.col.priority')}</th><td>{task.priority}</td></tr>
              <tr><th scope="row">{t('tasks.row')}</th><td>{task.row + 1}</td></tr>
              {Object.entries(task.params).map(([k, v]) => (
                <tr key={k}><th scope="row">{k}</th><td class="mono">{v}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>{t('tasks.command')}</h3>
          <pre class="tk-cmd">{liveCommand ?? task.cmd}</pre>
          {!liveCommand && <p class="muted">{t('tasks.command_hint')}</p>}
          <h3>{t('tasks.runs_title', { n: runs.length })}</h3>
          {runs.length === 0 ? (
            <p class="muted">{t('tasks.no_runs')}</p>
          ) : (
            <div class="tk-runs">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">{t('tasks.run.id')}</th>
                    <th scope="col">{t('tasks.run.state')}</th>
                    <th scope="col">{t('tasks.run.start')}</th>
                    <th scope="col">{t('tasks.run.end')}</th>
                    <th scope="col">{t('tasks.col.gpus')}</th>
                    <th scope="col">{t('tasks.run.exit')}</th>
                    <th scope="col">{t('tasks.run.logs')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...runs].reverse().map((r) => (
                    <tr key={r.run_id}>
                      <td class="num">{r.run_id}</td>
                      <td>
                        {t(`run.state.${r.state}`)}
                        {runIsOom(r) && <> <span class="badge badge-danger">OOM</span></>}
                        {r.peak_mem_mib != null && <div class="muted">{t('tasks.peak', { mem: formatMiB(r.peak_mem_mib) ?? '' })}</div>}
                        {jobs[r.run_id] && (
                          <div class="muted">
                            {jobs[r.run_id].node
                              ? t('tasks.run.job_on', { id: jobs[r.run_id].job_id ?? '', state: jobState(jobs[r.run_id]), node: jobs[r.run_id].node ?? '' })
                              : t('tasks.run.job', { id: jobs[r.run_id].job_id ?? '', state: jobState(jobs[r.run_id]) })}
                          </div>
                        )}
                        {r.message && <div class="muted tk-msg">{r.message}</div>}
                      </td>
                      <td>{formatTime(r.start_ms) ?? ''}</td>
                      <td>
                        {formatTime(r.end_ms) ?? ''}
                        {r.start_ms && r.end_ms ? <div class="muted">{formatDuration((r.end_ms - r.start_ms) / 1000)}</div> : null}
                      </td>
                      <td>{r.gpus.length ? r.gpus.join(',') : '–'}</td>
                      <td>
                        {r.signal != null
                          ? t('tasks.run.signal', { n: r.signal })
                          : r.exit_code != null
                            ? t('tasks.run.exit_code', { n: r.exit_code })
                            : ''}
                      </td>
                      <td>
                        <a href={`#/logs?run=${r.run_id}&stream=out`}>{t('tasks.run.stdout')}</a>{' '}
                        <a href={`#/logs?run=${r.run_id}&stream=err`}>{t('tasks.run.stderr')}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </aside>
  );
}
