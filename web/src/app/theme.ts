// Light and dark: the system's choice (prefers-color-scheme) until the user picks one, kept
// in localStorage. The choice is the `data-theme` attribute of <html>; app.css does the rest.
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

export function applyTheme(theme: Theme) {
  const root = document.documentElement;
  if (theme === 'auto') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
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
  const set = document.documentElement.getAttribute('data-theme');
  if (set) return set === 'dark';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function nextTheme(theme: Theme): Theme {
  return theme === 'auto' ? 'light' : theme === 'light' ? 'dark' : 'auto';
}
