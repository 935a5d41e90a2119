// Bounded load on the chat example: many SSE clients on /events and WebSocket echo clients on
// /ws/echo, checking that every event and echo arrives. Prints one JSON line of results.
// Usage: node bench/realtime-load.mjs http://127.0.0.1:PORT SSE_CLIENTS WS_CLIENTS WS_MESSAGES
// (bench/realtime.sh runs it against the chat jar and adds the server's memory.)
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../examples/chat/e2e/package.json', import.meta.url));
const WebSocket = require('ws');
const [base, sseN = '10000', wsN = '1000', wsMsgs = '20'] = process.argv.slice(2);
const SSE = Number(sseN), WS = Number(wsN), MSGS = Number(wsMsgs);
const wsBase = base.replace('http', 'ws');
const sleep = ms => new Promise(r => setTimeout(r, ms));
const mark = what => process.stderr.write(`[${new Date().toISOString()}] ${what}\n`);
setTimeout(() => { console.error('FAIL: timed out'); process.exit(1); }, 300000).unref();

// ---- SSE: connect everyone, then one chat message must reach every client's feed -------------
let messagesSeen = 0, sseErrors = 0;
const sseSockets = [];
function sseClient() {
  return new Promise(resolve => {
    const req = http.get(base + '/events', { agent: false, headers: { Accept: 'text/event-stream' } }, res => {
      if (res.statusCode !== 200) { sseErrors++; resolve(); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          if (buf.slice(0, i).includes('event: message')) messagesSeen++;
          buf = buf.slice(i + 2);
        }
      });
      res.on('error', () => sseErrors++);
      sseSockets.push(req);
      resolve();
    });
    req.on('error', () => { sseErrors++; resolve(); });
  });
}
const t0 = Date.now();
for (let i = 0; i < SSE; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, SSE - i) }, sseClient));
}
const sseConnectMs = Date.now() - t0;
mark(`${SSE} SSE clients connected in ${sseConnectMs} ms`);
process.send?.('sse-connected');
if (process.env.PAUSE_FILE) { // let the shell measure the server's memory now
  const fs = await import('node:fs');
  fs.writeFileSync(process.env.PAUSE_FILE + '.ready', '');
  while (!fs.existsSync(process.env.PAUSE_FILE + '.go')) await sleep(100);
}

const speaker = new WebSocket(wsBase + '/ws/chat?name=bench');
await new Promise((res, rej) => { speaker.once('open', res); speaker.once('error', rej); });
const t1 = Date.now();
speaker.send('hello, everyone');
while (messagesSeen < SSE && Date.now() - t1 < 60000) await sleep(20);
const fanoutMs = Date.now() - t1;
mark(`broadcast reached ${messagesSeen}/${SSE} SSE clients in ${fanoutMs} ms`);
speaker.close();

// ---- WebSocket echo: WS clients at once, each sending MSGS messages, checked in order -----------
let wsErrors = 0, echoed = 0;
const t2 = Date.now();
const sockets = await Promise.all(Array.from({ length: WS }, () => new Promise(resolve => {
  const ws = new WebSocket(wsBase + '/ws/echo');
  ws.once('open', () => resolve(ws));
  ws.once('error', () => { wsErrors++; resolve(null); });
})));
const wsConnectMs = Date.now() - t2;
await Promise.all(sockets.filter(Boolean).map((ws, c) => new Promise(resolve => {
  let next = 0;
  ws.on('message', data => {
    if (data.toString() !== `c${c}-m${next}`) wsErrors++;
    echoed++;
    if (++next === MSGS) resolve();
  });
  ws.on('error', () => { wsErrors++; resolve(); });
  for (let i = 0; i < MSGS; i++) ws.send(`c${c}-m${i}`);
})));
const echoMs = Date.now() - t2;
mark(`${WS} WebSocket clients echoed ${echoed} messages in ${echoMs} ms`);
if (process.env.PAUSE_FILE) {
  const fs = await import('node:fs');
  fs.writeFileSync(process.env.PAUSE_FILE + '.ws', '');
  while (!fs.existsSync(process.env.PAUSE_FILE + '.done')) await sleep(100);
}
for (const ws of sockets) ws?.close(1000);
for (const r of sseSockets) r.destroy();

const result = { sseClients: SSE, sseErrors, sseConnectMs, fanoutReached: messagesSeen, fanoutMs,
  wsClients: WS, wsMessagesEach: MSGS, wsEchoed: echoed, wsErrors, wsConnectMs, echoMs };
console.log(JSON.stringify(result));
const ok = sseErrors === 0 && messagesSeen === SSE && wsErrors === 0 && echoed === WS * MSGS;
process.exit(ok ? 0 : 1);
