// The test harness: starts `vamyar serve --demo` (the debug binary cargo built) on a free
// port in a temporary folder, launches Debian's headless Chromium through playwright-core,
// runs axe-core in the same page, reads one-time codes, and takes screenshots.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the server over a fresh SQLite database; resolves once /healthz answers. */
export async function startServer() {
  const bin = process.env.VAMYAR_BIN || path.join(root, 'target', 'debug', 'vamyar');
  if (!existsSync(bin)) throw new Error(`build the binary first: ${bin}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vamyar-e2e-'));
  const port = await freePort();
  const env = { ...process.env, RUST_LOG: 'warn' };
  delete env.DATABASE_URL; // always the embedded SQLite database of the temporary folder
  for (const k of Object.keys(env)) if (k.startsWith('VAMYAR_')) delete env[k];
  const child = spawn(bin, ['serve', '--demo', '--addr', `127.0.0.1:${port}`], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dir,
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium (never downloads a browser). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A new page that records Content-Security-Policy violations and requests to other origins,
 * so a test can assert there were none.
 */
export async function newPage(browser, base, viewport) {
  const context = await browser.newContext({ viewport, locale: 'fa-IR' });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.problems.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) page.problems.push(`request to ${r.url()}`);
  });
  return page;
}

/** Runs axe-core on the page and returns its violations of any impact. */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** How far the document is wider than the viewport (0 when nothing scrolls sideways). */
export async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The one-time code last sent to `mobile`: from the SMS file when the worker writes it, else the outbox. */
export async function lastCode(dir, mobile) {
  const sms = path.join(dir, 'data', 'sms.jsonl');
  for (let i = 0; i < 30; i++) {
    if (existsSync(sms)) {
      const lines = readFileSync(sms, 'utf8').trim().split('\n').reverse();
      for (const l of lines) {
        const m = JSON.parse(l);
        // the SMS text is Persian: its digits are Persian digits
        const text = (m.text || '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
        const code = /(\d{6})/.exec(text);
        // only one-time codes: a tracking-code SMS also says «کد» and may hold six digits
        const isCode = m.kind ? m.kind === 'otp' : /کد|code/i.test(m.text);
        if (m.to === mobile && code && isCode) return code[1];
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // not yet sent by the worker: still in the outbox (codes are scrubbed from it once sent)
  const payload = execFileSync('sqlite3', [path.join(dir, 'data', 'vamyar.db'),
    "select payload from outbox where event = 'otp' order by id desc limit 1"]).toString();
  return JSON.parse(payload).notice.code;
}

/** Screenshots go to docs/screenshots (PNG, the viewport only, to keep them small). */
export async function shot(page, name) {
  if (process.env.SCREENSHOTS !== '1') return;
  const dir = path.join(root, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Today in Tehran as a Jalali date with Persian digits (what a clerk types). */
export function jalaliToday() {
  return new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-arabext', {
    timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(new Date()).replace(/[^۰-۹/]/g, '');
}

/** A tiny valid PDF to upload. */
export const PDF = { name: 'document.pdf', mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') };
