// Bundles the web UI (src/main.tsx) into index.html, app.js and app.css, minified, with a
// gzipped copy of each for the server to send as is. No CDN, no external font: the page
// works offline over an SSH tunnel. CMake runs this into its build directory and embeds the
// files into the flowline binary (cmake/web_ui.cmake); `npm run build` writes web/dist.
//
//   node web/build.mjs [--out DIR] [--dev]     (--dev: not minified, with source maps)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(here, 'dist'));
const dev = args.includes('--dev');
// The whole UI, gzipped, must stay under this (issue 12).
const budgetGzipBytes = 200 * 1024;

if (!existsSync(join(here, 'node_modules', 'esbuild'))) {
  console.error(
    'web/build.mjs: web/node_modules is missing: run scripts/install-deps.sh (or `npm ci` in web/)',
  );
  process.exit(1);
}
const esbuild = await import('esbuild');

const work = join(out, '.bundle');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  outdir: work,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
  logLevel: 'warning',
  metafile: true,
});
if (result.errors.length) process.exit(1);

const js = readFileSync(join(work, 'app.js'));
const css = existsSync(join(work, 'app.css')) ? readFileSync(join(work, 'app.css')) : Buffer.from('');
const short = (data) => createHash('sha256').update(data).digest('hex').slice(0, 16);
// index.html names its scripts by content hash: they may be cached for good, while
// index.html itself is revalidated every time.
const html = readFileSync(join(here, 'src', 'index.html'), 'utf8')
  .replace('{{css}}', `/app.css?v=${short(css)}`)
  .replace('{{js}}', `/app.js?v=${short(js)}`);

const files = { 'index.html': Buffer.from(html), 'app.js': js, 'app.css': css };
let gzipTotal = 0;
for (const [name, data] of Object.entries(files)) {
  writeFileSync(join(out, name), data);
  const gz = gzipSync(data, { level: zlib.Z_BEST_COMPRESSION });
  writeFileSync(join(out, name + '.gz'), gz);
  gzipTotal += gz.length;
}
rmSync(work, { recursive: true, force: true });
const kb = (n) => (n / 1024).toFixed(1) + ' kB';
const raw = Object.values(files).reduce((n, d) => n + d.length, 0);
console.log(`web UI: ${kb(raw)}, ${kb(gzipTotal)} gzipped -> ${out}`);
if (gzipTotal > budgetGzipBytes) {
  console.error(`web/build.mjs: the UI is ${kb(gzipTotal)} gzipped, over its ${kb(budgetGzipBytes)} budget`);
  process.exit(1);
}
