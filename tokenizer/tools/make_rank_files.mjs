#!/usr/bin/env node
// Rebuilds tokenizer/data/<encoding>.tiktoken.tar.xz from the rank data that the pinned
// tiktoken npm package ships (encoders/<encoding>.json), because the build machines cannot
// reach openaipublic. The npm copy stores ranks as runs "<marker> <first-rank> <b64> <b64> ...";
// we expand it back to the official one-line-per-token text ("<b64> <rank>\n") and refuse to
// write anything unless its SHA-256 equals the hash tiktoken itself checks for the official file.
//
//   cd tokenizer/tools && npm ci && node make_rank_files.mjs
//
// The archive is a deterministic tar (sorted, mtime 0, uid/gid 0) compressed with xz, because
// CMake's file(ARCHIVE_EXTRACT) only reads archives, not raw .xz streams.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const dataDir = path.resolve(here, '..', 'data');

// From tiktoken_ext/openai_public.py (expected_hash=...).
const kOfficial = {
  o200k_base: { sha256: '446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d', ranks: 199998 },
  cl100k_base: { sha256: '223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7', ranks: 100256 },
};

function officialText(encoding) {
  const json = JSON.parse(fs.readFileSync(require.resolve(`tiktoken/encoders/${encoding}.json`), 'utf8'));
  const byRank = [];
  for (const line of json.bpe_ranks.split('\n')) {
    if (!line) continue;
    const [, first, ...tokens] = line.split(' ');
    const base = Number.parseInt(first, 10);
    tokens.forEach((token, i) => { byRank[base + i] = token; });
  }
  for (let r = 0; r < byRank.length; r++) {
    if (byRank[r] === undefined) throw new Error(`${encoding}: rank ${r} missing in the npm data`);
  }
  return byRank.map((token, rank) => `${token} ${rank}\n`).join('');
}

fs.mkdirSync(dataDir, { recursive: true });
for (const [encoding, want] of Object.entries(kOfficial)) {
  const text = officialText(encoding);
  const got = crypto.createHash('sha256').update(text).digest('hex');
  if (got !== want.sha256) {
    throw new Error(`${encoding}: reconstructed SHA-256 ${got}, but the official file has ${want.sha256}`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ajuste-ranks-'));
  const name = `${encoding}.tiktoken`;
  fs.writeFileSync(path.join(tmp, name), text);
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner',
    '-C', tmp, '-cf', '-', name], { maxBuffer: 1 << 28 });
  const xz = execFileSync('xz', ['-9e', '-T1', '-c'], { input: tar, maxBuffer: 1 << 28 });
  fs.writeFileSync(path.join(dataDir, `${name}.tar.xz`), xz);
  fs.rmSync(tmp, { recursive: true });
  console.log(`${encoding}: ${text.split('\n').length - 1} ranks, sha256 ${got} ok, ${xz.length} bytes compressed`);
}
