// Differential check of token ids: tiktoken (npm, OpenAI's Rust core in WASM) vs our tokenizer,
// through the tokens tool in --json-lines --ids mode. Texts: every raw line and every JSON string
// value of a gen-corpus.mjs corpus, the handmade adversarial lines, and seeded random strings
// built from the characters where the pre-tokenizer rules differ.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const { bench, tool, work, adversarial } = args;
const require = createRequire(path.join(bench, 'package.json'));
const { get_encoding } = require('tiktoken');

// --- texts
const texts = [];   // strings
const origin = [];  // where each came from, for the report
function add(text, from) { texts.push(text); origin.push(from); }

fs.mkdirSync(work, { recursive: true });
const corpus = path.join(work, 'corpus.jsonl');
execFileSync('node', [path.join(bench, 'gen-corpus.mjs'), '--mb', '3', '--seed', 'tokenizer-diff', '--bad-rate', '0.02',
  '--format', 'mixed', '--out', corpus], { stdio: 'inherit' });
const corpusLines = fs.readFileSync(corpus, 'utf8').split('\n');
if (corpusLines.at(-1) === '') corpusLines.pop();
function addStrings(v, from) {
  if (typeof v === 'string') add(v, from);
  else if (Array.isArray(v)) v.forEach((x) => addStrings(x, from));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => addStrings(x, from));
}
corpusLines.forEach((line, i) => {
  add(line, `corpus line ${i + 1}`);
  try { addStrings(JSON.parse(line), `corpus line ${i + 1} (JSON value)`); } catch { /* injected defect */ }
});

const advLines = fs.readFileSync(adversarial, 'utf8').split('\n');
if (advLines.at(-1) === '') advLines.pop();
advLines.forEach((line, i) => {
  // Each line is the inside of a JSON string literal (escapes such as \n, \u0085, \" allowed).
  add(JSON.parse(`"${line}"`), `adversarial.txt line ${i + 1}`);
});

// Seeded fuzz (sfc32) over a palette chosen where the two patterns and Unicode classes disagree.
let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = 7;
function rnd() {
  a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
  let t = (a + b) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11);
  d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0; return (t >>> 0) / 4294967296;
}
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const palette = [
  ...'abcdefghijklmnopqrstuvwxyzsdmtlvrsdmtlvre', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZSDMTLVRE', ...'0123456789',
  ' ', ' ', ' ', ' ', '\t', '\n', '\r', '\'', '\'', '\'', '/', '/', ...'!"#$%&()*+,-.:;<=>?@[\\]^_`{|}~',
  'ſ', 'K', 'ǅ', 'ǈ', 'ʰ', 'ʼ', 'ー', '日', '本', '한', 'ß', 'İ', 'ı', 'Σ', 'ς', 'é', 'É', 'ﬁ', 'ǰ',
  '\u0301', '\u0345', '\u0903', '\u20dd', '\u0300', '²', '½', 'Ⅻ', 'ⅷ', '١', '۷', '१', '１', 'Ａ',
  '\u0085', '\u00a0', '\u3000', '\u2028', '\u2029', '\u000b', '\u000c', '\u1680', '\u202f',
  '\u200b', '\ufeff', '\u001c', '\u00ad', '\u200d', '😀', '👩', '🏽', '🇧', '🇷', '\ufffd', '\ue000', '\u0378',
  '\u1c89', '\u1c8a', '\u{16D70}', '\u{10D50}', '\u{10D70}', '\u{1E5D0}', '\ud800', '\udc00', 'א', 'ب', '٣',
];
const words = ["don't", "DON'T", "Don'T", "I'll", "we're", "they'VE", "it'ſ", "'s", "'S", "'ſ", "''s", " '", "'ll", "'LL",
  'HTTPServer', 'iPhone', 'getHTTPResponse', 'ABCdef', '12345', '1,299.99', '   ', '\r\n', '\n\n', ' \n ', '<|endoftext|>',
  'https://x.io/a/b', 'e\u0301te\u0301', 'ÉCOLE', '   x', '  1', '  !', '\t\t', '日本語テキスト', '👩‍👩‍👧‍👦', '🇧🇷'];
const kFuzzLines = 30000;
for (let i = 0; i < kFuzzLines; i++) {
  let s = '';
  const parts = 1 + Math.floor(rnd() * 24);
  for (let k = 0; k < parts; k++) {
    if (rnd() < 0.25) s += pick(words);
    else s += pick(palette).repeat(1 + Math.floor(rnd() * (rnd() < 0.1 ? 40 : 3)));
  }
  add(s, `fuzz #${i + 1}`);
}
for (const ws of [' ', '\t', '\n', '\u3000', '\u00a0', ' \n']) {
  for (const n of [99, 100, 101, 257, 5000]) {
    add(ws.repeat(n), `long whitespace ${JSON.stringify(ws)} x${n}`);
    add(`x${ws.repeat(n)}y`, `long whitespace between words ${JSON.stringify(ws)} x${n}`);
    add(`x${ws.repeat(n)}1`, `long whitespace before a digit ${JSON.stringify(ws)} x${n}`);
  }
}

const textsFile = path.join(work, 'texts.jsonl');
fs.writeFileSync(textsFile, texts.map((t) => JSON.stringify(t)).join('\n') + '\n');
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
console.log(`tokenizer_differential: ${texts.length} texts (${(bytes / 1e6).toFixed(1)} MB): ${corpusLines.length} corpus lines and their JSON strings, ${advLines.length} adversarial lines, ${kFuzzLines} fuzz strings`);

// --- compare
let failures = 0;
for (const encoding of ['o200k_base', 'cl100k_base']) {
  const outFile = path.join(work, `ours.${encoding}.txt`);
  const fd = fs.openSync(outFile, 'w');
  const r = spawnSync(tool, ['--encoding', encoding, '--ids', '--json-lines', textsFile], { stdio: ['ignore', fd, 'pipe'] });
  fs.closeSync(fd);
  if (r.status !== 0) {
    console.log(`FAIL ${encoding}: tool exited ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${String(r.stderr).slice(0, 2000)}`);
    failures++;
    continue;
  }
  const ours = fs.readFileSync(outFile, 'utf8').split('\n');
  const enc = get_encoding(encoding);
  let mismatches = 0;
  let tokens = 0;
  for (let i = 0; i < texts.length; i++) {
    const want = Array.from(enc.encode_ordinary(texts[i]));
    tokens += want.length;
    const wantLine = `[${want.join(',')}]`;
    if (ours[i] === wantLine) continue;
    if (++mismatches <= 10) {
      const got = ours[i] === undefined ? [] : JSON.parse(ours[i] || '[]');
      let k = 0;
      while (k < want.length && got[k] === want[k]) k++;
      const show = (ids) => { try { return JSON.stringify(new TextDecoder().decode(enc.decode(new Uint32Array(ids)))); } catch { return "(undecodable)"; } };
      console.log(`MISMATCH ${encoding} text ${i + 1} (${origin[i]}): ${JSON.stringify(texts[i]).slice(0, 300)}`);
      console.log(`  first difference at token ${k}: tiktoken ${JSON.stringify(want.slice(k, k + 6))} ${show(want.slice(k, k + 6))}`);
      console.log(`                             ours     ${JSON.stringify(got.slice(k, k + 6))} ${show(got.slice(k, k + 6))}`);
    }
  }
  enc.free();
  console.log(`${encoding}: ${texts.length - mismatches}/${texts.length} texts identical, ${tokens} tokens, ${mismatches} mismatches`);
  if (mismatches) failures++;
}
console.log(failures ? 'tokenizer_differential: FAILED' : 'tokenizer_differential: PASSED (ids identical to tiktoken)');
process.exit(failures ? 1 : 0);
