// Formatting shared by the pages. Unknown values (null from the API) are never shown as 0:
// each function answers null for them, and the caller says "unknown" in the page's language.

/** MiB as people read it: "512 MiB", "23.4 GiB". */
export function formatMiB(mib: number | null | undefined): string | null {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return null;
  if (Math.abs(mib) < 1024) return `${Math.round(mib)} MiB`;
  return `${(mib / 1024).toFixed(1)} GiB`;
}

/** Seconds as "3d 4h", "2h 05m", "4m 09s", "12s". */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

/** Milliseconds since the epoch as local "2025-07-30 14:15:58". */
export function formatTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return null;
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  );
}

/** A number with a unit, or null when unknown: formatNumber(61.2, ' W', 0) = "61 W". */
export function formatNumber(value: number | null | undefined, unit = '', digits = 0): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return `${value.toFixed(digits)}${unit}`;
}
