// The header: brand, navigation, counts by state with runs and ETA, the connection state in
// words, and the language and theme switches.
import type { Status } from './api-types';
import type { Connection } from './events';
import type { PageName } from './router';
import { PAGE_NAMES } from './router';
import type { Theme } from './theme';
import { formatDuration } from './format';

type T = (key: string, vars?: Record<string, string | number>) => string;

interface Props {
  t: T;
  page: PageName;
  connection: Connection;
  status: Status | null;
  theme: Theme;
  onLang: () => void;
  onTheme: () => void;
}

function Counts({ t, status }: { t: T; status: Status }) {
  const c = status.counts;
  const items: [string, number][] = [
    ['running', c.running],
    ['queued', c.queued],
    ['done', c.done],
    ['failed', c.failed],
  ];
  if (c.other > 0) items.push(['other', c.other]);
  const eta = formatDuration(status.eta_s);
  return (
    <ul class="counts" aria-label={t('counts.label')}>
      {items.map(([key, n]) => (
        <li key={key} class={`count count-${key}`} data-state={key}>
          <strong>{n}</strong> {t(`counts.${key}`)}
        </li>
      ))}
      <li class="count count-runs">{t('counts.runs', { done: c.runs_done, total: c.runs_total })}</li>
      <li class="count count-eta">
        {status.finished ? t('counts.finished') : eta ? t('counts.eta', { eta }) : t('counts.eta_unknown')}
      </li>
      {!status.dispatching && <li class="count count-paused">{t('dispatch.off')}</li>}
    </ul>
  );
}

export function Header({ t, page, connection, status, theme, onLang, onTheme }: Props) {
  return (
    <header class="app-header">
      <div class="header-row">
        <a class="brand" href="#/gpus">
          FlowLine
        </a>
        <nav aria-label={t('nav.label')}>
          <ul class="nav">
            {PAGE_NAMES.map((name) => (
              <li key={name}>
                <a href={`#/${name}`} aria-current={name === page ? 'page' : undefined}>
                  {t(`nav.${name}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="header-tools">
          <p class={`conn conn-${connection}`} role="status" data-connection={connection}>
            <span class="conn-dot" aria-hidden="true" />
            <span class="visually-hidden">{t('conn.label')}: </span>
            {t(`conn.${connection}`)}
          </p>
          <button type="button" class="btn btn-quiet" onClick={onLang} aria-label={t('lang.switch_label')}>
            {t('lang.switch')}
          </button>
          <button
            type="button"
            class="btn btn-quiet"
            onClick={onTheme}
            aria-label={t('theme.label', { theme: t(`theme.${theme}`) })}
            title={t('theme.label', { theme: t(`theme.${theme}`) })}
          >
            <span aria-hidden="true">{theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}</span>
          </button>
        </div>
      </div>
      {status && (
        <div class="header-row header-status">
          <Counts t={t} status={status} />
          {status.simulated && (
            <span class="badge badge-sim" title={t('simulated.hint')}>
              {t('simulated')}
            </span>
          )}
          <span class="table-name" title={status.table}>
            {status.table}
          </span>
        </div>
      )}
      {status?.table_unreadable && (
        <p class="banner banner-warn" role="alert">
          {t('table.unreadable', { why: status.table_unreadable })}
        </p>
      )}
      {status?.table_unwritten && (
        <p class="banner banner-warn" role="alert">
          {t('table.unwritten', { why: status.table_unwritten })}
        </p>
      )}
    </header>
  );
}
