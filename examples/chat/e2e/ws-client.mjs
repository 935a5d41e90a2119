// Drives the chat example with the npm `ws` client, a strict RFC 6455 / RFC 7692 implementation.
// Usage: node ws-client.mjs ws://127.0.0.1:PORT   — prints one "ok …" line per check, exits 1 on failure.
import WebSocket from 'ws';
import assert from 'node:assert/strict';

const base = process.argv[2];
if (!base) { console.error('usage: node ws-client.mjs ws://host:port'); process.exit(2); }
setTimeout(() => { console.error('FAIL: timed out'); process.exit(1); }, 30000).unref();

function open(path, options = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path, options);
    const queue = [], waiters = [];
    ws.on('message', (data, isBinary) => {
      const m = { data, isBinary };
      if (waiters.length) waiters.shift()(m); else queue.push(m);
    });
    ws.next = () => queue.length ? Promise.resolve(queue.shift()) : new Promise(r => waiters.push(r));
    ws.closed = new Promise(r => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function echoWithCompression() {
  const ws = await open('/ws/echo');
  assert.match(ws.extensions, /permessage-deflate/, 'permessage-deflate negotiated');
  ws.send('héllo ☕');
  let m = await ws.next();
  assert.equal(m.isBinary, false);
  assert.equal(m.data.toString(), 'héllo ☕');
  const bin = Buffer.from([0, 1, 2, 253, 254, 255]);
  ws.send(bin);
  m = await ws.next();
  assert.equal(m.isBinary, true);
  assert.deepEqual(Buffer.from(m.data), bin);
  const big = 'carafe '.repeat(60000); // 420 kB, compresses well
  ws.send(big);
  assert.equal((await ws.next()).data.toString(), big);
  const random = Buffer.alloc(300000);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  ws.send(random);
  assert.deepEqual(Buffer.from((await ws.next()).data), random);
  ws.send('frag', { fin: false });
  ws.send('men', { fin: false });
  ws.send('ted', { fin: true });
  assert.equal((await ws.next()).data.toString(), 'fragmented');
  const pong = new Promise(r => ws.once('pong', r));
  ws.ping(Buffer.from('are you there'));
  assert.equal((await pong).toString(), 'are you there');
  for (let i = 0; i < 100; i++) ws.send('n' + i); // context takeover across many messages
  for (let i = 0; i < 100; i++) assert.equal((await ws.next()).data.toString(), 'n' + i);
  ws.close(4001, 'bye');
  const c = await ws.closed;
  assert.equal(c.code, 4001);
  assert.equal(c.reason, 'bye');
  console.log('ok echo with permessage-deflate: text, binary, large, fragmented, ping, close');
}

async function echoWithoutCompression() {
  const ws = await open('/ws/echo', { perMessageDeflate: false });
  assert.equal(ws.extensions, '');
  ws.send(Buffer.alloc(70000, 7));
  assert.equal(Buffer.from((await ws.next()).data).length, 70000);
  ws.close();
  assert.equal((await ws.closed).code, 1000); // a close without a code is answered with 1000
  console.log('ok echo without compression');
}

async function tooBig() {
  const ws = await open('/ws/echo', { perMessageDeflate: false });
  ws.send(Buffer.alloc((1 << 20) + 1));
  assert.equal((await ws.closed).code, 1009);
  console.log('ok a message over 1 MiB is closed with 1009');
}

async function manyClients() {
  const clients = await Promise.all(Array.from({ length: 50 }, () => open('/ws/echo')));
  await Promise.all(clients.map(async (ws, c) => {
    for (let i = 0; i < 20; i++) ws.send(`c${c}-${i}`);
    for (let i = 0; i < 20; i++) assert.equal((await ws.next()).data.toString(), `c${c}-${i}`);
    ws.close(1000);
    assert.equal((await ws.closed).code, 1000);
  }));
  console.log('ok 50 concurrent clients, messages in order');
}

async function chatRoom() {
  const ada = await open('/ws/chat?name=ada');
  const bob = await open('/ws/chat?name=bob');
  ada.send('hello bob');
  assert.deepEqual(JSON.parse((await bob.next()).data), { name: 'ada', text: 'hello bob' });
  assert.deepEqual(JSON.parse((await ada.next()).data), { name: 'ada', text: 'hello bob' });
  ada.close(); bob.close();
  await Promise.all([ada.closed, bob.closed]);
  console.log('ok chat room broadcast');
}

try {
  await echoWithCompression();
  await echoWithoutCompression();
  await tooBig();
  await manyClients();
  await chatRoom();
  console.log('PASS');
  process.exit(0);
} catch (e) {
  console.error('FAIL:', e);
  process.exit(1);
}
