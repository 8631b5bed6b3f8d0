'use strict';
// The compiled cache form: a tokenizer.json in a huggingface_hub cache
// (blobs/<hash>) gets blobs/<hash>.hubtok on its first load, and later
// loads map it instead of parsing the JSON. Checked here: the image is
// written atomically and only for blobs; a load from it gives the same
// ids, offsets and decode as the JSON on generated text for every model
// family (the JSON path is the one parity.test.js holds to Rust); a
// corrupt, truncated, stale or foreign image is refused and rewritten;
// an image that cannot be written costs nothing but speed.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { AutoTokenizer } = require('../lib/index.js');
const { generateStrings } = require('./helpers/strings.js');
const { writeSynthTokenizers } = require('./helpers/synth.js');
const { writeSynthSpm } = require('./helpers/synth_spm.js');
const { writeWordPieceSynth } = require('./helpers/synth_wordpiece.js');
const { writeSynthUnigram } = require('./helpers/synth_unigram.js');

const FIXTURES = process.env.HUBTOK_FIXTURES || path.resolve(__dirname, '../../shared/fixtures/tokenizers');
const COMMIT = 'c0ffee'.padEnd(40, '0');
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-compiled-'));
test.after(() => fs.rmSync(ROOT, { recursive: true, force: true }));

let repoCount = 0;
// A repo laid out as hf_hub_download writes it; blobs named by sha256
// (LFS) or by git's blob sha1 (regular files). Returns its parts.
function layRepo(cache, srcDir, { gitSha1 = false } = {}) {
  const name = `models--test--repo${repoCount++}`;
  const repo = path.join(cache, name);
  const snap = path.join(repo, 'snapshots', COMMIT);
  fs.mkdirSync(path.join(repo, 'blobs'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'refs'), { recursive: true });
  fs.mkdirSync(snap, { recursive: true });
  fs.writeFileSync(path.join(repo, 'refs', 'main'), COMMIT);
  const blobs = {};
  for (const f of fs.readdirSync(srcDir)) {
    if (!/\.json$/.test(f)) continue;
    const data = fs.readFileSync(path.join(srcDir, f));
    const h = gitSha1
      ? crypto.createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex')
      : crypto.createHash('sha256').update(data).digest('hex');
    fs.writeFileSync(path.join(repo, 'blobs', h), data);
    fs.symlinkSync(`../../blobs/${h}`, path.join(snap, f));
    blobs[f] = path.join(repo, 'blobs', h);
  }
  return { cache, id: name.slice('models--'.length).replace('--', '/'), repo, blob: blobs['tokenizer.json'], image: `${blobs['tokenizer.json']}.hubtok` };
}

// A copy of the repo in a new cache (new inodes, so the in-process
// engine sharing of lib/tokenizer.js does not apply).
function copyRepo(r) {
  const cache = fs.mkdtempSync(path.join(ROOT, 'copy-'));
  fs.cpSync(r.repo, path.join(cache, path.basename(r.repo)), { recursive: true, verbatimSymlinks: true });
  const repo = path.join(cache, path.basename(r.repo));
  const rel = (p) => path.join(repo, path.relative(r.repo, p));
  return { ...r, cache, repo, blob: rel(r.blob), image: rel(r.image) };
}

const load = (r) => AutoTokenizer.from_pretrained(r.id, { cache_dir: r.cache, local_files_only: true });

function fingerprint(tok, texts) {
  return texts.map((t) => {
    const e = tok(t, { add_special_tokens: true, return_offsets_mapping: true, return_tensor: false });
    const plain = tok.encode(t, { add_special_tokens: false });
    const dec = (ids, o) => (ids.length ? tok.decode(ids, o) : '');
    return JSON.stringify([e.input_ids, e.offset_mapping, plain, dec(e.input_ids), dec(plain, { skip_special_tokens: true })]);
  });
}

const tmpLeft = (r) => fs.readdirSync(path.dirname(r.blob)).filter((f) => f.includes('.tmp.'));

// Every model family: the fixtures plus the synthesized tokenizers of
// the parity tests (Llama 3 / Qwen2 / o200k / DeepSeek byte-level BPE,
// Gemma SentencePiece BPE, WordLevel and component variants, Unigram
// with byte fallback).
const SOURCES = [];
for (const d of fs.readdirSync(FIXTURES)) {
  const dir = path.join(FIXTURES, d);
  if (fs.statSync(dir).isDirectory() && fs.existsSync(path.join(dir, 'tokenizer.json'))) SOURCES.push({ name: d, dir });
}
const synth = [
  writeSynthTokenizers(path.join(FIXTURES, 'openai-community--gpt2')),
  writeSynthSpm(path.join(FIXTURES, 'TinyLlama--TinyLlama-1.1B-Chat-v1.0')),
  writeWordPieceSynth(path.join(FIXTURES, 'google-bert--bert-base-uncased')),
  writeSynthUnigram(path.join(FIXTURES, 'google-t5--t5-small')),
];
test.after(() => { for (const s of synth) fs.rmSync(s.root, { recursive: true, force: true }); });
for (const s of synth) for (const t of s.tokenizers) SOURCES.push({ name: `synth-${t.name}`, dir: t.dir });

test('a load from the compiled form equals the JSON load on generated text, for every tokenizer', async () => {
  const cache = fs.mkdtempSync(path.join(ROOT, 'all-'));
  const texts = generateStrings({ seed: 77, count: 300, specials: ['<s>', '</s>', '[CLS]', '[SEP]', '<unk>', '<|endoftext|>', '<pad>'] });
  let matched = 0, total = 0;
  for (const src of SOURCES) {
    const r = layRepo(cache, src.dir);
    const fromDir = await AutoTokenizer.from_pretrained(src.dir);
    const first = await load(r); // parses the JSON, writes the image
    assert.ok(fs.statSync(r.image).size > 0, `${src.name}: image written`);
    assert.deepEqual(tmpLeft(r), [], `${src.name}: no temporary file left`);
    const c = copyRepo(r);
    const ino = fs.statSync(c.image).ino;
    const mapped = await load(c); // maps the image
    assert.equal(fs.statSync(c.image).ino, ino, `${src.name}: the image was used, not rewritten`);
    const want = fingerprint(fromDir, texts);
    for (const tok of [first, mapped]) {
      const got = fingerprint(tok, texts);
      for (let i = 0; i < texts.length; i++) { total++; if (got[i] === want[i]) matched++; }
      assert.deepEqual(got, want, src.name);
    }
  }
  console.log(`compiled form vs JSON: ${matched}/${total} texts equal over ${SOURCES.length} tokenizers`);
});

test('a new process loads from the image without parsing, with the same ids', async () => {
  const cache = fs.mkdtempSync(path.join(ROOT, 'proc-'));
  const r = layRepo(cache, path.join(FIXTURES, 'TinyLlama--TinyLlama-1.1B-Chat-v1.0'), { gitSha1: true });
  const script = `
    const { AutoTokenizer } = require(${JSON.stringify(path.resolve(__dirname, '../lib/index.js'))});
    AutoTokenizer.from_pretrained(${JSON.stringify(r.id)}, { cache_dir: ${JSON.stringify(cache)}, local_files_only: true })
      .then((t) => console.log(JSON.stringify(t.encode('Hello world!'))));`;
  assert.equal(execFileSync(process.execPath, ['-e', script]).toString().trim(), '[1,15043,3186,29991]');
  const st = fs.statSync(r.image);
  assert.match(path.basename(r.blob), /^[0-9a-f]{40}$/);
  assert.equal(execFileSync(process.execPath, ['-e', script]).toString().trim(), '[1,15043,3186,29991]');
  const st2 = fs.statSync(r.image);
  assert.equal(st2.ino, st.ino);
  assert.equal(st2.mtimeMs, st.mtimeMs);
});

test('a corrupt, truncated, stale or foreign image is refused and rewritten', async () => {
  const cache = fs.mkdtempSync(path.join(ROOT, 'bad-'));
  const gpt2 = layRepo(cache, path.join(FIXTURES, 'openai-community--gpt2'));
  const bert = layRepo(cache, path.join(FIXTURES, 'google-bert--bert-base-uncased'));
  await load(gpt2);
  await load(bert);
  const good = fs.readFileSync(gpt2.image);
  const damages = {
    'one flipped byte': (b) => { b[b.length >> 1] ^= 0x40; return b; },
    'truncated': (b) => b.subarray(0, b.length - 4096),
    'empty': () => Buffer.alloc(0),
    'other format version': (b) => { b.writeUInt32LE(b.readUInt32LE(8) + 1, 8); return b; },
    "another blob's image": () => fs.readFileSync(bert.image),
    'not an image': () => Buffer.from('{"version":"1.0"}'),
  };
  for (const [what, damage] of Object.entries(damages)) {
    const c = copyRepo(gpt2);
    fs.writeFileSync(c.image, damage(Buffer.from(good)));
    const ino = fs.statSync(c.image).ino;
    const tok = await load(c);
    assert.deepEqual(tok.encode('Hello world!'), [15496, 995, 0], what);
    assert.notEqual(fs.statSync(c.image).ino, ino, `${what}: rewritten`);
    assert.ok(fs.readFileSync(c.image).equals(good), `${what}: rewritten whole`);
    assert.deepEqual(tmpLeft(c), [], what);
  }
});

test('an image that cannot be written costs only the speed', async () => {
  const cache = fs.mkdtempSync(path.join(ROOT, 'ro-'));
  const r = layRepo(cache, path.join(FIXTURES, 'google-t5--t5-small'));
  fs.mkdirSync(r.image); // the rename onto it fails, even as root
  const tok = await load(r);
  assert.deepEqual(tok.encode('Hello world!'), [8774, 296, 55, 1]);
  assert.ok(fs.statSync(r.image).isDirectory());
  assert.deepEqual(tmpLeft(r), []);
});

test('only Hub cache blobs get an image: a local directory is left as it is', async () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'local-'));
  const src = path.join(FIXTURES, 'google-bert--bert-base-uncased');
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  const before = fs.readdirSync(dir).sort();
  const tok = await AutoTokenizer.from_pretrained(dir);
  assert.deepEqual(tok.encode('Hello world!'), [101, 7592, 2088, 999, 102]);
  assert.deepEqual(fs.readdirSync(dir).sort(), before);
});

test('tokenizing from local files or the Hub cache never maps libcurl or libcrypto', { skip: process.platform !== 'linux' }, () => {
  const cache = fs.mkdtempSync(path.join(ROOT, 'lazy-'));
  const r = layRepo(cache, path.join(FIXTURES, 'openai-community--gpt2'));
  const script = `
    const fs = require('fs');
    // Debian's own Node links the system libcrypto: only hubtok's own
    // mapping counts
    const cryptoBefore = /libcrypto\\.so/.test(fs.readFileSync('/proc/self/maps', 'utf8'));
    const { AutoTokenizer } = require(${JSON.stringify(path.resolve(__dirname, '../lib/index.js'))});
    (async () => {
      const a = await AutoTokenizer.from_pretrained(${JSON.stringify(path.join(FIXTURES, 'google-bert--bert-base-uncased'))});
      const b = await AutoTokenizer.from_pretrained(${JSON.stringify(r.id)}, { cache_dir: ${JSON.stringify(cache)}, local_files_only: true });
      const maps = fs.readFileSync('/proc/self/maps', 'utf8');
      console.log(JSON.stringify([a.encode('Hello world!'), b.encode('Hello world!'), /libcurl/.test(maps), !cryptoBefore && /libcrypto\\.so/.test(maps)]));
    })();`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script]).toString());
  assert.deepEqual(out, [[101, 7592, 2088, 999, 102], [15496, 995, 0], false, false]);
});
