'use strict';

/**
 * test-hub.js: a loopback Hugging Face Hub for hubtok's tests.
 *
 * Two real HTTP servers on 127.0.0.1 that speak the Hub's file protocol, so
 * the libcurl client is tested against the same statuses, headers and
 * redirects it meets on huggingface.co:
 *
 *   Hub  `HEAD|GET /{repo_id}/resolve/{revision}/{path...}`
 *        Regular files: 200 with the bytes. LFS files: 302 to the CDN.
 *   CDN  `GET|HEAD /lfs/{sha256}?signature=...&repo=...&file=...`
 *        Serves LFS bytes and refuses (400) any request carrying an
 *        Authorization header: the Hub signs the URL, a client must not
 *        forward its token to another origin.
 *
 * Protocol facts come from /work/shared/docs/transformers-js-and-hub.md,
 * section C ("C5" etc. below), which in turn cites huggingface_hub's
 * `file_download.py` (`get_hf_file_metadata`, `http_get`), `utils/_http.py`
 * (`hf_raise_for_status`, `http_backoff`) and the transformers.js/hubjs
 * download paths.
 *
 * Order of checks for a Hub request (the order huggingface.co applies, so the
 * status a client sees for a combination of problems is the real one):
 *   1. bad URL (malformed %-encoding, `.`/`..` segments)   400
 *   2. not a `resolve` URL                                 404 (no code)
 *   3. Authorization present but not a known token         401 (no code)
 *   4. unknown repo                                        401/404 RepoNotFound
 *   5. renamed repo                                        307, relative Location
 *   6. gated/private repo without access                   401/403/404
 *   7. unknown revision                                    404 RevisionNotFound
 *   8. unknown file                                        404 EntryNotFound
 *   9. armed fault for this file, if any (see fault())
 *  10. LFS file: 302 to the CDN; regular file: 200/206/416
 *
 * CommonJS, Node 20, node: built-ins only. Also runnable directly:
 *   node test/helpers/test-hub.js [--port N]
 * prints one JSON line {endpoint, cdnEndpoint, grantedToken, refusedToken,
 * privateOwnerToken} and serves until SIGTERM/SIGINT.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

/* ------------------------------------------------------------------------ */
/* Constants                                                                */
/* ------------------------------------------------------------------------ */

/**
 * Test tokens. Underscores everywhere so nothing resembles a real token.
 * Any other `Authorization: Bearer ...` value is an invalid token.
 */
const TOKENS = Object.freeze({
  /** valid, granted access to the gated repo */
  granted: 'hf_granted_test_token',
  /** valid, but not granted access to the gated repo */
  refused: 'hf_not_granted_test_token',
  /** valid, owner of private-org/secret */
  privateOwner: 'hf_private_owner_token',
});

/** Exact `X-Error-Message` values (doc C5/C6). */
const MESSAGES = Object.freeze({
  gatedUnauthenticated: (repoId) =>
    `Access to model ${repoId} is restricted. You must have access to it ` +
    'and be authenticated to access it. Please log in.',
  gatedNotGranted: (repoId) =>
    `Access to model ${repoId} is restricted and you are not in the ` +
    `authorized list. Visit https://huggingface.co/${repoId} to ask for ` +
    'access.',
  invalidCredentials: 'Invalid credentials in Authorization header',
  repoNotFound: 'Repository not found',
  revisionNotFound: (revision) => `Invalid rev id: ${revision}`,
  entryNotFound: 'Entry not found',
});

/** Repo ids served. */
const REPO = Object.freeze({
  gated: 'meta-llama/Llama-2-7b-hf',
  tinyllama: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
  gpt2: 'openai-community/gpt2',
  noConfig: 'public-org/no-config',
  private: 'private-org/secret',
  renamed: 'old-org/renamed-model',
  /* Legacy canonical id: huggingface.co redirects `gpt2` to its org repo. */
  legacyGpt2: 'gpt2',
});

/**
 * Fault modes and the request each one applies to:
 *   'bytes' = the GET that carries the file's bytes (Hub GET for a regular
 *             file, CDN GET for an LFS file), or with {at: 'hub'} the Hub
 *             GET of an LFS file (the one answered with the 302);
 *   'head'  = the Hub HEAD (huggingface_hub's metadata call).
 */
const FAULT_MODES = Object.freeze({
  drop: 'bytes', /* full Content-Length, half the body, then socket destroyed */
  429: 'bytes', /* 429 with Retry-After (default 1 s) */
  503: 'bytes', /* 503, no body of the file */
  'wrong-sha': 'bytes', /* same length, one byte changed */
  'wrong-size': 'bytes', /* complete response, one byte short */
  stall: 'bytes', /* headers + a few bytes, then silence until close() */
  'head-503': 'head',
  'head-429': 'head',
  'head-stall': 'head', /* no response at all until close() */
  'head-drop': 'head', /* socket destroyed, no response */
});

const COMMIT_RE = /^[0-9a-f]{40}$/; /* huggingface_hub REGEX_COMMIT_HASH */
const SHA256_RE = /^[0-9a-f]{64}$/;
const STALL_BYTES = 16;
const EMPTY = Buffer.alloc(0);
/* Fixed so `If-Range: <date>` can be tested deterministically. */
const LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';

const DEFAULT_FIXTURES = path.resolve(__dirname,
  '../../../shared/fixtures/tokenizers');

/* ------------------------------------------------------------------------ */
/* Hashes                                                                   */
/* ------------------------------------------------------------------------ */

/** Hex sha256 of a buffer: the LFS oid, sent as `X-Linked-Etag` (C5). */
function sha256Hex(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/**
 * Git blob id of a buffer: sha1 of `blob <size>\0<content>`. The Hub's
 * `ETag` for a regular (non-LFS) file is this id, quoted (C5), and
 * huggingface_hub names the cache blob after it (C9).
 */
function gitBlobSha1(buf) {
  return crypto.createHash('sha1')
    .update(`blob ${buf.length}\0`).update(buf).digest('hex');
}

/** Deterministic fake commit id, stable across runs. */
function fakeCommit(repoId, label) {
  return crypto.createHash('sha1')
    .update(`hubtok-test-hub\0${repoId}\0${label}`).digest('hex');
}

/* Hashes per file entry, recomputed if a test swaps entry.content. */
const infoCache = new WeakMap();

/**
 * Size and hashes of a file entry `{content: Buffer|string, lfs: boolean}`.
 */
function fileInfo(entry) {
  let info = infoCache.get(entry);
  if (!info || info.source !== entry.content) {
    const bytes = Buffer.isBuffer(entry.content) ?
      entry.content : Buffer.from(String(entry.content));
    info = {
      source: entry.content,
      bytes,
      size: bytes.length,
      gitSha1: gitBlobSha1(bytes),
      sha256: sha256Hex(bytes),
    };
    infoCache.set(entry, info);
  }
  return info;
}

/* ------------------------------------------------------------------------ */
/* Repo table                                                               */
/* ------------------------------------------------------------------------ */

/**
 * Build the repo table from the fixture folder.
 *
 * repos[repoId] = {
 *   visibility: 'public' | 'gated' | 'private',
 *   grantedTokens: [token, ...],      // who passes a gated/private check
 *   refs: { main: sha, 'refs/pr/1': sha, 'v1.0': sha, ... },
 *   commits: { [sha]: { [pathInRepo]: { content: Buffer, lfs: boolean } } },
 * }
 * or, for a renamed repo, { renamedTo: 'org/new-name' }.
 *
 * Returns { repos, commits } where commits holds short names for the ids.
 */
function buildRepos(fixturesDir) {
  const read = (dir, file) => {
    const p = path.join(fixturesDir, dir, file);
    try {
      return fs.readFileSync(p);
    } catch (err) {
      throw new Error(`test-hub: cannot read fixture ${p} (set ` +
        `HUBTOK_FIXTURES or options.fixturesDir): ${err.message}`);
    }
  };
  const TL = 'TinyLlama--TinyLlama-1.1B-Chat-v1.0';
  const GPT2 = 'openai-community--gpt2';

  /* The four tokenizer files of a Llama-2 repo; which ones are LFS varies. */
  const llamaFiles = (lfsTokenizerJson) => ({
    'tokenizer.json': { content: read(TL, 'tokenizer.json'),
      lfs: lfsTokenizerJson },
    'tokenizer_config.json': { content: read(TL, 'tokenizer_config.json'),
      lfs: false },
    'special_tokens_map.json': { content: read(TL, 'special_tokens_map.json'),
      lfs: false },
    'tokenizer.model': { content: read(TL, 'tokenizer.model'), lfs: true },
  });

  /* refs/pr/1 differs from main only by model_max_length, so tests can tell
   * which revision they got. */
  const mainFiles = llamaFiles(false);
  const mainConfig = mainFiles['tokenizer_config.json'].content.toString();
  const prConfig = mainConfig.replace('"model_max_length": 2048',
    '"model_max_length": 4096');
  if (prConfig === mainConfig) {
    throw new Error('test-hub: TinyLlama tokenizer_config.json fixture ' +
      'no longer contains "model_max_length": 2048');
  }
  const prFiles = {
    ...llamaFiles(false),
    'tokenizer_config.json': { content: Buffer.from(prConfig), lfs: false },
  };

  const commits = {
    main: fakeCommit(REPO.tinyllama, 'main'),
    pr1: fakeCommit(REPO.tinyllama, 'refs/pr/1'),
    tag: fakeCommit(REPO.tinyllama, 'v1.0'),
    gated: fakeCommit(REPO.gated, 'main'),
    gpt2: fakeCommit(REPO.gpt2, 'main'),
    noConfig: fakeCommit(REPO.noConfig, 'main'),
    private: fakeCommit(REPO.private, 'main'),
  };

  const gpt2Files = {};
  for (const f of ['config.json', 'merges.txt', 'tokenizer.json',
    'tokenizer_config.json', 'vocab.json']) {
    gpt2Files[f] = { content: read(GPT2, f), lfs: f === 'tokenizer.json' };
  }

  const repos = {
    [REPO.gated]: {
      visibility: 'gated',
      grantedTokens: [TOKENS.granted],
      refs: { main: commits.gated },
      commits: { [commits.gated]: llamaFiles(true) },
    },
    [REPO.tinyllama]: {
      visibility: 'public',
      grantedTokens: [],
      refs: { main: commits.main, 'refs/pr/1': commits.pr1,
        'v1.0': commits.tag },
      commits: {
        [commits.main]: mainFiles,
        [commits.pr1]: prFiles,
        /* the tag is its own commit with main's files (shared blobs) */
        [commits.tag]: llamaFiles(false),
      },
    },
    [REPO.gpt2]: {
      visibility: 'public',
      grantedTokens: [],
      refs: { main: commits.gpt2 },
      commits: { [commits.gpt2]: gpt2Files },
    },
    [REPO.noConfig]: {
      visibility: 'public',
      grantedTokens: [],
      refs: { main: commits.noConfig },
      commits: { [commits.noConfig]: {
        'tokenizer.json': { content: read(TL, 'tokenizer.json'), lfs: false },
      } },
    },
    [REPO.private]: {
      visibility: 'private',
      grantedTokens: [TOKENS.privateOwner],
      refs: { main: commits.private },
      commits: { [commits.private]: {
        'tokenizer.json': { content: read(TL, 'tokenizer.json'), lfs: false },
        'tokenizer_config.json': { content: read(TL, 'tokenizer_config.json'),
          lfs: false },
      } },
    },
    [REPO.renamed]: { renamedTo: REPO.tinyllama },
    [REPO.legacyGpt2]: { renamedTo: REPO.gpt2 },
  };
  return { repos, commits };
}

/* ------------------------------------------------------------------------ */
/* Request parsing                                                          */
/* ------------------------------------------------------------------------ */

/**
 * Split a raw request target into decoded path segments.
 * Returns { segs, rawSegs, query } or { error: message } for input a server
 * must refuse with 400: not origin-form, malformed %-encoding, NUL, or a
 * `.`/`..` segment (also when hidden as %2E%2E or inside %2F).
 */
function splitTarget(rawUrl) {
  if (typeof rawUrl !== 'string' || rawUrl[0] !== '/') {
    return { error: 'Invalid request target' };
  }
  const q = rawUrl.indexOf('?');
  const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q);
  const rawSegs = pathname.slice(1).split('/');
  const segs = [];
  for (const raw of rawSegs) {
    let seg;
    try {
      seg = decodeURIComponent(raw);
    } catch (err) {
      return { error: 'Invalid URL encoding' };
    }
    if (seg.includes('\0') ||
       seg.split('/').some((part) => part === '.' || part === '..')) {
      return { error: 'Invalid path' };
    }
    segs.push(seg);
  }
  return { segs, rawSegs, query };
}

/**
 * Parse `/{repo_id}/resolve/{revision}/{path...}`.
 * repo_id is `org/name`, or a single legacy segment (`gpt2`). The revision is
 * ONE segment, percent-decoded: `refs%2Fpr%2F1` is `refs/pr/1`, while an
 * unencoded `refs/pr/1` parses as revision `refs` (doc C1) and so 404s.
 * Returns null when the URL is not a resolve URL.
 */
function parseResolve(segs, rawSegs, query) {
  let at;
  if (segs.length >= 3 && rawSegs[1] === 'resolve') {
    at = 1;
  } else if (segs.length >= 4 && rawSegs[2] === 'resolve') {
    at = 2;
  } else {
    return null;
  }
  const repoParts = segs.slice(0, at);
  const fileParts = segs.slice(at + 2);
  if (repoParts.some((s) => s === '') || segs[at + 1] === '' ||
     fileParts.some((s) => s === '')) {
    return null;
  }
  return {
    repoId: repoParts.join('/'),
    revision: segs[at + 1],
    file: fileParts.join('/'),
    /* `resolve/{rev}/{path}` exactly as sent, for rename redirects */
    rawRest: rawSegs.slice(at).join('/') + query,
  };
}

/**
 * Classify the Authorization header: { token: null } when absent,
 * { token } for a known token, { invalid: true } for anything else
 * (unknown token, non-Bearer scheme, empty value).
 */
function parseAuth(header, validTokens) {
  if (header === undefined) {
    return { token: null };
  }
  const m = /^Bearer (\S+)$/.exec(header);
  if (!m || !validTokens.has(m[1])) {
    return { invalid: true };
  }
  return { token: m[1] };
}

/**
 * Pick the byte range for a `Range` request (RFC 9110 14.2), single ranges
 * only. Returns null to serve the whole file (no Range, a multi-range or
 * malformed header, or an `If-Range` that does not match the current
 * validator), { unsatisfiable: true } for a 416, or { start, end }.
 */
function selectRange(headers, size, etag) {
  const header = headers.range;
  if (header === undefined) {
    return null;
  }
  const ifRange = headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag && ifRange !== LAST_MODIFIED) {
    return null;
  }
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) {
    return null;
  }
  if (m[1] === '') {
    /* suffix range: the last N bytes */
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n) || n === 0 || size === 0) {
      return { unsatisfiable: true };
    }
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(last)) {
    return { unsatisfiable: true };
  }
  if (m[2] !== '' && last < start) {
    return null; // invalid range spec: ignore the header
  }
  if (start >= size) {
    return { unsatisfiable: true };
  }
  return { start, end: Math.min(last, size - 1) };
}

function contentType(file) {
  if (file.endsWith('.json')) {
    return 'application/json; charset=utf-8';
  }
  if (file.endsWith('.txt') || file.endsWith('.md')) {
    return 'text/plain; charset=utf-8';
  }
  return 'application/octet-stream';
}

/* ------------------------------------------------------------------------ */
/* Response plans                                                           */
/* ------------------------------------------------------------------------ */
/* A plan is {status, headers, body}; faults rewrite plans before sending. */

function textPlan(status, headers, text) {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
    body: Buffer.from(text),
  };
}

/** 4xx from the Hub: `X-Error-Code` (when the Hub sets one) + message. */
function hubErrorPlan(status, code, message, extra = {}) {
  const headers = { 'X-Error-Message': message, ...extra };
  if (code) {
    headers['X-Error-Code'] = code;
  }
  return textPlan(status, headers, message);
}

/** 200/206/416 for file bytes, with Range and If-Range support. */
function bytesPlan(reqHeaders, bytes, baseHeaders) {
  const size = bytes.length;
  const headers = {
    'Accept-Ranges': 'bytes',
    'Last-Modified': LAST_MODIFIED,
    ...baseHeaders,
  };
  const range = selectRange(reqHeaders, size, headers.ETag);
  if (!range) {
    return { status: 200, headers, body: bytes };
  }
  if (range.unsatisfiable) {
    // RFC 9110 15.5.17: a 416 carries `Content-Range: bytes */<size>`.
    headers['Content-Range'] = `bytes */${size}`;
    return { status: 416, headers, body: EMPTY };
  }
  headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  return { status: 206, headers,
    body: bytes.subarray(range.start, range.end + 1) };
}

/* ------------------------------------------------------------------------ */
/* Server                                                                   */
/* ------------------------------------------------------------------------ */

function listen(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (err) => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(server.address().port);
    });
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Start the Hub and its CDN on loopback.
 *
 * @param {object} [options]
 * @param {number} [options.port=0]     Hub port (0 = ephemeral)
 * @param {number} [options.cdnPort=0]  CDN port (0 = ephemeral)
 * @param {string} [options.fixturesDir] default $HUBTOK_FIXTURES or
 *   ../../../shared/fixtures/tokenizers relative to this file
 * @returns {Promise<object>} the hub handle: {endpoint, cdnEndpoint,
 *   requests, cdnRequests, cdnAuthViolations, repos, commits, validTokens,
 *   fault(), clearFaults(), resetLogs(), commitFiles(), resolveUrl(),
 *   close()}; each field is documented where the object is returned.
 */
async function startTestHub(options = {}) {
  const fixturesDir = options.fixturesDir || process.env.HUBTOK_FIXTURES ||
    DEFAULT_FIXTURES;
  const { repos, commits } = buildRepos(fixturesDir);
  const validTokens = new Set(Object.values(TOKENS));
  const secret = crypto.randomBytes(32);

  const requests = [];
  const cdnRequests = [];
  const cdnAuthViolations = [];
  const faults = [];
  let endpoint = '';
  let cdnEndpoint = '';
  let requestSeq = 0;
  let commitSeq = 0;

  /* ---- logging ---------------------------------------------------------- */

  function logRequest(log, req) {
    const entry = {
      method: req.method,
      url: req.url,
      /* Node lowercases names; Authorization is kept on purpose so tests can
       * assert who sent the token where. */
      headers: { ...req.headers },
      rawHeaders: req.rawHeaders.slice(),
      status: null, /* filled when the status line is sent */
      fault: null, /* fault mode consumed by this request, if any */
    };
    log.push(entry);
    return entry;
  }

  /* ---- faults ----------------------------------------------------------- */

  /**
   * Reduce a fault key to '<repo_id>/<file>'. Also accepts a resolve path
   * ('/org/name/resolve/<rev>/<file>'; the revision is not matched).
   */
  function faultKey(key) {
    if (typeof key !== 'string' || key === '') {
      throw new TypeError('fault: key must be "<repo_id>/<file>"');
    }
    const trimmed = key.replace(/^\/+/, '');
    const t = splitTarget('/' + trimmed);
    if (!t.error) {
      const r = parseResolve(t.segs, t.rawSegs, '');
      if (r) {
        return `${r.repoId}/${r.file}`;
      }
    }
    return trimmed;
  }

  /**
   * Arm a fault for the next `times` matching requests of one file.
   * Faults only hit requests that would otherwise succeed (auth, revision
   * and file all resolve), so "the next N requests" is deterministic. Faults
   * of the same key and stage are consumed in the order they were armed.
   *
   * @param {string} key '<repo_id>/<file>', e.g. 'openai-community/gpt2/
   *   tokenizer.json'
   * @param {string} mode one of FAULT_MODES
   * @param {object} [opts] {times=1 (Infinity allowed), at='bytes'|'hub',
   *   retryAfter=1 (429), size (wrong-size: bytes served, default size-1)}
   * @returns {object} the armed fault; `remaining` counts down
   */
  function fault(key, mode, opts = {}) {
    const stageOfMode = Object.hasOwn(FAULT_MODES, mode) ?
      FAULT_MODES[mode] : null;
    if (!stageOfMode) {
      throw new TypeError(`fault: unknown mode ${JSON.stringify(mode)}; ` +
        `expected one of ${Object.keys(FAULT_MODES).join(', ')}`);
    }
    const times = opts.times === undefined ? 1 : opts.times;
    if (times !== Infinity && !(Number.isInteger(times) && times >= 1)) {
      throw new RangeError('fault: times must be an integer >= 1');
    }
    let stage = stageOfMode;
    if (stage === 'bytes') {
      const at = opts.at === undefined ? 'bytes' : opts.at;
      if (at !== 'bytes' && at !== 'hub') {
        throw new TypeError('fault: at must be "bytes" or "hub"');
      }
      if (at === 'hub' && (mode === 'wrong-sha' || mode === 'wrong-size')) {
        throw new TypeError(`fault: ${mode} only applies to the bytes GET`);
      }
      stage = at;
    }
    const record = { key: faultKey(key), mode, stage, remaining: times,
      opts: { ...opts } };
    faults.push(record);
    return record;
  }

  function takeFault(key, stage) {
    const i = faults.findIndex((f) => f.key === key && f.stage === stage);
    if (i < 0) {
      return null;
    }
    const f = faults[i];
    f.remaining -= 1;
    if (f.remaining <= 0) {
      faults.splice(i, 1);
    }
    return f;
  }

  function clearFaults() {
    faults.length = 0;
  }

  function resetLogs() {
    requests.length = 0;
    cdnRequests.length = 0;
    cdnAuthViolations.length = 0;
  }

  /* ---- sending ---------------------------------------------------------- */

  function send(req, res, entry, plan) {
    entry.status = plan.status;
    const body = plan.body || EMPTY;
    const headers = { 'X-Request-Id': `Root=1-test-${++requestSeq}`,
      ...plan.headers };
    if (!Object.hasOwn(headers, 'Content-Length')) {
      headers['Content-Length'] = String(body.length);
    }
    res.writeHead(plan.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * Send `plan` through fault `f` (or normally when f is null).
   * Each branch models a failure huggingface_hub handles (doc C8): 429/5xx
   * go through `http_backoff`, a mid-body disconnect is resumed with
   * `Range: bytes=<n>-`, a size mismatch is "Consistency check failed", and
   * stalls are what HF_HUB_ETAG_TIMEOUT / HF_HUB_DOWNLOAD_TIMEOUT bound.
   */
  function deliver(req, res, entry, plan, f) {
    if (!f) {
      send(req, res, entry, plan);
      return;
    }
    entry.fault = f.mode;
    const body = plan.body || EMPTY;
    switch (f.mode) {
    case '429':
    case 'head-429': {
      const retryAfter = f.opts.retryAfter === undefined ?
        1 : f.opts.retryAfter;
      send(req, res, entry, textPlan(429, { 'Retry-After': String(retryAfter) },
        'Too Many Requests'));
      return;
    }
    case '503':
    case 'head-503':
      send(req, res, entry, textPlan(503, {}, 'Service Unavailable'));
      return;
    case 'wrong-sha': {
      /* Same length, one byte flipped in the middle: only a hash check
       * notices (the JSON may well still parse). */
      const bad = Buffer.from(body);
      if (bad.length > 0) {
        bad[bad.length >> 1] ^= 0x01;
      }
      send(req, res, entry, { ...plan, body: bad });
      return;
    }
    case 'wrong-size': {
      /* A complete, well-formed response that is shorter than the size the
       * Hub announced (X-Linked-Size / HEAD Content-Length). */
      const n = f.opts.size === undefined ?
        Math.max(0, body.length - 1) : Math.min(f.opts.size, body.length);
      const headers = { ...plan.headers };
      delete headers['Content-Length'];
      const cr = /^bytes (\d+)-\d+\/(\d+)$/.exec(headers['Content-Range'] || '');
      if (cr && n > 0) {
        headers['Content-Range'] =
          `bytes ${cr[1]}-${Number(cr[1]) + n - 1}/${cr[2]}`;
      }
      send(req, res, entry, { ...plan, headers, body: body.subarray(0, n) });
      return;
    }
    case 'drop':
    case 'stall': {
      /* Headers announce the full length; only part of the body follows. */
      entry.status = plan.status;
      const headers = { 'X-Request-Id': `Root=1-test-${++requestSeq}`,
        ...plan.headers };
      if (!Object.hasOwn(headers, 'Content-Length')) {
        headers['Content-Length'] = String(body.length);
      }
      res.writeHead(plan.status, headers);
      res.flushHeaders();
      if (f.mode === 'drop') {
        const half = req.method === 'HEAD' ?
          EMPTY : body.subarray(0, body.length >> 1);
        res.write(half, () => res.destroy());
      } else {
        const few = req.method === 'HEAD' ? EMPTY :
          body.subarray(0, Math.min(STALL_BYTES, body.length >> 1));
        /* keep the socket open; close() destroys it */
        res.write(few);
      }
      return;
    }
    case 'head-drop':
      res.destroy();
      return;
    case 'head-stall':
      /* no status line at all: the client's own timeout must fire */
      return;
    default:
      throw new Error(`test-hub: unhandled fault mode ${f.mode}`);
    }
  }

  /* ---- Hub -------------------------------------------------------------- */

  /**
   * 401 vs 404 for a repo the caller cannot see: the Hub answers 401 when
   * unauthenticated and 404 when authenticated, so a missing repo and a
   * private one look the same (doc C6, hf_raise_for_status RepoNotFound).
   */
  function repoNotFound(auth) {
    return hubErrorPlan(auth.token ? 404 : 401, 'RepoNotFound',
      MESSAGES.repoNotFound);
  }

  /** The LFS oids the CDN may serve (the Hub signed a URL for them). */
  function findLfsBlob(oid) {
    for (const repo of Object.values(repos)) {
      if (!repo || !repo.commits) {
        continue;
      }
      for (const files of Object.values(repo.commits)) {
        for (const entry of Object.values(files)) {
          if (entry && entry.lfs && fileInfo(entry).sha256 === oid) {
            return fileInfo(entry).bytes;
          }
        }
      }
    }
    return null;
  }

  function cdnSignature(oid, repoId, file) {
    return crypto.createHmac('sha256', secret)
      .update(`${oid}\n${repoId}\n${file}`).digest('hex');
  }

  function handleHub(req, res) {
    const entry = logRequest(requests, req);
    req.resume(); /* discard any request body */

    const target = splitTarget(req.url);
    if (target.error) {
      send(req, res, entry, textPlan(400, {}, target.error));
      return;
    }
    const r = (req.method === 'GET' || req.method === 'HEAD') ?
      parseResolve(target.segs, target.rawSegs, target.query) : null;
    if (!r) {
      send(req, res, entry, textPlan(404, {}, 'Not Found'));
      return;
    }

    /* An unknown or malformed token is refused before anything else, even
     * for public repos: huggingface.co answers 401 "Invalid credentials in
     * Authorization header" without X-Error-Code, and huggingface_hub does
     * not map it to RepositoryNotFoundError (doc C6). */
    const auth = parseAuth(req.headers.authorization, validTokens);
    if (auth.invalid) {
      send(req, res, entry,
        hubErrorPlan(401, null, MESSAGES.invalidCredentials));
      return;
    }

    const repo = Object.hasOwn(repos, r.repoId) ? repos[r.repoId] : null;
    if (!repo) {
      send(req, res, entry, repoNotFound(auth));
      return;
    }

    /* Renamed repo: 307 with a RELATIVE Location. huggingface_hub follows
     * relative redirects itself keeping Authorization (doc C7,
     * `_request_wrapper`), and stops at absolute ones. */
    if (repo.renamedTo) {
      const location = `/${repo.renamedTo}/${r.rawRest}`;
      send(req, res, entry, textPlan(307, { Location: location },
        `Temporary Redirect. Redirecting to ${location}`));
      return;
    }

    /* Access control (doc C6). */
    const granted = auth.token !== null &&
      (repo.grantedTokens || []).includes(auth.token);
    if (repo.visibility === 'gated' && !granted) {
      /* GatedRepoError: 401 when anonymous, 403 when logged in but not in
       * the authorized list. */
      send(req, res, entry, auth.token === null ?
        hubErrorPlan(401, 'GatedRepo', MESSAGES.gatedUnauthenticated(r.repoId)) :
        hubErrorPlan(403, 'GatedRepo', MESSAGES.gatedNotGranted(r.repoId)));
      return;
    }
    if (repo.visibility === 'private' && !granted) {
      send(req, res, entry, repoNotFound(auth));
      return;
    }

    /* Revision: branch, tag or refs/pr/N from `refs`, else a full commit id
     * present in the repo. */
    let commit = null;
    if (repo.refs && Object.hasOwn(repo.refs, r.revision)) {
      commit = repo.refs[r.revision];
    } else if (COMMIT_RE.test(r.revision) && repo.commits &&
            Object.hasOwn(repo.commits, r.revision)) {
      commit = r.revision;
    }
    const files = commit && repo.commits && Object.hasOwn(repo.commits, commit) ?
      repo.commits[commit] : null;
    if (!files) {
      send(req, res, entry, hubErrorPlan(404, 'RevisionNotFound',
        MESSAGES.revisionNotFound(r.revision)));
      return;
    }

    /* Missing file: EntryNotFound WITH X-Repo-Commit; huggingface_hub uses
     * that commit to write `.no_exist/{commit}/{file}` (doc C5, C9). */
    const file = Object.hasOwn(files, r.file) ? files[r.file] : null;
    if (!file) {
      send(req, res, entry, hubErrorPlan(404, 'EntryNotFound',
        MESSAGES.entryNotFound, { 'X-Repo-Commit': commit }));
      return;
    }

    const info = fileInfo(file);
    const key = `${r.repoId}/${r.file}`;
    const isHead = req.method === 'HEAD';
    let plan;
    let f;
    if (file.lfs) {
      /* LFS: 302 to a signed, absolute CDN URL. `get_hf_file_metadata`
       * (HEAD, follow_redirects=False) reads X-Linked-Etag (the sha256) and
       * X-Linked-Size here and ignores Content-Length, which is the size of
       * this redirect body. The GET then goes to Location without auth. */
      const sig = cdnSignature(info.sha256, r.repoId, r.file);
      const location = `${cdnEndpoint}/lfs/${info.sha256}?signature=${sig}` +
        `&repo=${encodeURIComponent(r.repoId)}` +
        `&file=${encodeURIComponent(r.file)}`;
      plan = textPlan(302, {
        Location: location,
        'X-Repo-Commit': commit,
        'X-Linked-Etag': `"${info.sha256}"`,
        'X-Linked-Size': String(info.size),
        ETag: `"${info.sha256}"`,
      }, `Found. Redirecting to ${location}`);
      f = takeFault(key, isHead ? 'head' : 'hub');
    } else {
      /* Regular file: bytes from the Hub itself; ETag = git blob sha1. */
      plan = bytesPlan(req.headers, info.bytes, {
        'Content-Type': contentType(r.file),
        'X-Repo-Commit': commit,
        ETag: `"${info.gitSha1}"`,
      });
      f = takeFault(key, isHead ? 'head' : 'bytes');
    }
    deliver(req, res, entry, plan, f);
  }

  /* ---- CDN -------------------------------------------------------------- */

  function handleCdn(req, res) {
    const entry = logRequest(cdnRequests, req);
    req.resume();

    /* The token must never reach the CDN (doc C7: huggingface_hub pops
     * Authorization for a cross-host GET; libcurl drops it on a host/port
     * change unless CURLOPT_UNRESTRICTED_AUTH). Fail loudly. */
    if (Object.hasOwn(req.headers, 'authorization')) {
      cdnAuthViolations.push({ method: req.method, url: req.url,
        headers: { ...req.headers } });
      send(req, res, entry, textPlan(400, {
        'X-Error-Message': 'Authorization header sent to the CDN',
      }, 'Authorization header must not be sent to the CDN'));
      return;
    }

    const target = splitTarget(req.url);
    if (target.error) {
      send(req, res, entry, textPlan(400, {}, target.error));
      return;
    }
    const { segs, query } = target;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || segs.length !== 2 ||
       segs[0] !== 'lfs' || !SHA256_RE.test(segs[1])) {
      send(req, res, entry, textPlan(404, {}, 'Not Found'));
      return;
    }
    const oid = segs[1];
    const params = new URLSearchParams(query.slice(1));
    const repoId = params.get('repo') || '';
    const file = params.get('file') || '';
    const sig = Buffer.from(params.get('signature') || '');
    const want = Buffer.from(cdnSignature(oid, repoId, file));
    /* Signed URL, like the real CDN's: a tampered URL is refused. */
    if (sig.length !== want.length || !crypto.timingSafeEqual(sig, want)) {
      send(req, res, entry, textPlan(403, {}, 'Access Denied'));
      return;
    }
    const bytes = findLfsBlob(oid);
    if (!bytes) {
      send(req, res, entry, textPlan(404, {}, 'Not Found'));
      return;
    }
    const plan = bytesPlan(req.headers, bytes, {
      'Content-Type': 'application/octet-stream',
      ETag: `"${oid}"`,
    });
    const f = req.method === 'GET' ? takeFault(`${repoId}/${file}`, 'bytes') :
      null;
    deliver(req, res, entry, plan, f);
  }

  /* ---- servers ---------------------------------------------------------- */

  /** Never crash the test process on a handler bug or a hostile client. */
  function guarded(handler) {
    return (req, res) => {
      try {
        handler(req, res);
      } catch (err) {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`test-hub internal error: ${err.message}`);
        } else {
          res.destroy();
        }
      }
    };
  }

  function onClientError(err, socket) {
    if (socket.writable && !socket.destroyed) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    } else {
      socket.destroy();
    }
  }

  const hubServer = http.createServer(guarded(handleHub));
  const cdnServer = http.createServer(guarded(handleCdn));
  hubServer.on('clientError', onClientError);
  cdnServer.on('clientError', onClientError);

  try {
    const cdnPort = await listen(cdnServer, options.cdnPort || 0);
    cdnEndpoint = `http://127.0.0.1:${cdnPort}`;
    const hubPort = await listen(hubServer, options.port || 0);
    endpoint = `http://127.0.0.1:${hubPort}`;
  } catch (err) {
    await Promise.all([closeServer(hubServer), closeServer(cdnServer)]);
    throw err;
  }

  let closing = null;

  /**
   * Add a commit to a repo and move a branch to it (default 'main'), e.g.
   * to test that a client notices `main` moved. `files` maps paths to a
   * Buffer/string (regular file), {content, lfs}, or null (delete).
   * Returns the new 40-hex commit id.
   */
  function commitFiles(repoId, files, opts = {}) {
    const repo = repos[repoId];
    if (!repo || !repo.refs) {
      throw new Error(`commitFiles: unknown repo ${repoId}`);
    }
    const branch = opts.branch || 'main';
    const parent = Object.hasOwn(repo.refs, branch) ?
      repo.commits[repo.refs[branch]] : {};
    const next = { ...parent };
    for (const [p, v] of Object.entries(files)) {
      if (v === null) {
        delete next[p];
      } else if (Buffer.isBuffer(v) || typeof v === 'string') {
        next[p] = { content: Buffer.from(v), lfs: false };
      } else {
        next[p] = { content: Buffer.from(v.content), lfs: !!v.lfs };
      }
    }
    const sha = fakeCommit(repoId, `commit-${++commitSeq}`);
    repo.commits[sha] = next;
    repo.refs[branch] = sha;
    return sha;
  }

  return {
    /** the Hub, e.g. 'http://127.0.0.1:PORT' (use as HF_ENDPOINT) */
    endpoint,
    /** the CDN that LFS redirects point to */
    cdnEndpoint,
    /** log of Hub requests: {method, url, headers, rawHeaders, status,
     * fault} */
    requests,
    /** log of CDN requests (same shape) */
    cdnRequests,
    /** CDN requests that carried Authorization; must stay empty */
    cdnAuthViolations,
    /** repo table (mutable; see buildRepos) */
    repos,
    /** commit ids: main/pr1/tag (TinyLlama main, refs/pr/1, v1.0), gated,
     * gpt2, noConfig, private */
    commits,
    /** tokens accepted as valid (mutable Set) */
    validTokens,
    fault,
    clearFaults,
    resetLogs,
    commitFiles,
    /** Hub URL of a file; the revision is encoded as one segment (C1). */
    resolveUrl(repoId, file, revision = 'main') {
      return `${endpoint}/${repoId}/resolve/` +
        `${encodeURIComponent(revision)}/${file}`;
    },
    /** Close both servers and every open (also stalled) connection. */
    close() {
      if (!closing) {
        clearFaults();
        closing = Promise.all([closeServer(hubServer), closeServer(cdnServer)])
          .then(() => undefined);
      }
      return closing;
    },
  };
}

/* ------------------------------------------------------------------------ */
/* CLI: node test/helpers/test-hub.js [--port N]                            */
/* ------------------------------------------------------------------------ */

function parsePortArg(argv) {
  for (let i = 0; i < argv.length; i++) {
    let value = null;
    if (argv[i] === '--port') {
      value = argv[i + 1];
    } else if (argv[i].startsWith('--port=')) {
      value = argv[i].slice('--port='.length);
    } else {
      continue;
    }
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`invalid --port ${JSON.stringify(value)}`);
    }
    return port;
  }
  return 0;
}

async function main() {
  let port;
  try {
    port = parsePortArg(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`test-hub: ${err.message}\n` +
      'usage: node test/helpers/test-hub.js [--port N]\n');
    process.exit(2);
  }
  const hub = await startTestHub({ port });
  process.stdout.write(JSON.stringify({
    endpoint: hub.endpoint,
    cdnEndpoint: hub.cdnEndpoint,
    grantedToken: TOKENS.granted,
    refusedToken: TOKENS.refused,
    privateOwnerToken: TOKENS.privateOwner,
  }) + '\n');
  const stop = () => {
    hub.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/* `node --test test/` also runs helpers as test files; serving forever there
 * would hang the run, so only serve when started by hand. */
if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  main().catch((err) => {
    process.stderr.write(`test-hub: ${err.stack || err}\n`);
    process.exit(1);
  });
}

module.exports = {
  startTestHub,
  TOKENS,
  MESSAGES,
  REPO,
  FAULT_MODES,
  gitBlobSha1,
  sha256Hex,
};
