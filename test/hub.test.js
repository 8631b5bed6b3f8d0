'use strict';
// The Hub client end to end, through the public JS API, against the
// loopback test Hub (test/helpers/test-hub.js): authentication and gated
// repos, where the token may go, errors, the huggingface_hub cache layout,
// revalidation, offline modes, local folders, retries and resume, progress
// events, shared downloads, and two processes on one cache.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');

const { startTestHub, TOKENS, REPO, gitBlobSha1, sha256Hex } = require('./helpers/test-hub.js');
const { AutoTokenizer, PreTrainedTokenizer, LlamaTokenizer, env } = require('../lib/index.js');

const FIXTURES = process.env.HUBTOK_FIXTURES || path.resolve(__dirname, '../../shared/fixtures/tokenizers');
const TINYLLAMA_DIR = path.join(FIXTURES, 'TinyLlama--TinyLlama-1.1B-Chat-v1.0');
const HELLO_IDS = [1, 15043, 3186, 29991];
const TOKEN_ENV = ['HF_TOKEN', 'HF_ACCESS_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_OFFLINE',
  'TRANSFORMERS_OFFLINE', 'HF_ENDPOINT', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_HOME',
  'HF_HUB_ETAG_TIMEOUT', 'HF_HUB_DOWNLOAD_TIMEOUT', 'http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY',
  'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];

let hub;
let scratch;
const savedEnv = {};

test.before(async () => {
  for (const k of TOKEN_ENV) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-hub-test-'));
  // No token file of the machine's user may leak into these tests.
  process.env.HF_HOME = path.join(scratch, 'hf-home');
  hub = await startTestHub();
});

test.after(async () => {
  await hub?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const k of TOKEN_ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

let beforeEachEnv;
test.beforeEach(() => {
  env.remoteHost = hub.endpoint;
  env.allowRemoteModels = true;
  env.allowLocalModels = true;
  env.cacheDir = null;
  hub.resetLogs();
  hub.clearFaults();
  beforeEachEnv = { ...process.env };
});

test.afterEach(() => {
  for (const k of TOKEN_ENV) {
    if (beforeEachEnv[k] === undefined) delete process.env[k];
    else process.env[k] = beforeEachEnv[k];
  }
  env.cacheDir = null;
});

let cacheSeq = 0;
function freshCache() {
  return path.join(scratch, `cache-${++cacheSeq}`);
}

const fast = { __testing: { backoffBaseMs: 20 } };

function url(repo, file, revision = 'main') {
  return `${hub.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`;
}

function methods(log) {
  return log.map((r) => `${r.method} ${decodeURIComponent(r.url.split('?')[0])}`);
}

function assertNoToken(value, token) {
  const text = typeof value === 'string' ? value : util.inspect(value, { depth: 10, showHidden: true });
  assert.ok(!text.includes(token), `token leaked into: ${text.slice(0, 400)}`);
}

async function rejects(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

function repoDir(cache, repo) {
  return path.join(cache, `models--${repo.replace('/', '--')}`);
}

// --- authentication and gated repos -------------------------------------

test('gated repo without a token: 401, GatedRepo, says no token was sent and where to ask', async () => {
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache() }));
  assert.equal(err.code, 'HUBTOK_GATED');
  assert.equal(err.status, 401);
  assert.equal(err.serverErrorCode, 'GatedRepo');
  assert.equal(err.serverErrorMessage, 'Access to model meta-llama/Llama-2-7b-hf is restricted. You must have access to it and be authenticated to access it. Please log in.');
  assert.match(err.message, /^Unauthorized access to file: "http:\/\/127\.0\.0\.1:\d+\/meta-llama\/Llama-2-7b-hf\/resolve\/main\/tokenizer\.json"\./);
  assert.match(err.message, /No access token was sent/);
  assert.ok(err.message.includes(`${hub.endpoint}/meta-llama/Llama-2-7b-hf`), err.message);
  assert.ok(err instanceof Error);
  for (const r of hub.requests) assert.equal(r.headers.authorization, undefined);
});

test('gated repo with a token not granted: 403, says a token was sent', async () => {
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: TOKENS.refused }));
  assert.equal(err.code, 'HUBTOK_GATED');
  assert.equal(err.status, 403);
  assert.equal(err.serverErrorCode, 'GatedRepo');
  assert.match(err.message, /^Forbidden access to file: "http:\/\/127\.0\.0\.1:\d+\/meta-llama\/Llama-2-7b-hf\/resolve\/main\/tokenizer\.json"\./);
  assert.match(err.message, /token was sent/);
  assertNoToken(err.message, TOKENS.refused);
  assertNoToken(err.stack, TOKENS.refused);
  assertNoToken(err, TOKENS.refused);
});

test('gated repo with HF_TOKEN set in code before the call: the seed ids; the CDN never sees the token', async () => {
  process.env.HF_TOKEN = TOKENS.granted;
  const cache = freshCache();
  const tokenizer = await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache });
  assert.deepEqual(tokenizer.encode('Hello world!'), HELLO_IDS);
  assert.ok(tokenizer instanceof LlamaTokenizer);
  assert.equal(tokenizer.padding_side, 'left');
  assert.deepEqual(hub.cdnAuthViolations, []);
  assert.ok(hub.cdnRequests.length >= 1, 'tokenizer.json is an LFS file served by the CDN');
  for (const r of hub.cdnRequests) assert.equal(r.headers.authorization, undefined);
  for (const r of hub.requests) assert.equal(r.headers.authorization, `Bearer ${TOKENS.granted}`);
  assertNoToken(tokenizer, TOKENS.granted);
  // Nothing in the cache holds the token.
  const files = fs.readdirSync(cache, { recursive: true }).map((f) => path.join(cache, f));
  for (const f of files) {
    if (fs.lstatSync(f).isFile()) assert.ok(!fs.readFileSync(f).includes(TOKENS.granted), f);
  }
});

test('token sources: HF_ACCESS_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, and the per-call option wins', async () => {
  process.env.HF_ACCESS_TOKEN = TOKENS.granted;
  assert.deepEqual((await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache() })).encode('Hello world!'), HELLO_IDS);
  delete process.env.HF_ACCESS_TOKEN;

  process.env.HUGGING_FACE_HUB_TOKEN = TOKENS.granted;
  assert.deepEqual((await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache() })).encode('Hello world!'), HELLO_IDS);
  delete process.env.HUGGING_FACE_HUB_TOKEN;

  const tokenFile = path.join(scratch, 'token');
  fs.writeFileSync(tokenFile, `${TOKENS.granted}\n`, { mode: 0o600 });
  process.env.HF_TOKEN_PATH = tokenFile;
  assert.deepEqual((await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache() })).encode('Hello world!'), HELLO_IDS);

  // $HF_HOME/token when HF_TOKEN_PATH is unset (where `huggingface-cli login` writes it).
  delete process.env.HF_TOKEN_PATH;
  fs.mkdirSync(process.env.HF_HOME, { recursive: true });
  fs.writeFileSync(path.join(process.env.HF_HOME, 'token'), TOKENS.granted);
  assert.deepEqual((await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache() })).encode('Hello world!'), HELLO_IDS);
  fs.rmSync(path.join(process.env.HF_HOME, 'token'));

  // The per-call token beats the environment (multi-tenant servers).
  process.env.HF_TOKEN = TOKENS.granted;
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: TOKENS.refused }));
  assert.equal(err.code, 'HUBTOK_GATED');
  assert.equal(err.status, 403);
  const anon = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: false }));
  assert.equal(anon.status, 401);
});

test('an invalid token: 401 HUBTOK_UNAUTHORIZED with the server message', async () => {
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), token: 'hf_wrong_test_token' }));
  assert.equal(err.code, 'HUBTOK_UNAUTHORIZED');
  assert.equal(err.status, 401);
  assert.equal(err.serverErrorMessage, 'Invalid credentials in Authorization header');
  assert.match(err.message, /^Unauthorized access to file: "/);
  assertNoToken(err, 'hf_wrong_test_token');
});

test('a token holding control characters is refused before any request', async () => {
  for (const bad of [`${TOKENS.granted}\r\nX-Evil: 1`, `hf_a\nb`, `hf_a\u0000b`, `hf_a\u007fb`]) {
    const err = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: bad }));
    assert.equal(err.code, 'HUBTOK_INVALID_TOKEN');
    assertNoToken(err, bad);
    assertNoToken(err.message, 'X-Evil');
  }
  assert.deepEqual(hub.requests, []);
});

test('private repo: RepoNotFound for strangers, loads for its owner', async () => {
  const anon = await rejects(AutoTokenizer.from_pretrained(REPO.private, { cache_dir: freshCache() }));
  assert.equal(anon.code, 'HUBTOK_REPO_NOT_FOUND');
  assert.equal(anon.status, 401);
  assert.equal(anon.serverErrorCode, 'RepoNotFound');
  const other = await rejects(AutoTokenizer.from_pretrained(REPO.private, { cache_dir: freshCache(), token: TOKENS.granted }));
  assert.equal(other.code, 'HUBTOK_REPO_NOT_FOUND');
  assert.equal(other.status, 404);
  assert.match(other.message, /^Could not locate file: "/);
  const tok = await AutoTokenizer.from_pretrained(REPO.private, { cache_dir: freshCache(), token: TOKENS.privateOwner });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
});

test('missing revision: HUBTOK_REVISION_NOT_FOUND; missing repo: HUBTOK_REPO_NOT_FOUND', async () => {
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), revision: 'no-such-branch' }));
  assert.equal(err.code, 'HUBTOK_REVISION_NOT_FOUND');
  assert.equal(err.status, 404);
  assert.equal(err.serverErrorCode, 'RevisionNotFound');
  assert.match(err.message, /^Could not locate file: "http:\/\/127\.0\.0\.1:\d+\/TinyLlama\/TinyLlama-1\.1B-Chat-v1\.0\/resolve\/no-such-branch\/tokenizer\.json"\./);
  const missing = await rejects(AutoTokenizer.from_pretrained('nobody/nothing', { cache_dir: freshCache() }));
  assert.equal(missing.code, 'HUBTOK_REPO_NOT_FOUND');
});

test('a repo without tokenizer_config.json loads; the miss is cached in .no_exist', async () => {
  const cache = freshCache();
  const tok = await AutoTokenizer.from_pretrained(REPO.noConfig, { cache_dir: cache });
  assert.ok(tok instanceof PreTrainedTokenizer);
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  const commit = hub.commits.noConfig;
  assert.ok(fs.existsSync(path.join(repoDir(cache, REPO.noConfig), '.no_exist', commit, 'tokenizer_config.json')));
  // Pinned to that commit, a second load makes no request at all.
  hub.resetLogs();
  await AutoTokenizer.from_pretrained(REPO.noConfig, { cache_dir: cache, revision: commit });
  assert.deepEqual(hub.requests, []);
});

// --- URLs, revisions and the cache layout ----------------------------------

test('revision refs/pr/1 is one percent-encoded segment and lands in refs/refs/pr/1', async () => {
  const cache = freshCache();
  const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache, revision: 'refs/pr/1' });
  assert.equal(tok.model_max_length, 4096);
  for (const r of hub.requests) assert.match(r.url, /\/resolve\/refs%2Fpr%2F1\//);
  assert.equal(fs.readFileSync(path.join(repoDir(cache, REPO.tinyllama), 'refs', 'refs', 'pr', '1'), 'utf8'), hub.commits.pr1);
  const main = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache });
  assert.equal(main.model_max_length, 2048);
});

test('the cache has huggingface_hub\'s layout: blobs by etag, refs, relative snapshot symlinks', async () => {
  const cache = freshCache();
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  const dir = repoDir(cache, REPO.gated);
  const commit = hub.commits.gated;
  assert.equal(fs.readFileSync(path.join(dir, 'refs', 'main'), 'utf8'), commit);
  const tj = fs.readFileSync(path.join(TINYLLAMA_DIR, 'tokenizer.json'));
  const tc = fs.readFileSync(path.join(TINYLLAMA_DIR, 'tokenizer_config.json'));
  // LFS file: blob named by sha256; regular file: by git blob sha1.
  assert.equal(fs.readlinkSync(path.join(dir, 'snapshots', commit, 'tokenizer.json')), `../../blobs/${sha256Hex(tj)}`);
  assert.equal(fs.readlinkSync(path.join(dir, 'snapshots', commit, 'tokenizer_config.json')), `../../blobs/${gitBlobSha1(tc)}`);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'blobs', sha256Hex(tj))), tj);
  // plus hubtok's compiled form of tokenizer.json (ignored by Python,
  // which finds blobs through the snapshots)
  assert.deepEqual(fs.readdirSync(path.join(dir, 'blobs')).sort(), [gitBlobSha1(tc), sha256Hex(tj), `${sha256Hex(tj)}.hubtok`].sort());
  assert.ok(fs.existsSync(path.join(cache, '.locks', `models--meta-llama--Llama-2-7b-hf`)));
});

test('a cache laid out by Python (huggingface_hub) serves hubtok with no request', async () => {
  // The layout hf_hub_download writes: blobs/<etag>, refs/main holding the
  // commit without newline, snapshots/<commit>/<file> -> ../../blobs/<etag>.
  const cache = freshCache();
  const commit = 'a'.repeat(40);
  const dir = repoDir(cache, 'someone/python-filled');
  fs.mkdirSync(path.join(dir, 'blobs'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'refs'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'snapshots', commit), { recursive: true });
  fs.writeFileSync(path.join(dir, 'refs', 'main'), commit);
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) {
    const bytes = fs.readFileSync(path.join(TINYLLAMA_DIR, f));
    const etag = f === 'tokenizer.json' ? sha256Hex(bytes) : gitBlobSha1(bytes);
    fs.writeFileSync(path.join(dir, 'blobs', etag), bytes);
    fs.symlinkSync(`../../blobs/${etag}`, path.join(dir, 'snapshots', commit, f));
  }
  // Python transformers also probes chat_template.jinja; its miss is a
  // .no_exist marker.
  fs.mkdirSync(path.join(dir, '.no_exist', commit), { recursive: true });
  fs.writeFileSync(path.join(dir, '.no_exist', commit, 'chat_template.jinja'), '');
  const offline = await AutoTokenizer.from_pretrained('someone/python-filled', { cache_dir: cache, local_files_only: true });
  assert.deepEqual(offline.encode('Hello world!'), HELLO_IDS);
  const pinned = await AutoTokenizer.from_pretrained('someone/python-filled', { cache_dir: cache, revision: commit });
  assert.deepEqual(pinned.encode('Hello world!'), HELLO_IDS);
  assert.deepEqual(hub.requests, []);
});

test('cache folder: cache_dir, then env.cacheDir, then HF_HUB_CACHE, then $HF_HOME/hub', async () => {
  const a = freshCache();
  const b = freshCache();
  const c = freshCache();
  const home = path.join(scratch, 'home-for-cache');
  process.env.HF_HOME = home;
  await AutoTokenizer.from_pretrained(REPO.noConfig);
  assert.ok(fs.existsSync(repoDir(path.join(home, 'hub'), REPO.noConfig)));
  process.env.HF_HUB_CACHE = c;
  await AutoTokenizer.from_pretrained(REPO.noConfig);
  assert.ok(fs.existsSync(repoDir(c, REPO.noConfig)));
  env.cacheDir = b;
  await AutoTokenizer.from_pretrained(REPO.noConfig);
  assert.ok(fs.existsSync(repoDir(b, REPO.noConfig)));
  await AutoTokenizer.from_pretrained(REPO.noConfig, { cache_dir: a });
  assert.ok(fs.existsSync(repoDir(a, REPO.noConfig)));
});

test('HF_ENDPOINT is used when env.remoteHost is not set', async () => {
  env.remoteHost = null;
  process.env.HF_ENDPOINT = `${hub.endpoint}/`;
  const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache() });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  assert.ok(hub.requests.length >= 2);
});

// --- revalidation and offline --------------------------------------------

test('a second load makes only HEAD requests; a pinned commit none; offline modes none', async () => {
  const cache = freshCache();
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  assert.ok(hub.requests.some((r) => r.method === 'GET'));

  hub.resetLogs();
  const again = await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  assert.deepEqual(again.encode('Hello world!'), HELLO_IDS);
  assert.deepEqual(methods(hub.requests).sort(), [
    'HEAD /meta-llama/Llama-2-7b-hf/resolve/main/chat_template.jinja',
    'HEAD /meta-llama/Llama-2-7b-hf/resolve/main/tokenizer.json',
    'HEAD /meta-llama/Llama-2-7b-hf/resolve/main/tokenizer_config.json',
  ]);
  assert.deepEqual(hub.cdnRequests, []);

  hub.resetLogs();
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted, revision: hub.commits.gated });
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, local_files_only: true });
  env.allowRemoteModels = false;
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache });
  env.allowRemoteModels = true;
  process.env.HF_HUB_OFFLINE = '1';
  const off = await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache });
  assert.deepEqual(off.encode('Hello world!'), HELLO_IDS);
  assert.deepEqual(hub.requests, []);
  assert.deepEqual(hub.cdnRequests, []);
});

test('offline with nothing cached: clear errors and no request', async () => {
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), local_files_only: true }));
  assert.equal(err.code, 'HUBTOK_OFFLINE');
  assert.match(err.message, /^`local_files_only=true` or `env\.allowRemoteModels=false` and file was not found locally at "/);
  process.env.HF_HUB_OFFLINE = 'true';
  const err2 = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache() }));
  assert.equal(err2.code, 'HUBTOK_OFFLINE');
  assert.match(err2.message, /HF_HUB_OFFLINE/);
  assert.deepEqual(hub.requests, []);
});

test('when the Hub cannot be reached, the cached snapshot of that revision is used', async () => {
  const cache = freshCache();
  await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache });
  // A port nobody listens on.
  const dead = net.createServer();
  await new Promise((r) => dead.listen(0, '127.0.0.1', r));
  const port = dead.address().port;
  await new Promise((r) => dead.close(r));
  env.remoteHost = `http://127.0.0.1:${port}`;
  const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache, ...fast });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  // Nothing cached and nothing reachable: HUBTOK_NETWORK.
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), ...fast }));
  assert.equal(err.code, 'HUBTOK_NETWORK');
  // A Hub answering 503 on HEAD also falls back to the cache.
  env.remoteHost = hub.endpoint;
  hub.fault(`${REPO.tinyllama}/tokenizer.json`, 'head-503', { times: Infinity });
  const tok2 = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache, ...fast });
  assert.deepEqual(tok2.encode('Hello world!'), HELLO_IDS);
});

test('a shared cache never serves a gated repo to a caller the Hub refuses', async () => {
  const cache = freshCache();
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  const refused = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.refused }));
  assert.equal(refused.code, 'HUBTOK_GATED');
  assert.equal(refused.status, 403);
  const anonymous = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: false }));
  assert.equal(anonymous.code, 'HUBTOK_GATED');
  assert.equal(anonymous.status, 401);
  // The granted caller still loads, with one HEAD per file (the optional
  // chat_template.jinja included).
  hub.resetLogs();
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  assert.deepEqual(hub.requests.map((r) => r.method), ['HEAD', 'HEAD', 'HEAD']);
});

// --- redirects --------------------------------------------------------------

test('a relative redirect (renamed repo) is followed with the token; the CDN redirect without it', async () => {
  const tok = await AutoTokenizer.from_pretrained(REPO.renamed, { cache_dir: freshCache(), token: TOKENS.granted });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  const followed = hub.requests.filter((r) => r.url.startsWith(`/${REPO.tinyllama}/`));
  assert.ok(followed.length >= 1);
  for (const r of followed) assert.equal(r.headers.authorization, `Bearer ${TOKENS.granted}`);
});

// --- faults: retries, resume, integrity, timeouts ---------------------------

test('a connection dropped mid-body is resumed with Range', async () => {
  hub.fault(`${REPO.gated}/tokenizer.json`, 'drop');
  const tok = await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: TOKENS.granted, ...fast });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  const gets = hub.cdnRequests.filter((r) => r.method === 'GET');
  assert.equal(gets.length, 2);
  assert.match(gets[1].headers.range, /^bytes=\d+-$/);
  assert.ok(Number(gets[1].headers.range.slice(6, -1)) > 0);
  assert.deepEqual(hub.cdnAuthViolations, []);
});

test('429 with Retry-After and 503 are retried', async () => {
  hub.fault(`${REPO.tinyllama}/tokenizer.json`, '429');
  hub.fault(`${REPO.tinyllama}/tokenizer_config.json`, '503');
  const t0 = Date.now();
  const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), ...fast });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  assert.ok(Date.now() - t0 >= 900, 'Retry-After: 1 was honoured');
  const gets = methods(hub.requests.filter((r) => r.method === 'GET')).sort();
  assert.deepEqual(gets, [
    'GET /TinyLlama/TinyLlama-1.1B-Chat-v1.0/resolve/main/tokenizer.json',
    'GET /TinyLlama/TinyLlama-1.1B-Chat-v1.0/resolve/main/tokenizer.json',
    'GET /TinyLlama/TinyLlama-1.1B-Chat-v1.0/resolve/main/tokenizer_config.json',
    'GET /TinyLlama/TinyLlama-1.1B-Chat-v1.0/resolve/main/tokenizer_config.json',
  ]);
});

test('a body with the wrong sha256 never enters the cache', async () => {
  const cache = freshCache();
  hub.fault(`${REPO.gated}/tokenizer.json`, 'wrong-sha', { times: Infinity });
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted, ...fast }));
  assert.equal(err.code, 'HUBTOK_INTEGRITY');
  const blobs = path.join(repoDir(cache, REPO.gated), 'blobs');
  const tj = fs.readFileSync(path.join(TINYLLAMA_DIR, 'tokenizer.json'));
  const names = fs.existsSync(blobs) ? fs.readdirSync(blobs) : [];
  assert.ok(!names.includes(sha256Hex(tj)));
  assert.deepEqual(names.filter((n) => n.endsWith('.incomplete')), []);
  assert.ok(!fs.existsSync(path.join(repoDir(cache, REPO.gated), 'snapshots', hub.commits.gated, 'tokenizer.json')));
  // Once the server is fixed, the same cache loads.
  hub.clearFaults();
  const tok = await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
});

test('a stalled server times out (HF_HUB_DOWNLOAD_TIMEOUT) instead of hanging', async () => {
  process.env.HF_HUB_DOWNLOAD_TIMEOUT = '1';
  hub.fault(`${REPO.tinyllama}/tokenizer.json`, 'stall', { times: Infinity });
  const t0 = Date.now();
  const err = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), __testing: { backoffBaseMs: 20, maxRetries: 1 } }));
  assert.equal(err.code, 'HUBTOK_TIMEOUT');
  assert.ok(Date.now() - t0 < 15000);
});

// --- progress, sharing, processes -------------------------------------------

test('progress_callback gets initiate, download, progress and done for each file', async () => {
  const events = [];
  await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: TOKENS.granted, progress_callback: (e) => events.push(e) });
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    const mine = events.filter((e) => e.file === file);
    assert.deepEqual(mine[0], { status: 'initiate', name: REPO.gated, file });
    assert.deepEqual(mine[1], { status: 'download', name: REPO.gated, file });
    assert.deepEqual(mine.at(-1), { status: 'done', name: REPO.gated, file });
    const progress = mine.filter((e) => e.status === 'progress');
    const size = fs.statSync(path.join(TINYLLAMA_DIR, file)).size;
    assert.ok(progress.length >= 1);
    assert.deepEqual(progress.at(-1), { status: 'progress', name: REPO.gated, file, progress: 100, loaded: size, total: size });
    for (const e of progress) assert.ok(e.loaded <= e.total && e.progress >= 0 && e.progress <= 100);
  }
  assertNoToken(JSON.stringify(events), TOKENS.granted);
});

test('concurrent loads in one process share one download', async () => {
  const cache = freshCache();
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache })));
  for (const t of [a, b, c]) assert.deepEqual(t.encode('Hello world!'), HELLO_IDS);
  const gets = hub.requests.filter((r) => r.method === 'GET' && r.url.endsWith('/tokenizer.json'));
  assert.equal(gets.length, 1);
});

function spawnChild(script, childEnv) {
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...childEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errOut = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { errOut += d; });
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err: errOut })));
  return { child, done };
}

function runChild(script, childEnv) {
  return spawnChild(script, childEnv).done;
}

const LOAD_SCRIPT = (repo) => `
  const { AutoTokenizer, env } = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'index.js'))});
  env.remoteHost = process.env.TEST_HUB;
  AutoTokenizer.from_pretrained(${JSON.stringify(repo)}, { cache_dir: process.env.TEST_CACHE })
    .then((t) => console.log(JSON.stringify(t.encode('Hello world!'))), (e) => { console.error(e.code, e.message); process.exit(3); });`;

test('two processes loading the same model at once share the cache safely', async () => {
  const cache = freshCache();
  const childEnv = { TEST_HUB: hub.endpoint, TEST_CACHE: cache, HF_TOKEN: TOKENS.granted };
  const results = await Promise.all([runChild(LOAD_SCRIPT(REPO.gated), childEnv), runChild(LOAD_SCRIPT(REPO.gated), childEnv)]);
  for (const r of results) {
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim(), JSON.stringify(HELLO_IDS));
  }
  const tj = fs.readFileSync(path.join(TINYLLAMA_DIR, 'tokenizer.json'));
  assert.deepEqual(fs.readFileSync(path.join(repoDir(cache, REPO.gated), 'snapshots', hub.commits.gated, 'tokenizer.json')), tj);
  assert.deepEqual(hub.cdnAuthViolations, []);
});

test('a download killed midway leaves no corrupt file, and the next load completes', async () => {
  const cache = freshCache();
  hub.fault(`${REPO.gated}/tokenizer.json`, 'stall', { times: Infinity });
  const childEnv = { TEST_HUB: hub.endpoint, TEST_CACHE: cache, HF_TOKEN: TOKENS.granted, HF_HUB_DOWNLOAD_TIMEOUT: '60' };
  const { child, done: running } = spawnChild(LOAD_SCRIPT(REPO.gated), childEnv);
  // Wait until the CDN has started sending the body, then kill the process.
  for (let i = 0; i < 400 && !hub.cdnRequests.some((r) => r.fault === 'stall'); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(hub.cdnRequests.some((r) => r.fault === 'stall'), 'the child started the download');
  await new Promise((r) => setTimeout(r, 200));
  child.kill('SIGKILL');
  const blobNames = () => {
    const blobs = path.join(repoDir(cache, REPO.gated), 'blobs');
    return fs.existsSync(blobs) ? fs.readdirSync(blobs) : [];
  };
  const tj = fs.readFileSync(path.join(TINYLLAMA_DIR, 'tokenizer.json'));
  const done = await running;
  assert.equal(done.signal, 'SIGKILL');
  assert.ok(!blobNames().includes(sha256Hex(tj)), 'no complete-looking blob from the killed download');
  assert.ok(!fs.existsSync(path.join(repoDir(cache, REPO.gated), 'snapshots', hub.commits.gated, 'tokenizer.json')));
  hub.clearFaults();
  const tok = await AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: cache, token: TOKENS.granted });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  assert.deepEqual(fs.readFileSync(path.join(repoDir(cache, REPO.gated), 'blobs', sha256Hex(tj))), tj);
});

// --- proxies -----------------------------------------------------------------

// A forward proxy on loopback. Every request goes to 127.0.0.1 on the
// port of its URL, whatever the host name, so tests can name hosts that are
// not loopback while no traffic leaves the machine.
async function startProxy() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    const target = new URL(req.url);
    const up = http.request({ host: '127.0.0.1', port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { seen, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

test('HTTP_PROXY routes Hub requests through the proxy; NO_PROXY bypasses it', async () => {
  const proxy = await startProxy();
  try {
    process.env.HTTP_PROXY = proxy.url;
    const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache() });
    assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
    assert.ok(proxy.seen.some((r) => r.url === url(REPO.tinyllama, 'tokenizer.json')), JSON.stringify(proxy.seen));
    proxy.seen.length = 0;
    process.env.NO_PROXY = '127.0.0.1';
    await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache() });
    assert.deepEqual(proxy.seen, []);
  } finally {
    await proxy.close();
  }
});

test('plain http to a host that is not loopback: the token is never sent', async () => {
  const proxy = await startProxy();
  try {
    process.env.HTTP_PROXY = proxy.url;
    env.remoteHost = `http://hub.hubtok-test.invalid:${new URL(hub.endpoint).port}`;
    // A public repo still loads, anonymously.
    const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: freshCache(), token: TOKENS.granted });
    assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
    // A gated one fails, saying why the token was withheld.
    const err = await rejects(AutoTokenizer.from_pretrained(REPO.gated, { cache_dir: freshCache(), token: TOKENS.granted }));
    assert.equal(err.status, 401);
    assert.match(err.message, /not sent because the endpoint is plain http/);
    assert.ok(proxy.seen.length >= 3);
    for (const r of proxy.seen) assert.equal(r.authorization, undefined);
    for (const r of hub.requests) assert.equal(r.headers.authorization, undefined);
  } finally {
    await proxy.close();
  }
});

test('HF_HUB_ETAG_TIMEOUT bounds the metadata request; the cache answers', async () => {
  const cache = freshCache();
  await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache });
  process.env.HF_HUB_ETAG_TIMEOUT = '0.5';
  hub.fault(`${REPO.tinyllama}/tokenizer.json`, 'head-stall', { times: Infinity });
  const t0 = Date.now();
  const tok = await AutoTokenizer.from_pretrained(REPO.tinyllama, { cache_dir: cache, ...fast });
  assert.deepEqual(tok.encode('Hello world!'), HELLO_IDS);
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
});

// --- local folders -------------------------------------------------------------

test('local folders: absolute and relative paths, env.localModelPath, env.allowLocalModels', async () => {
  const abs = await AutoTokenizer.from_pretrained(TINYLLAMA_DIR);
  assert.deepEqual(abs.encode('Hello world!'), HELLO_IDS);
  assert.equal(abs.constructor.name, 'LlamaTokenizer');
  const rel = path.relative(process.cwd(), TINYLLAMA_DIR);
  const relTok = await AutoTokenizer.from_pretrained(rel.startsWith('.') ? rel : `./${rel}`);
  assert.deepEqual(relTok.encode('Hello world!'), HELLO_IDS);

  const models = path.join(scratch, 'models');
  fs.mkdirSync(path.join(models, 'my-org'), { recursive: true });
  fs.symlinkSync(TINYLLAMA_DIR, path.join(models, 'my-org', 'my-llama'));
  const saved = env.localModelPath;
  env.localModelPath = models;
  try {
    const viaLocal = await AutoTokenizer.from_pretrained('my-org/my-llama', { cache_dir: freshCache() });
    assert.deepEqual(viaLocal.encode('Hello world!'), HELLO_IDS);
    assert.deepEqual(hub.requests, []);
    env.allowLocalModels = false;
    const err = await rejects(AutoTokenizer.from_pretrained('my-org/my-llama', { cache_dir: freshCache() }));
    assert.equal(err.code, 'HUBTOK_REPO_NOT_FOUND');
  } finally {
    env.localModelPath = saved;
    env.allowLocalModels = true;
  }
  const missing = await rejects(AutoTokenizer.from_pretrained('./no/such/dir'));
  assert.equal(missing.code, 'HUBTOK_LOCAL_NOT_FOUND');
  assert.equal(missing.message, 'Local file missing at "./no/such/dir/tokenizer.json" and download aborted due to invalid model ID "./no/such/dir".');
  env.allowLocalModels = false;
  const conflict = await rejects(AutoTokenizer.from_pretrained(REPO.tinyllama, { local_files_only: true }));
  assert.equal(conflict.message, 'Invalid configuration detected: local models are disabled (`env.allowLocalModels=false`) but you have requested to only use local models (`local_files_only=true`).');
});
