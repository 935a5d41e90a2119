// Frames each request stream given (one hex line per stream, in the file named by the first
// argument) with Node's own llhttp, in its default strict mode, and prints one JSON line per
// stream: the requests it completed ([method, target, body length]) and the error that stopped it.
// Used by NodeFramingDifferentialTest; process.binding gives the parser node:http itself uses.
const { HTTPParser, methods } = process.binding('http_parser');
const fs = require('fs');
const out = [];
const lines = fs.readFileSync(process.argv[2], 'latin1').split('\n');
lines.pop(); // after the last newline
for (const hex of lines) { // an empty line is an empty stream
  const requests = [];
  let current = null;
  let url = '';
  const p = new HTTPParser();
  p.initialize(HTTPParser.REQUEST, {});
  // A long head arrives in parts; during a body, this is the trailer section (whose url is stale).
  p[HTTPParser.kOnHeaders] = (headers, part) => { if (current === null) url += part; };
  p[HTTPParser.kOnHeadersComplete] = (major, minor, headers, method, part) => {
    current = { method: methods[method], url: url + (part || ''), length: 0 };
    url = '';
  };
  p[HTTPParser.kOnBody] = b => { current.length += b.length; };
  p[HTTPParser.kOnMessageComplete] = () => { requests.push([current.method, current.url, current.length]); current = null; };
  let error = null;
  const r = p.execute(Buffer.from(hex, 'hex'));
  if (r instanceof Error) error = r.code;
  else { const f = p.finish(); if (f instanceof Error) error = f.code; }
  out.push(JSON.stringify({ requests, error }));
}
console.log(out.join('\n'));
