// The Settings page: dispatch on/off, max and min, the GPU order (picked, not typed), which
// GPUs are on, the access token's rotation, and what this FlowLine is (version, host, driver,
// uptime). Every change is one PATCH /api/v1/settings; a `setting` event from anywhere else
// (the shell, ctl, another browser) refreshes what is shown.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import type { PageProps } from '../../app/context';
import type { Answer, Gpu, Settings } from '../../app/api-types';
import { formatDuration, formatTime } from '../../app/format';
import { OrderEditor } from './OrderEditor';
import './settings.css';

export { strings } from './strings';

interface About {
  version: string;
  host: string | null;
  system: string;
  pid: number;
  started_ms: number;
  uptime_s: number;
  table: string;
  state_dir: string;
  log_dir: string;
  simulated: boolean;
  gpus: number;
  gpu_source: string | null;
  driver: string | null;
}

type Gpus = Record<string, Gpu>;

export default function Page({ ctx }: PageProps) {
  const { api, t } = ctx;
  const [settings, setSettings] = useState<Settings | null>(null);
  const [gpus, setGpus] = useState<Gpus>({});
  const [about, setAbout] = useState<About | null>(null);
  const [aboutAt, setAboutAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [maxText, setMaxText] = useState('');
  const [minText, setMinText] = useState('');
  const [dirty, setDirty] = useState(false);
  const [, setTick] = useState(0);

  // The latest request wins: an answer to an older load (or one overtaken by a change made
  // here) must not put back what was just changed.
  const generation = useRef(0);
  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const [s, g, a] = await Promise.all([
        api<Settings>('GET', '/api/v1/settings'),
        api<Gpus>('GET', '/api/v1/gpus'),
        api<About>('GET', '/api/v1/about'),
      ]);
      if (mine !== generation.current) return;
      setSettings(s);
      setGpus(g);
      setAbout(a);
      setAboutAt(Date.now());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void load();
    // Coalesced: a burst of changes is one reload.
    let timer: number | undefined;
    const offSetting = ctx.onEvent(['setting'], () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void load(), 150);
    });
    const offResync = ctx.onResync(() => void load());
    const clock = window.setInterval(() => setTick((n) => n + 1), 1000);
    return () => {
      window.clearTimeout(timer);
      offSetting();
      offResync();
      window.clearInterval(clock);
    };
  }, [load]);

  // The form shows the settings in force until the user starts changing them.
  useEffect(() => {
    if (settings && !dirty) {
      setMaxText(String(settings.max_running));
      setMinText(String(settings.min_mem_mib));
    }
  }, [settings, dirty]);

  const change = async (body: Partial<Settings>) => {
    setBusy(true);
    const mine = ++generation.current;
    try {
      const answer = await api<Settings & { message: string }>('PATCH', '/api/v1/settings', body);
      if (mine === generation.current) setSettings(answer);
      ctx.toast(answer.message || 'OK');
      return true;
    } catch (e) {
      ctx.toast((e as Error).message, 'error');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const saveLimits = async (e: Event) => {
    e.preventDefault();
    if (!settings) return;
    const body: Partial<Settings> = {};
    const max = Number(maxText);
    const min = Number(minText);
    if (max !== settings.max_running) body.max_running = max;
    if (min !== settings.min_mem_mib) body.min_mem_mib = min;
    if (Object.keys(body).length === 0 || (await change(body))) setDirty(false);
  };

  const toggleGpu = (id: number, on: boolean) => {
    if (!settings) return;
    const off = new Set(settings.disabled_gpus);
    if (on) off.delete(id);
    else off.add(id);
    void change({ disabled_gpus: [...off].sort((a, b) => a - b) });
  };

  const rotate = async () => {
    if (!(await ctx.confirm(t('settings.token_confirm')))) return;
    try {
      const answer = await api<Answer>('POST', '/api/v1/token/rotate');
      ctx.toast(answer.message);
    } catch (e) {
      ctx.toast((e as Error).message, 'error');
    }
  };

  const ids = Object.keys(gpus).sort((a, b) => Number(a) - Number(b));
  const uptime = about ? about.uptime_s + Math.floor((Date.now() - aboutAt) / 1000) : null;

  return (
    <section class="settings-page" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <p class="muted">{t('settings.saved_note')}</p>
      {error && (
        <p class="error-text" role="alert">
          {t('error.load', { why: error })}
        </p>
      )}
      {settings && (
        <div class="settings-grid">
          <section class="panel" aria-labelledby="set-dispatch">
            <h2 id="set-dispatch">{t('settings.dispatch')}</h2>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={settings.dispatching}
                disabled={busy}
                onChange={(e) => void change({ dispatching: (e.target as HTMLInputElement).checked })}
              />
              <span>{t('settings.dispatch_label')}</span>
            </label>
            <p class="muted">{settings.dispatching ? t('settings.dispatch_on') : t('settings.dispatch_off')}</p>
          </section>

          <section class="panel" aria-labelledby="set-limits">
            <h2 id="set-limits">{t('settings.limits')}</h2>
            <form onSubmit={(e) => void saveLimits(e)} class="limits">
              <label>
                <span>{t('settings.max')}</span>
                <input
                  type="number"
                  name="max_running"
                  min={1}
                  step={1}
                  required
                  value={maxText}
                  onInput={(e) => {
                    setMaxText((e.target as HTMLInputElement).value);
                    setDirty(true);
                  }}
                />
              </label>
              <label>
                <span>{t('settings.min')}</span>
                <input
                  type="number"
                  name="min_mem_mib"
                  min={0}
                  step={1}
                  required
                  value={minText}
                  onInput={(e) => {
                    setMinText((e.target as HTMLInputElement).value);
                    setDirty(true);
                  }}
                />
              </label>
              <div class="button-row">
                <button type="submit" class="btn btn-primary" disabled={busy || !dirty}>
                  {t('settings.save')}
                </button>
                <button type="button" class="btn" disabled={!dirty} onClick={() => setDirty(false)}>
                  {t('settings.reset')}
                </button>
              </div>
            </form>
          </section>

          <section class="panel" aria-labelledby="set-order">
            <h2 id="set-order">{t('settings.order')}</h2>
            <p class="muted">{t('settings.order_help')}</p>
            <OrderEditor t={t} current={settings.order} busy={busy} onApply={(order) => void change({ order })} />
          </section>

          <section class="panel" aria-labelledby="set-gpus">
            <h2 id="set-gpus">{t('settings.gpus')}</h2>
            <p class="muted">{t('settings.gpus_help')}</p>
            {ids.length === 0 ? (
              <p class="muted">{t('settings.gpus_none')}</p>
            ) : (
              <ul class="gpu-switches">
                {ids.map((id) => (
                  <li key={id}>
                    <label class="switch">
                      <input
                        type="checkbox"
                        role="switch"
                        checked={!settings.disabled_gpus.includes(Number(id))}
                        disabled={busy}
                        onChange={(e) => toggleGpu(Number(id), (e.target as HTMLInputElement).checked)}
                      />
                      <span>
                        {t('settings.gpu_label', { id, name: gpus[id].name ?? t('unknown') })}
                        {gpus[id].simulated && <span class="badge badge-sim">{t('gpus.simulated')}</span>}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="panel" aria-labelledby="set-token">
            <h2 id="set-token">{t('settings.token')}</h2>
            <p class="muted">{t('settings.token_help')}</p>
            <button type="button" class="btn btn-danger" onClick={() => void rotate()}>
              {t('settings.token_rotate')}
            </button>
          </section>

          {about && (
            <section class="panel about" aria-labelledby="set-about">
              <h2 id="set-about">{t('settings.about')}</h2>
              <dl class="about-list">
                <dt>{t('settings.about.version')}</dt>
                <dd>{about.version}</dd>
                <dt>{t('settings.about.host')}</dt>
                <dd>{about.host ?? t('unknown')}</dd>
                <dt>{t('settings.about.system')}</dt>
                <dd>{about.system}</dd>
                <dt>{t('settings.about.driver')}</dt>
                <dd>
                  {about.driver ?? t('unknown')}
                  {about.simulated && ` · ${t('settings.about.simulated')}`}
                </dd>
                <dt>{t('settings.about.gpu_source')}</dt>
                <dd class="mono">{about.gpu_source ?? t('unknown')}</dd>
                <dt>{t('settings.about.uptime')}</dt>
                <dd>{formatDuration(uptime) ?? t('unknown')}</dd>
                <dt>{t('settings.about.started')}</dt>
                <dd>{formatTime(about.started_ms) ?? t('unknown')}</dd>
                <dt>{t('settings.about.table')}</dt>
                <dd class="mono">{about.table}</dd>
                <dt>{t('settings.about.state_dir')}</dt>
                <dd class="mono">{about.state_dir}</dd>
                <dt>{t('settings.about.log_dir')}</dt>
                <dd class="mono">{about.log_dir}</dd>
              </dl>
            </section>
          )}
        </div>
      )}
    </section>
  );
}
