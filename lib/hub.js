'use strict';
// Where tokenizer files come from: local folders, env.localModelPath, or
// the Hugging Face Hub through the C client (src/hub/), which keeps
// huggingface_hub's cache layout. This file owns the policy (which
// endpoint, which token, which cache folder, offline switches, progress
// events, sharing concurrent downloads); C does the I/O on worker threads.
//
// The access token is read here at call time, passed to C as an argument
// and never stored: not on the tokenizer, not in `env`, not in errors.

// node:crypto and node:os are required where used: loading them costs a
// process 1-3 MB of memory that a load from the cache never needs.
const fs = require('node:fs');
const path = require('node:path');
const native = require('./native');
const { env } = require('./env');
const { hubtokError, invalidArgument } = require('./errors');

const DEFAULT_ENDPOINT = 'https://huggingface.co';

// transformers.js v3 `isValidHfModelId` (utils/hub.js).
const REPO_ID_REGEX = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;
function isValidHfModelId(id) {
  if (!REPO_ID_REGEX.test(id)) return false;
  if (id.includes('..') || id.includes('--')) return false;
  if (id.endsWith('.git') || id.endsWith('.ipynb')) return false;
  return true;
}

function truthyEnv(name) {
  const v = process.env[name];
  return v !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(v.trim().toUpperCase());
}

function nonEmptyEnv(...names) {
  for (const name of names) {
    const v = process.env[name];
    if (v !== undefined && v.trim() !== '') return v;
  }
  return null;
}

function hfHome() {
  const xdg = nonEmptyEnv('XDG_CACHE_HOME');
  return nonEmptyEnv('HF_HOME') ?? path.join(xdg ?? path.join(require('node:os').homedir(), '.cache'), 'huggingface');
}

// The Hub endpoint: env.remoteHost, else HF_ENDPOINT, else huggingface.co.
function resolveEndpoint() {
  const raw = env.remoteHost || nonEmptyEnv('HF_ENDPOINT') || DEFAULT_ENDPOINT;
  let url;
  try {
    url = new URL(String(raw));
  } catch {
    throw invalidArgument(`Invalid Hub endpoint "${raw}": expected an http(s) URL (env.remoteHost or HF_ENDPOINT).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArgument(`Invalid Hub endpoint "${raw}": expected an http(s) URL (env.remoteHost or HF_ENDPOINT).`);
  }
  if (url.username || url.password) {
    throw invalidArgument('Invalid Hub endpoint: credentials in the URL are not allowed; use HF_TOKEN or the `token` option.');
  }
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

// The cache root: options.cache_dir, env.cacheDir, HF_HUB_CACHE,
// $HF_HOME/hub, ~/.cache/huggingface/hub (huggingface_hub's order).
function resolveCacheDir(options) {
  const dir = options.cache_dir ?? env.cacheDir
    ?? nonEmptyEnv('HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE')
    ?? path.join(hfHome(), 'hub');
  return path.resolve(String(dir));
}

function readTokenFile() {
  const file = nonEmptyEnv('HF_TOKEN_PATH') ?? path.join(hfHome(), 'token');
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

// The access token, read now (so `process.env.HF_TOKEN = ...` set any time
// before the call works): the `token` option, then HF_TOKEN,
// HF_ACCESS_TOKEN, HUGGING_FACE_HUB_TOKEN, then the file that
// `huggingface-cli login` writes. `token: false` forces anonymous calls.
// Surrounding whitespace is trimmed; anything else is left for C to check
// (a token holding control characters is refused there).
function resolveToken(options) {
  let token = options.token;
  if (token === false) return null;
  if (token !== undefined && token !== null && typeof token !== 'string') {
    throw invalidArgument('The `token` option must be a string, false, or null.');
  }
  if (token === undefined || token === null || token === '') {
    token = nonEmptyEnv('HF_TOKEN', 'HF_ACCESS_TOKEN', 'HUGGING_FACE_HUB_TOKEN') ?? readTokenFile();
  }
  if (token === null || token === undefined) return null;
  token = token.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return token === '' ? null : token;
}

function proxyFor(endpoint) {
  const https = endpoint.startsWith('https:');
  const proxy = https
    ? nonEmptyEnv('https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY')
    : nonEmptyEnv('http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY');
  return { proxy: proxy ?? '', noProxy: nonEmptyEnv('no_proxy', 'NO_PROXY') ?? '' };
}

function secondsEnv(name, dflt) {
  const v = nonEmptyEnv(name);
  if (v === null) return dflt;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : dflt;
}

// transformers.js's pathJoin (utils/hub.js): keeps "./" and joins with "/".
function pathJoin(...parts) {
  return parts.map((part, i) => {
    let p = part;
    if (i) p = p.replace(/^\//, '');
    if (i !== parts.length - 1) p = p.replace(/\/$/, '');
    return p;
  }).join('/');
}

function dispatch(cb, event) {
  if (typeof cb === 'function') cb(event);
}

// Concurrent requests for the same file share one download. The key holds
// a hash of the token, never the token, so tenants with different tokens
// never share a result.
const inflight = new Map();

function downloadShared(request, onProgress) {
  const tokenId = request.token
    ? require('node:crypto').createHash('sha256').update(request.token).digest('hex')
    : '';
  const key = JSON.stringify([request.endpoint, request.repoType, request.repoId,
    request.revision, request.filename, request.cacheDir,
    request.localFilesOnly, request.offline, tokenId]);
  let entry = inflight.get(key);
  if (!entry) {
    const listeners = new Set();
    const fanout = (loaded, total) => {
      for (const fn of listeners) fn(loaded, total);
    };
    entry = { listeners, promise: null };
    entry.promise = native.download(request, fanout)
      .finally(() => inflight.delete(key));
    inflight.set(key, entry);
  }
  if (onProgress) entry.listeners.add(onProgress);
  return entry.promise.finally(() => {
    if (onProgress) entry.listeners.delete(onProgress);
  });
}

// fs's callback forms, as promises: fs.promises costs a process about
// 0.7 MB more memory on first use.
function statFile(file) {
  return new Promise((resolve) => fs.stat(file, (e, s) => resolve(!e && s.isFile() ? s : null)));
}

function readText(file) {
  return new Promise((resolve, reject) => fs.readFile(file, 'utf8', (e, t) => (e ? reject(e) : resolve(t))));
}

// Resolve one file of a model: a local folder, env.localModelPath, or the
// Hub (through the cache). Returns { path, size, commit } or, when the file
// is optional and missing, null. Emits transformers.js progress events.
async function getModelFile(id, filename, ctx, { fatal = true } = {}) {
  const { options } = ctx;
  const cb = options.progress_callback;
  const file = ctx.subfolder ? `${ctx.subfolder}/${filename}` : filename;
  dispatch(cb, { status: 'initiate', name: id, file });

  const done = (found) => {
    if (found) {
      dispatch(cb, { status: 'download', name: id, file });
      dispatch(cb, { status: 'progress', name: id, file, progress: 100, loaded: found.size, total: found.size });
      dispatch(cb, { status: 'done', name: id, file });
    }
    return found;
  };

  let localPath = null;
  if (env.allowLocalModels) {
    localPath = ctx.validId
      ? pathJoin(env.localModelPath, id, file)
      : pathJoin(id, file);
    const st = await statFile(localPath);
    if (st) return done({ path: localPath, size: st.size, commit: '' });
    if (!ctx.validId) {
      if (!fatal) return null;
      if (!env.allowRemoteModels || options.local_files_only) {
        throw hubtokError('HUBTOK_LOCAL_NOT_FOUND', `\`local_files_only=true\` or \`env.allowRemoteModels=false\` and file was not found locally at "${localPath}".`);
      }
      throw hubtokError('HUBTOK_LOCAL_NOT_FOUND', `Local file missing at "${localPath}" and download aborted due to invalid model ID "${id}".`);
    }
  }

  if (!ctx.validId) {
    // Local models are disabled and this is no Hub id: nothing to fetch.
    if (!fatal) return null;
    throw hubtokError('HUBTOK_LOCAL_NOT_FOUND', `Local file missing at "${pathJoin(id, file)}" and download aborted due to invalid model ID "${id}".`);
  }
  const remoteDisabled = !env.allowRemoteModels || !!options.local_files_only;
  const request = {
    endpoint: ctx.endpoint,
    repoId: id,
    repoType: 'model',
    revision: ctx.revision,
    filename: file,
    cacheDir: ctx.cacheDir,
    token: ctx.token,
    userAgent: `hubtok/${env.version}; node/${process.versions.node}`,
    proxy: ctx.proxy.proxy,
    noProxy: ctx.proxy.noProxy,
    localFilesOnly: remoteDisabled,
    offline: ctx.offline,
    etagTimeoutMs: secondsEnv('HF_HUB_ETAG_TIMEOUT', 10000),
    downloadTimeoutMs: secondsEnv('HF_HUB_DOWNLOAD_TIMEOUT', 10000),
  };
  if (ctx.testing) Object.assign(request, ctx.testing);

  let announced = false;
  let finished = false;
  let lastLoaded = -1;
  const onProgress = cb ? (loaded, total) => {
    if (finished) return;
    if (!announced) {
      announced = true;
      dispatch(cb, { status: 'download', name: id, file });
    }
    lastLoaded = loaded;
    const t = total || loaded;
    dispatch(cb, { status: 'progress', name: id, file, progress: t ? (loaded / t) * 100 : 100, loaded, total: t });
  } : null;

  let result;
  try {
    result = await downloadShared(request, onProgress);
  } catch (err) {
    finished = true;
    if (!fatal && err.code === 'HUBTOK_ENTRY_NOT_FOUND') return null;
    if (!fatal && err.code === 'HUBTOK_OFFLINE' && remoteDisabled) return null;
    if (err.code === 'HUBTOK_OFFLINE' && remoteDisabled && !ctx.offline) {
      const where = localPath ?? `${id}/${file}`;
      err.message = `\`local_files_only=true\` or \`env.allowRemoteModels=false\` and file was not found locally at "${where}". ${err.message}`;
    }
    throw err;
  }
  finished = true;
  if (!announced) dispatch(cb, { status: 'download', name: id, file });
  if (lastLoaded !== result.size) {
    dispatch(cb, { status: 'progress', name: id, file, progress: 100, loaded: result.size, total: result.size });
  }
  dispatch(cb, { status: 'done', name: id, file });
  return { path: result.path, size: result.size, commit: result.commit };
}

// An optional file (chat_template.jinja): for a model in a local folder,
// only that folder is looked at (no Hub request); else it is fetched like
// any file. Any failure to get it gives null.
async function getOptionalFile(id, filename, ctx) {
  if (env.allowLocalModels) {
    const dir = ctx.validId ? pathJoin(env.localModelPath, id) : id;
    const file = (name) => pathJoin(dir, ctx.subfolder ? `${ctx.subfolder}/${name}` : name);
    const local = (await statFile(file('tokenizer.json'))) || (await statFile(file('tokenizer_config.json')));
    if (local && !(await statFile(file(filename)))) return null;
  }
  return getModelFile(id, filename, ctx, { fatal: false }).catch(() => null);
}

// Validate from_pretrained's options and compute what every file needs.
function makeContext(id, options) {
  if (typeof id !== 'string' || id === '') {
    throw invalidArgument('from_pretrained: the model id or path must be a non-empty string.');
  }
  if (options === null || typeof options !== 'object') options = {};
  if (!env.allowLocalModels && options.local_files_only) {
    throw hubtokError('HUBTOK_EINVAL', 'Invalid configuration detected: local models are disabled (`env.allowLocalModels=false`) but you have requested to only use local models (`local_files_only=true`).');
  }
  if (!env.allowLocalModels && !env.allowRemoteModels) {
    throw hubtokError('HUBTOK_EINVAL', 'Invalid configuration detected: both local and remote models are disabled. Fix by setting `env.allowLocalModels` or `env.allowRemoteModels` to `true`.');
  }
  const revision = options.revision ?? 'main';
  if (typeof revision !== 'string' || revision === '') {
    throw invalidArgument('The `revision` option must be a non-empty string.');
  }
  let subfolder = options.subfolder ?? '';
  if (typeof subfolder !== 'string') throw invalidArgument('The `subfolder` option must be a string.');
  subfolder = subfolder.replace(/^\/+|\/+$/g, '');
  const validId = isValidHfModelId(id);
  // A local folder (an id that is not a Hub repo id) needs no endpoint and
  // no token: none is read for it.
  const endpoint = validId ? resolveEndpoint() : null;
  return {
    options,
    revision,
    subfolder,
    validId,
    endpoint,
    cacheDir: resolveCacheDir(options),
    token: validId ? resolveToken(options) : null,
    proxy: validId ? proxyFor(endpoint) : { proxy: '', noProxy: '' },
    offline: truthyEnv('HF_HUB_OFFLINE') || truthyEnv('TRANSFORMERS_OFFLINE'),
    // Test hooks (retry pacing); not documented API.
    testing: options.__testing ?? null,
  };
}

const SPECIAL_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

async function readJson(file, what) {
  const text = await readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw hubtokError('HUBTOK_EJSON', `Invalid JSON in ${what} (${file}): ${e.message}`);
  }
}

// Legacy files, for repos without tokenizer.json (as transformers'
// converters read them); the SentencePiece model goes by several names.
const LEGACY_FILES = [
  ['vocabTxt', 'vocab.txt'],
  ['vocabJson', 'vocab.json'],
  ['mergesTxt', 'merges.txt'],
  ['addedTokens', 'added_tokens.json'],
  ['specialTokensMap', 'special_tokens_map.json'],
  ['spModel', 'tokenizer.model'],
  ['spModel', 'spiece.model'],
  ['spModel', 'sentencepiece.bpe.model'],
];

// Fetch what a tokenizer needs: tokenizer.json and tokenizer_config.json in
// parallel (as transformers.js does), then special_tokens_map.json when the
// config is missing or names no special token. Without tokenizer.json, the
// legacy files (vocab.txt, vocab.json + merges.txt, a SentencePiece model)
// are fetched for a converter. Returns { tokenizerPath, legacy, config,
// chatTemplate }: tokenizerPath, or legacy = { <field>: path } for
// loadTokenizerLegacy; chatTemplate is chat_template.jinja's text or null.
async function loadTokenizerFiles(id, options = {}, onTokenizerPath = null) {
  const ctx = makeContext(id, options);
  // Both in flight at once; wait for both so no download outlives the
  // call, then report tokenizer.json's failure first.
  // chat_template.jinja (read by Python transformers, not transformers.js)
  // is fetched alongside; it is optional: any failure to get it (absent,
  // offline, unreachable) leaves the config's template in place.
  // onTokenizerPath(path), when given, hears of tokenizer.json as soon as
  // it is found (the caller starts loading it while the config is read).
  const tokP = getModelFile(id, 'tokenizer.json', ctx, { fatal: false });
  if (onTokenizerPath) tokP.then((f) => f && onTokenizerPath(f.path), () => {});
  const [tokR, cfgR, chatR] = await Promise.allSettled([
    tokP,
    getModelFile(id, 'tokenizer_config.json', ctx, { fatal: false }),
    getOptionalFile(id, 'chat_template.jinja', ctx),
  ]);
  for (const r of [tokR, cfgR]) {
    if (r.status === 'rejected') throw r.reason;
  }
  const tok = tokR.value;
  const cfg = cfgR.value;
  let config = cfg ? await readJson(cfg.path, 'tokenizer_config.json') : {};
  const chatTemplate = chatR.value
    ? await readText(chatR.value.path).catch(() => null)
    : null;

  let legacy = null;
  let stmPath = null;
  if (!tok) {
    const found = await Promise.all(LEGACY_FILES.map(([, file]) => getModelFile(id, file, ctx, { fatal: false })));
    legacy = { tokenizerClass: config.tokenizer_class?.replace(/Fast$/, '') ?? null, tokenizerConfig: cfg?.path ?? null };
    LEGACY_FILES.forEach(([field], i) => {
      if (found[i] && !legacy[field]) legacy[field] = found[i].path;
    });
    stmPath = legacy.specialTokensMap ?? null;
    if (!legacy.vocabTxt && !(legacy.vocabJson && legacy.mergesTxt) && !legacy.spModel) {
      // Nothing to build from: report the missing tokenizer.json itself.
      await getModelFile(id, 'tokenizer.json', ctx);
      throw hubtokError('HUBTOK_ENTRY_NOT_FOUND', `Could not locate file: "tokenizer.json" in "${id}".`);
    }
  }
  if (!SPECIAL_KEYS.some((k) => config[k])) {
    if (!stmPath && !legacy) {
      stmPath = (await getModelFile(id, 'special_tokens_map.json', ctx, { fatal: false }))?.path ?? null;
    }
    if (stmPath) {
      const map = await readJson(stmPath, 'special_tokens_map.json');
      config = { ...map, ...config };
    }
  }
  return { tokenizerPath: tok?.path ?? null, legacy, config, chatTemplate };
}

module.exports = {
  loadTokenizerFiles,
  resolveToken,
  resolveEndpoint,
  resolveCacheDir,
  isValidHfModelId,
};
