// The GPU order as keys picked from a list (no typing): each key with its direction, moved up
// and down, added and removed; "default" puts back FlowLine's own order.
import { useEffect, useState } from 'preact/hooks';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** The GPU fields --order takes (DESIGN.md, "GPU order"; src/core/gpu_order.cpp). */
export const ORDER_KEYS = [
  'free_memory',
  'utilization',
  'index',
  'total_memory',
  'user_process_num',
  'all_process_num',
  'temperature',
  'power',
  'max_power',
] as const;

export interface OrderKey {
  key: string;
  desc: boolean;
}

/** FlowLine's order without --order (core/gpu_order.cpp, default_gpu_order). */
const DEFAULT_ORDER: OrderKey[] = [
  { key: 'free_memory', desc: true },
  { key: 'utilization', desc: false },
  { key: 'index', desc: false },
];

/** "free_memory desc, utilization asc" -> keys; "default" (or nothing readable) -> null. */
export function parseOrder(text: string): OrderKey[] | null {
  if (!text || text.trim() === 'default') return null;
  const keys: OrderKey[] = [];
  for (const term of text.split(',')) {
    const [key, dir] = term.trim().split(/\s+/);
    if (!key || !(ORDER_KEYS as readonly string[]).includes(key)) return null;
    keys.push({ key, desc: dir === 'desc' });
  }
  return keys.length ? keys : null;
}

export function orderText(keys: OrderKey[]): string {
  return keys.map((k) => `${k.key} ${k.desc ? 'desc' : 'asc'}`).join(', ');
}

interface Props {
  t: T;
  current: string; // the order in force, as GET /api/v1/settings says it
  busy: boolean;
  onApply: (order: string) => void;
}

export function OrderEditor({ t, current, busy, onApply }: Props) {
  const [keys, setKeys] = useState<OrderKey[]>(() => parseOrder(current) ?? DEFAULT_ORDER);
  useEffect(() => setKeys(parseOrder(current) ?? DEFAULT_ORDER), [current]);
  const unused = ORDER_KEYS.filter((k) => !keys.some((x) => x.key === k));
  const [adding, setAdding] = useState<string>(unused[0] ?? '');
  useEffect(() => {
    if (!unused.includes(adding as (typeof ORDER_KEYS)[number])) setAdding(unused[0] ?? '');
  }, [keys]);

  const name = (key: string) => t(`settings.key.${key}`);
  const move = (i: number, by: number) => {
    const next = [...keys];
    const [k] = next.splice(i, 1);
    next.splice(i + by, 0, k);
    setKeys(next);
  };
  const changed = orderText(keys) !== orderText(parseOrder(current) ?? DEFAULT_ORDER);

  return (
    <div class="order-editor">
      <p class="muted">{current === 'default' || !parseOrder(current) ? t('settings.order_default') : t('settings.order_now', { order: current })}</p>
      {keys.length > 0 && (
        <ol class="order-keys">
          {keys.map((k, i) => (
            <li key={k.key} class="order-key">
              <span class="order-name">{name(k.key)}</span>
              <select
                aria-label={t('settings.order_direction', { key: name(k.key) })}
                value={k.desc ? 'desc' : 'asc'}
                onChange={(e) => {
                  const next = [...keys];
                  next[i] = { key: k.key, desc: (e.target as HTMLSelectElement).value === 'desc' };
                  setKeys(next);
                }}
              >
                <option value="asc">{t('settings.asc')}</option>
                <option value="desc">{t('settings.desc')}</option>
              </select>
              <button type="button" class="btn btn-icon" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('settings.order_up', { key: name(k.key) })}>
                ↑
              </button>
              <button
                type="button"
                class="btn btn-icon"
                disabled={i === keys.length - 1}
                onClick={() => move(i, 1)}
                aria-label={t('settings.order_down', { key: name(k.key) })}
              >
                ↓
              </button>
              <button type="button" class="btn btn-icon" onClick={() => setKeys(keys.filter((_, j) => j !== i))} aria-label={t('settings.order_remove', { key: name(k.key) })}>
                ×
              </button>
            </li>
          ))}
        </ol>
      )}
      <div class="order-add">
        <select aria-label={t('settings.order_add_label')} value={adding} disabled={unused.length === 0} onChange={(e) => setAdding((e.target as HTMLSelectElement).value)}>
          {unused.map((k) => (
            <option key={k} value={k}>
              {name(k)}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="btn"
          disabled={!adding || unused.length === 0}
          onClick={() => setKeys([...keys, { key: adding, desc: adding === 'free_memory' }])}
        >
          {t('settings.order_add')}
        </button>
      </div>
      <div class="button-row">
        <button type="button" class="btn btn-primary" disabled={busy || !changed || keys.length === 0} onClick={() => onApply(orderText(keys))}>
          {t('settings.order_apply')}
        </button>
        <button type="button" class="btn" disabled={busy || current === 'default'} onClick={() => onApply('default')}>
          {t('settings.order_use_default')}
        </button>
      </div>
    </div>
  );
}
