// Terminal output as styled text: SGR codes (colours, 256 colours, true colour, bold, dim,
// italic, underline, inverse) become styles; every other escape (cursor moves, OSC titles,
// erase) is dropped; a carriage return starts the line over (progress bars show their last
// state). Text is only ever text: the view renders it as text nodes, never as HTML.

export interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Seg {
  text: string;
  style: Style | null; // null: plain
}

export interface Line {
  segs: Seg[];
  plain: string; // the text without escapes, for search
  bytes: number; // UTF-8 bytes of the raw line and its newline
}

// The 16 basic colours come from CSS variables (logs.css), so that both themes read well.
const basic = (n: number) => `var(--ansi-${n})`;

function color256(n: number): string {
  if (n < 16) return basic(n);
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const c = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}

/** The style after applying SGR parameters `params` ("1;31", "38;5;208", "") to `s`. */
export function applySgr(s: Style, params: string): Style {
  const p = params === '' ? [0] : params.split(/[;:]/).map((x) => (x === '' ? 0 : Number(x)));
  const out: Style = { ...s };
  for (let i = 0; i < p.length; ++i) {
    const n = p[i];
    if (n === 0) {
      for (const k of Object.keys(out)) delete out[k as keyof Style];
    } else if (n === 1) out.bold = true;
    else if (n === 2) out.dim = true;
    else if (n === 3) out.italic = true;
    else if (n === 4) out.underline = true;
    else if (n === 7) out.inverse = true;
    else if (n === 22) out.bold = out.dim = false;
    else if (n === 23) out.italic = false;
    else if (n === 24) out.underline = false;
    else if (n === 27) out.inverse = false;
    else if (n >= 30 && n <= 37) out.fg = basic(n - 30);
    else if (n >= 90 && n <= 97) out.fg = basic(n - 90 + 8);
    else if (n >= 40 && n <= 47) out.bg = basic(n - 40);
    else if (n >= 100 && n <= 107) out.bg = basic(n - 100 + 8);
    else if (n === 39) delete out.fg;
    else if (n === 49) delete out.bg;
    else if (n === 38 || n === 48) {
      let c: string | undefined;
      if (p[i + 1] === 5 && i + 2 < p.length) {
        c = color256(p[i + 2] & 255);
        i += 2;
      } else if (p[i + 1] === 2 && i + 4 < p.length) {
        c = `rgb(${p[i + 2] & 255},${p[i + 3] & 255},${p[i + 4] & 255})`;
        i += 4;
      } else break;
      if (n === 38) out.fg = c;
      else out.bg = c;
    }
  }
  return out;
}

const isPlain = (s: Style) => !s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse;

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), charset and other escapes, a lone ESC
// (an escape cut by a chunk's end), and the other C0 controls but tab, CR and LF.
const ESCAPES = /\x1b\[([0-9;:?<=>]*)[ -\/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)|\x1b[ -\/]+[0-~]|\x1b[0-~]|\x1b|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; ++i) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      ++i;
    } else n += 3;
  }
  return n;
}

/** One raw line (no newline) parsed, starting in `style`; returns the line and the style
 * it ends in (which the next line starts in). */
export function parseLine(raw: string, style: Style): { line: Line; style: Style } {
  let segs: Seg[] = [];
  let cur = style;
  let last = 0;
  // A carriage return starts the line over, unless it ends the line (CRLF).
  const push = (text: string, atEnd: boolean) => {
    const parts = text.split('\r');
    for (let k = 0; k < parts.length; ++k) {
      if (k > 0 && !(atEnd && k === parts.length - 1 && parts[k] === '')) segs = [];
      if (parts[k]) segs.push({ text: parts[k], style: isPlain(cur) ? null : cur });
    }
  };
  ESCAPES.lastIndex = 0;
  for (let m = ESCAPES.exec(raw); m; m = ESCAPES.exec(raw)) {
    push(raw.slice(last, m.index), false);
    last = m.index + m[0].length;
    if (m[2] === 'm' && m[1] !== undefined && !/[?<=>]/.test(m[1])) cur = applySgr(cur, m[1]);
  }
  push(raw.slice(last), true);
  return { line: { segs, plain: segs.map((s) => s.text).join(''), bytes: utf8Bytes(raw) + 1 }, style: cur };
}

/** Text into lines: every complete line, and the text after the last newline (`rest`), which
 * the caller keeps until more comes. */
export function parseText(text: string, style: Style): { lines: Line[]; rest: string; style: Style } {
  const lines: Line[] = [];
  let start = 0;
  let cur = style;
  for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
    const parsed = parseLine(text.slice(start, nl), cur);
    lines.push(parsed.line);
    cur = parsed.style;
    start = nl + 1;
  }
  return { lines, rest: text.slice(start), style: cur };
}

/** The CSS of a style, for a span's style attribute. */
export function css(s: Style): Record<string, string> {
  const out: Record<string, string> = {};
  let fg = s.fg;
  let bg = s.bg;
  if (s.inverse) {
    [fg, bg] = [bg ?? 'var(--lg-bg)', fg ?? 'var(--lg-text)'];
  }
  if (fg) out.color = fg;
  if (bg) out.background = bg;
  if (s.bold) out.fontWeight = '700';
  if (s.dim) out.opacity = '0.7';
  if (s.italic) out.fontStyle = 'italic';
  if (s.underline) out.textDecoration = 'underline';
  return out;
}
