// The shapes of GET /api/v1/tasks and its runs (docs/http-api.md), and what the Tasks page
// derives from them: elapsed time, peak memory, why a task waits or failed.

export const STATES = ['queued', 'running', 'backoff', 'done', 'failed', 'dropped', 'infeasible'] as const;
export type TaskState = (typeof STATES)[number];

export interface Run {
  run_id: number;
  task_id: number;
  attempt: number;
  state: string; // starting, running, succeeded, failed, oom, killed, timeout, lost
  start_ms: number | null;
  end_ms: number | null;
  gpus: number[];
  exit_code: number | null;
  signal: number | null;
  outcome: string;
  message: string;
  running?: boolean;
  command?: string;
  name?: string;
  peak_mem_mib?: number | null; // when the API has it
  // A live Slurm job (--executor slurm): its id, state, node and why it waits.
  job_id?: string;
  job_state?: string;
  node?: string;
  reason?: string;
}

/** "RUNNING", "PENDING (Resources)": a Slurm job's state with its reason to wait. */
export function jobState(run: Run): string {
  const state = run.job_state || '?';
  return run.reason ? `${state} (${run.reason})` : state;
}

export interface Task {
  id: number;
  name: string;
  state: TaskState;
  run_num: number;
  need_run_num: number;
  priority: number;
  gpus: number;
  min_mem: number | null;
  live_runs: number;
  failures: number;
  waiting_for: string;
  last_error: string;
  row: number;
  cmd: string;
  params: Record<string, string>;
  runs?: Run[];
  peak_mem_mib?: number | null; // when the API has it
  min_mem_used?: number; // what its next run asks for on each GPU
  min_mem_source?: 'runs' | 'group' | 'min_mem' | 'global' | 'raised';
  min_mem_margin_percent?: number;
  mem_group?: string | null;
  queue_position?: number | null;
  expected_start_ms?: number | null;
}

export interface TaskPage {
  total: number;
  offset: number;
  limit: number;
  tasks: Task[];
  counts?: Partial<Record<TaskState, number>>;
  columns?: string[];
  ids?: number[];
}

export interface Query {
  states: TaskState[];
  q: string;
  sort: string;
  desc: boolean;
}

export function queryString(query: Query, extra: Record<string, string | number>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  if (query.states.length) p.set('state', query.states.join(','));
  if (query.q) p.set('q', query.q);
  if (query.sort) p.set('sort', query.sort);
  if (query.desc) p.set('desc', '1');
  return p.toString();
}

/** Seconds the task has been running (its oldest live run), or its last ended run took. */
export function elapsedSeconds(task: Task, now: number): { seconds: number; live: boolean } | null {
  const runs = task.runs ?? [];
  let liveStart = Infinity;
  for (const r of runs) if (r.end_ms === null && r.start_ms && r.state === 'running') liveStart = Math.min(liveStart, r.start_ms);
  if (liveStart !== Infinity) return { seconds: Math.max(0, (now - liveStart) / 1000), live: true };
  for (let i = runs.length - 1; i >= 0; --i) {
    const r = runs[i];
    if (r.start_ms && r.end_ms) return { seconds: (r.end_ms - r.start_ms) / 1000, live: false };
  }
  return null;
}

/** The task's peak GPU memory: its own field, or the most of its runs'; undefined when the
 * API has no such field at all (the column is then left out). */
export function peakMiB(task: Task): number | null | undefined {
  if (task.peak_mem_mib !== undefined) return task.peak_mem_mib;
  let seen = false;
  let peak: number | null = null;
  for (const r of task.runs ?? []) {
    if (r.peak_mem_mib === undefined) continue;
    seen = true;
    if (r.peak_mem_mib !== null) peak = Math.max(peak ?? 0, r.peak_mem_mib);
  }
  return seen ? peak : undefined;
}

/** Why it is not running, or why it failed; "" when neither applies. */
export function whyText(task: Task): string {
  if (task.state === 'failed' || task.state === 'dropped') return task.last_error || task.waiting_for;
  if (task.state === 'running' || task.state === 'done') return '';
  return task.waiting_for || task.last_error;
}

export function runIsOom(run: Run): boolean {
  return run.state === 'oom' || /oom|out of memory/i.test(run.outcome);
}
