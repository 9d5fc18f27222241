// The shapes of the API answers the shell and several pages read (docs/http-api.md).
// Unknown values are null, never 0.

export interface Counts {
  done: number;
  running: number;
  queued: number;
  failed: number;
  other: number;
  runs_done: number;
  runs_total: number;
}

/** GET /api/v1/status */
export interface Status {
  dispatching: boolean;
  max_running: number;
  min_mem_mib: number;
  order: string;
  disabled_gpus: number[];
  uptime_s: number;
  simulated: boolean;
  finished: boolean;
  counts: Counts;
  eta_s: number | null;
  version: string;
  table: string;
  table_unreadable: string;
  table_unwritten: string;
  gpus: number;
}

/** GET /api/v1/settings */
export interface Settings {
  max_running: number;
  min_mem_mib: number;
  order: string;
  dispatching: boolean;
  disabled_gpus: number[];
}

export interface GpuProcess {
  pid: number;
  user: string | null;
  used_memory: number | null; // MiB
  flowline: boolean;
  command?: string | null; // its command line, when /proc could tell
  run_id?: number | null; // the FlowLine run it belongs to
  task_id?: number | null;
  task_name?: string | null;
}

/** One GPU of GET /api/v1/gpus (keyed by index as a string). */
export interface Gpu {
  name: string | null;
  uuid: string | null;
  status: 'available' | 'disabled' | 'error';
  free_memory: number | null;
  total_memory: number | null;
  utilization: number | null;
  temperature: number | null;
  power: number | null;
  max_power: number | null;
  user_process_num: number | null;
  all_process_num: number | null;
  processes: GpuProcess[] | null;
  error: string | null;
  simulated: boolean;
}

/** One GPU of GET /api/v1/gpus/history: columns, oldest first. */
export interface GpuHistory {
  time_ms: number[];
  free: (number | null)[];
  used: (number | null)[];
  util: (number | null)[];
  temp: (number | null)[];
  power: (number | null)[];
}

/** A command's answer: POST …/toggle, …/kill, … */
export interface Answer {
  ok: boolean;
  message: string;
}
