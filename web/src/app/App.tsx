// The app shell: header (connection, counts, ETA, navigation, language, theme), the page of
// the current hash route, toasts and the confirm dialog; and the AppContext every page gets.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';

import type { AppContext, Lang, PageProps, PageStrings } from './context';
import type { Status } from './api-types';
import { makeApi } from './api';
import { EventHub, type Connection } from './events';
import { initialLang, mergeStrings, saveLang, translator } from './i18n';
import { applyTheme, initialTheme, nextTheme, type Theme } from './theme';
import { parseHash, type PageName } from './router';
import { shellStrings } from './strings';
import { Header } from './Header';
import { Toasts, type Toast } from './Toasts';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';

import GpusPage, { strings as gpusStrings } from '../pages/gpus/index';
import TasksPage, { strings as tasksStrings } from '../pages/tasks/index';
import LogsPage, { strings as logsStrings } from '../pages/logs/index';
import SettingsPage, { strings as settingsStrings } from '../pages/settings/index';

const PAGES: Record<PageName, ComponentType<PageProps>> = {
  gpus: GpusPage,
  tasks: TasksPage,
  logs: LogsPage,
  settings: SettingsPage,
};

const STRINGS: PageStrings = mergeStrings([
  shellStrings,
  gpusStrings,
  tasksStrings,
  logsStrings,
  settingsStrings,
]);

// Kinds that change counts or ETA (gpu_sample does not: it comes every second).
const STATUS_KINDS = [
  'started',
  'finished',
  'failed',
  'oom',
  'requeued',
  'lost',
  'task_added',
  'task_changed',
  'task_dropped',
  'setting',
  'all_done',
];
const STATUS_REFRESH_MS = 15000;

// One hub and one api() for the page's lifetime.
const hub = new EventHub(async () => {
  try {
    const res = await fetch('/api/v1/status', { credentials: 'same-origin', cache: 'no-store' });
    return res.status;
  } catch {
    return 0;
  }
});
const api = makeApi((status) => hub.noteReach(status));

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [route, setRoute] = useState(() => parseHash(location.hash));
  const [connection, setConnection] = useState<Connection>(hub.connection);
  const [status, setStatus] = useState<Status | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [confirmRequest, setConfirmRequest] = useState<ConfirmRequest | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  const navigated = useRef(false);

  const t = useMemo(() => translator(STRINGS, lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  useEffect(() => applyTheme(theme), [theme]);

  useEffect(() => {
    const onHash = () => {
      navigated.current = true;
      setRoute(parseHash(location.hash));
    };
    window.addEventListener('hashchange', onHash);
    if (!location.hash) history.replaceState(null, '', '#/gpus');
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.title = `${t(`nav.${route.page}`)} · FlowLine`;
    if (navigated.current) mainRef.current?.focus({ preventScroll: true });
  }, [route.page, t]);

  // Connection and header counts: refreshed by events (coalesced), on resync and now and then
  // (the ETA moves with time).
  useEffect(() => {
    let timer: number | undefined;
    let inFlight = false;
    let again = false;
    const load = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        setStatus(await api<Status>('GET', '/api/v1/status'));
      } catch {
        // the connection state says why
      } finally {
        inFlight = false;
        if (again) {
          again = false;
          void load();
        }
      }
    };
    const soon = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 200);
    };
    const offConn = hub.onConnection(setConnection);
    const offEvents = hub.onEvent(STATUS_KINDS, soon);
    const offResync = hub.onResync(load);
    const interval = window.setInterval(load, STATUS_REFRESH_MS);
    void load();
    hub.start();
    return () => {
      offConn();
      offEvents();
      offResync();
      window.clearInterval(interval);
      window.clearTimeout(timer);
    };
  }, []);

  const toast = useCallback((message: string, kind: 'info' | 'error' = 'info') => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.slice(-4), { id, message, kind }]);
    window.setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === 'error' ? 10000 : 5000);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);

  const confirm = useCallback(
    (message: string) =>
      new Promise<boolean>((resolve) => {
        setConfirmRequest({ message, resolve });
      }),
    [],
  );
  const answerConfirm = useCallback(
    (yes: boolean) => {
      confirmRequest?.resolve(yes);
      setConfirmRequest(null);
    },
    [confirmRequest],
  );

  const ctx: AppContext = useMemo(
    () => ({
      api,
      onEvent: (kinds, fn) => hub.onEvent(kinds, fn),
      onResync: (fn) => hub.onResync(fn),
      t,
      lang,
      navigate: (hash: string) => {
        location.hash = hash.startsWith('#') ? hash : `#${hash}`;
      },
      toast,
      confirm,
    }),
    [t, lang, toast, confirm],
  );

  const switchLang = useCallback(() => {
    setLang((l) => {
      const next: Lang = l === 'en' ? 'zh' : 'en';
      saveLang(next);
      return next;
    });
  }, []);

  const Page = PAGES[route.page];
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        mainRef.current?.focus();
      }}>
        {t('app.skip')}
      </a>
      <Header
        t={t}
        page={route.page}
        connection={connection}
        status={status}
        theme={theme}
        onLang={switchLang}
        onTheme={() => setTheme(nextTheme(theme))}
      />
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Page key={route.page} ctx={ctx} params={route.params} />
      </main>
      <Toasts toasts={toasts} onDismiss={dismiss} t={t} />
      {confirmRequest && <ConfirmDialog request={confirmRequest} onAnswer={answerConfirm} t={t} />}
    </>
  );
}
