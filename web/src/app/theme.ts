// Light and dark: the system's choice (prefers-color-scheme) until the user picks one, kept
// in localStorage. What is shown is the `data-scheme` attribute of <html> ('light' or 'dark',
// the system's choice resolved here), so app.css names each colour once.
export type Theme = 'auto' | 'light' | 'dark';

const STORAGE_KEY = 'flowline.theme';

export function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'auto') return saved;
  } catch {
    // storage disabled
  }
  return 'auto';
}

let chosen: Theme = 'auto';
const systemDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

function showScheme() {
  const dark = chosen === 'dark' || (chosen === 'auto' && systemDark());
  document.documentElement.dataset.scheme = dark ? 'dark' : 'light';
}

window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
  if (chosen === 'auto') showScheme();
});

export function applyTheme(theme: Theme) {
  chosen = theme;
  showScheme();
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // not kept
  }
  window.dispatchEvent(new Event(CHANGED));
}

const CHANGED = 'flowline-theme';

/** Calls `fn` when the page turns light or dark (a switch, or the system's choice). */
export function onThemeChange(fn: () => void): () => void {
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  window.addEventListener(CHANGED, fn);
  media?.addEventListener('change', fn);
  return () => {
    window.removeEventListener(CHANGED, fn);
    media?.removeEventListener('change', fn);
  };
}

/** Whether the page is dark now (for charts, which draw with colours, not CSS). */
export function isDark(): boolean {
  return document.documentElement.dataset.scheme === 'dark';
}

export function nextTheme(theme: Theme): Theme {
  return theme === 'auto' ? 'light' : theme === 'light' ? 'dark' : 'auto';
}
