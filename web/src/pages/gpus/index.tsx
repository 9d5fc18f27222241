// The GPUs page: a card per GPU, live. The last 10 minutes come from
// GET /api/v1/gpus/history once; after that each gpu_sample event fetches GET /api/v1/gpus
// and appends its values, so the charts move without refetching the whole history.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import type { PageProps } from '../../app/context';
import type { Answer, Gpu, GpuHistory } from '../../app/api-types';
import { GpuCard } from './GpuCard';
import type { Series } from './HistoryChart';
import './gpus.css';

export { strings } from './strings';

const WINDOW_S = 600;
// Events after which the processes and states on the cards change at once.
const CHANGE_KINDS = ['started', 'finished', 'failed', 'oom', 'requeued', 'lost', 'setting'];

type Gpus = Record<string, Gpu>;
type Histories = Record<string, Series>;

function fromHistory(h: Record<string, GpuHistory>): Histories {
  const out: Histories = {};
  for (const [id, g] of Object.entries(h)) out[id] = { t: g.time_ms.map((ms) => ms / 1000), used: g.used, util: g.util };
  return out;
}

function appendSample(histories: Histories, gpus: Gpus, timeMs: number): Histories {
  const out: Histories = {};
  const t = timeMs / 1000;
  const from = t - WINDOW_S;
  for (const [id, g] of Object.entries(gpus)) {
    const h = histories[id] ?? { t: [], used: [], util: [] };
    if (h.t.length && h.t[h.t.length - 1] >= t) {
      out[id] = h;
      continue;
    }
    let start = 0;
    while (start < h.t.length && h.t[start] < from) start++;
    const used = g.total_memory !== null && g.free_memory !== null ? g.total_memory - g.free_memory : null;
    out[id] = {
      t: [...h.t.slice(start), t],
      used: [...h.used.slice(start), used],
      util: [...h.util.slice(start), g.utilization],
    };
  }
  return out;
}

export default function Page({ ctx }: PageProps) {
  const { api, t } = ctx;
  const [gpus, setGpus] = useState<Gpus | null>(null);
  const [histories, setHistories] = useState<Histories>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Record<string, boolean>>({});

  const loadAll = useCallback(async () => {
    try {
      const [g, h] = await Promise.all([
        api<Gpus>('GET', '/api/v1/gpus'),
        api<Record<string, GpuHistory>>('GET', `/api/v1/gpus/history?seconds=${WINDOW_S}`),
      ]);
      setGpus(g);
      setHistories(fromHistory(h));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);

  // One fetch at a time; a sample arriving meanwhile asks for one more afterwards.
  const sampling = useRef({ inFlight: false, again: false, at: 0 });
  const loadSample = useCallback(
    async (timeMs: number) => {
      const s = sampling.current;
      s.at = Math.max(s.at, timeMs);
      if (s.inFlight) {
        s.again = true;
        return;
      }
      s.inFlight = true;
      try {
        const g = await api<Gpus>('GET', '/api/v1/gpus');
          setGpus(g);
        setHistories((h) => appendSample(h, g, s.at));
        setError(null);
      } catch {
        // the header says when the server is gone
      } finally {
        s.inFlight = false;
        if (s.again) {
          s.again = false;
          void loadSample(Date.now());
        }
      }
    },
    [api],
  );

  useEffect(() => {
    void loadAll();
    const offSample = ctx.onEvent(['gpu_sample'], (e) => void loadSample(e.time_ms || Date.now()));
    const offChange = ctx.onEvent(CHANGE_KINDS, () => void loadSample(Date.now()));
    const offResync = ctx.onResync(() => void loadAll());
    return () => {
      offSample();
      offChange();
      offResync();
    };
    // ctx changes with the language; the subscriptions need not.
  }, [loadAll, loadSample]);

  const act = async (id: string, path: string) => {
    setBusy((b) => ({ ...b, [id]: true }));
    try {
      const answer = await api<Answer>('POST', path);
      ctx.toast(answer.message || 'OK');
    } catch (e) {
      ctx.toast((e as Error).message, 'error');
    } finally {
      setBusy((b) => ({ ...b, [id]: false }));
      void loadSample(Date.now());
    }
  };
  const onToggle = (id: string) => void act(id, `/api/v1/gpus/${id}/toggle`);
  const onKill = async (id: string, runs: number) => {
    if (await ctx.confirm(t('gpus.kill_confirm', { id, n: runs }))) await act(id, `/api/v1/gpus/${id}/kill`);
  };

  const ids = gpus ? Object.keys(gpus).sort((a, b) => Number(a) - Number(b)) : [];
  return (
    <section class="gpus-page" aria-labelledby="gpus-title">
      <h1 id="gpus-title">{t('gpus.title')}</h1>
      {error && (
        <p class="error-text" role="alert">
          {t('error.load', { why: error })}
        </p>
      )}
      {gpus && ids.length === 0 && <p class="muted">{t('gpus.none')}</p>}
      <div class="gpu-grid">
        {gpus &&
          ids.map((id) => (
            <GpuCard
              key={id}
              id={id}
              gpu={gpus[id]}
              history={histories[id] ?? { t: [], used: [], util: [] }}
              windowS={WINDOW_S}
              busy={!!busy[id]}
              t={t}
              onToggle={onToggle}
              onKill={(gid, runs) => void onKill(gid, runs)}
            />
          ))}
      </div>
    </section>
  );
}
