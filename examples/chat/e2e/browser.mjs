// Opens the chat example's /selftest page in headless Chromium, driven over the DevTools protocol,
// and waits for the page to report PASS or FAIL in its title (it exercises WebSocket and
// EventSource against the server). Usage: node browser.mjs http://127.0.0.1:PORT [chromium path]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const base = process.argv[2];
const chromium = process.argv[3] || process.env.CHROMIUM || '/usr/bin/chromium';
if (!base) { console.error('usage: node browser.mjs http://host:port [chromium]'); process.exit(2); }
const profile = mkdtempSync(join(tmpdir(), 'carafe-chromium-'));
const browser = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });

function finish(code, message) {
  console.log(message);
  browser.kill('SIGKILL');
  try { rmSync(profile, { recursive: true, force: true }); } catch { /* best effort */ }
  process.exit(code);
}
setTimeout(() => finish(1, 'FAIL: timed out'), 45000).unref();
browser.on('exit', code => finish(1, 'FAIL: chromium exited with ' + code));

const devtools = await new Promise(resolve => {
  let err = '';
  browser.stderr.on('data', chunk => {
    err += chunk;
    const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
});
const port = new URL(devtools).port;
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find(t => t.type === 'page');
const cdp = new WebSocket(page.webSocketDebuggerUrl, { perMessageDeflate: false });
await new Promise((resolve, reject) => { cdp.once('open', resolve); cdp.once('error', reject); });
let nextId = 0;
const pending = new Map();
cdp.on('message', raw => {
  const msg = JSON.parse(raw);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
});
const call = (method, params = {}) => new Promise(resolve => {
  const id = ++nextId;
  pending.set(id, resolve);
  cdp.send(JSON.stringify({ id, method, params }));
});

await call('Page.navigate', { url: base + '/selftest' });
while (true) {
  const r = await call('Runtime.evaluate', { expression: 'document.title + "\\n" + (document.getElementById("out") || {}).textContent' });
  const text = r.result?.result?.value || '';
  const [title, ...log] = text.split('\n');
  if (title === 'PASS' || title.startsWith('FAIL')) finish(title === 'PASS' ? 0 : 1, log.join('\n') + title);
  await new Promise(r => setTimeout(r, 200)); // polling the page's state, not waiting for time to pass
}
