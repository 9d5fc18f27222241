// English and Chinese: the language comes from the browser (navigator.language) until the
// user picks one, which is kept in localStorage. Every page's strings are merged into one
// table per language; a key missing in Chinese falls back to English, then to the key.
import type { Lang, PageStrings, Strings } from './context';

const STORAGE_KEY = 'flowline.lang';

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // storage may be disabled: fall through to the browser's language
  }
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return langs.some((l) => l?.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

export function saveLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not kept: the choice lasts until the page is reloaded
  }
}

export function mergeStrings(all: PageStrings[]): PageStrings {
  const en: Strings = {};
  const zh: Strings = {};
  for (const s of all) {
    Object.assign(en, s.en);
    Object.assign(zh, s.zh);
  }
  return { en, zh };
}

export function translator(table: PageStrings, lang: Lang) {
  return (key: string, vars?: Record<string, string | number>): string => {
    let text = table[lang][key] ?? table.en[key] ?? key;
    if (vars) text = text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
    return text;
  };
}
