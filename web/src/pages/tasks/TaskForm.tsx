// Add a task (POST /api/v1/tasks) or copy one with changes (POST /api/v1/tasks/ID/copy): a
// field per column of the table. FlowLine appends the row to the table file, which stays the
// one source of tasks. Blank fields are left out (the table's defaults apply); a copy sends
// only the fields that differ from the original.
import { useState } from 'preact/hooks';

import type { AppContext } from '../../app/context';
import type { Task } from './types';

const RESERVED = ['name', 'cmd', 'need_run_num', 'gpus', 'min_mem', 'priority'] as const;

function initial(columns: string[], from: Task | null): Record<string, string> {
  const v: Record<string, string> = {};
  for (const k of RESERVED) v[k] = '';
  for (const c of columns) v[c] = '';
  if (from) {
    v.name = from.name;
    v.cmd = from.cmd;
    v.need_run_num = String(from.need_run_num);
    v.gpus = String(from.gpus);
    v.min_mem = from.min_mem === null ? '' : String(from.min_mem);
    v.priority = String(from.priority);
    for (const c of columns) v[c] = from.params[c] ?? '';
  }
  return v;
}

interface Props {
  ctx: AppContext;
  columns: string[];
  from: Task | null; // a copy of this task, or a new one
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function TaskForm({ ctx, columns, from, onDone, onCancel }: Props) {
  const { t } = ctx;
  const [start] = useState(() => initial(columns, from));
  const [values, setValues] = useState(start);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      if (from ? v !== start[k] : v.trim() !== '') body[k] = v;
    }
    setBusy(true);
    setError('');
    try {
      const answer = from
        ? await ctx.api<{ message: string }>('POST', `/api/v1/tasks/${from.id}/copy`, body)
        : await ctx.api<{ message: string }>('POST', '/api/v1/tasks', body);
      onDone(answer.message);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string, label: string, type: 'text' | 'number' = 'text') => (
    <label class="tk-field" key={key}>
      <span>{label}</span>
      <input
        name={key}
        type="text"
        inputMode={type === 'number' ? 'numeric' : undefined}
        value={values[key]}
        onInput={(e) => setValues({ ...values, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );

  return (
    <form class="tk-form" onSubmit={submit} aria-labelledby="tk-form-title">
      <h2 id="tk-form-title">{from ? t('tasks.copy_title', { name: from.name }) : t('tasks.add_title')}</h2>
      <p class="muted">{from ? t('tasks.copy_hint') : t('tasks.form_hint')}</p>
      <div class="tk-fields">
        {field('name', t('tasks.col.name'))}
        {field('cmd', t('tasks.field.cmd'))}
        {field('need_run_num', t('tasks.field.need_run_num'), 'number')}
        {field('gpus', t('tasks.col.gpus'), 'number')}
        {field('min_mem', t('tasks.field.min_mem'), 'number')}
        {field('priority', t('tasks.col.priority'), 'number')}
        {columns.map((c) => field(c, c))}
      </div>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <div class="tk-buttons">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {from ? t('tasks.copy_submit') : t('tasks.add_submit')}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {t('tasks.cancel')}
        </button>
      </div>
    </form>
  );
}
