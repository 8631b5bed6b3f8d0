'use strict';

/* Self-tests of the loopback Hub in test/helpers/test-hub.js: every status,
 * header and fault other test files rely on, with exact expected values.
 * Run: node --test test/test-hub.test.js */

const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const {
  startTestHub, TOKENS, MESSAGES, gitBlobSha1, sha256Hex,
} = require('./helpers/test-hub.js');

const FIXTURES = process.env.HUBTOK_FIXTURES ||
  path.resolve(__dirname, '../../shared/fixtures/tokenizers');
const TL_DIR = path.join(FIXTURES, 'TinyLlama--TinyLlama-1.1B-Chat-v1.0');
const GPT2_DIR = path.join(FIXTURES, 'openai-community--gpt2');
const TL_TOKENIZER = fs.readFileSync(path.join(TL_DIR, 'tokenizer.json'));
const TL_CONFIG = fs.readFileSync(path.join(TL_DIR, 'tokenizer_config.json'));
const GPT2_TOKENIZER = fs.readFileSync(path.join(GPT2_DIR, 'tokenizer.json'));

/* From /work/shared/fixtures/tokenizers/HASHES.md */
const TL_TOKENIZER_BLOB = 'a6e931b92caff4c79c5c56282f1e89569a0ae558';
const GPT2_TOKENIZER_SHA256 =
  '8414cab924d8b9b33013f0d221c5862f365ee9be39c5c2bfae8a5a9e970478a6';

const GATED = 'meta-llama/Llama-2-7b-hf';
const TL = 'TinyLlama/TinyLlama-1.1B-Chat-v1.0';
const GPT2 = 'openai-community/gpt2';
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

let hub;

before(async () => {
  hub = await startTestHub();
});

after(async () => {
  await hub.close();
});

beforeEach(() => {
  hub.clearFaults();
  hub.resetLogs();
});

/**
 * One request with node:http (no keep-alive, raw path, no normalization).
 * Resolves with {status, headers, body, error} where error is set if the
 * connection died (body then holds what arrived). `idleMs` aborts when no
 * data arrives for that long (stall tests); idle is then true.
 */
function request(url, { method = 'GET', headers = {}, idleMs = 0 } = {}) {
  const u = new URL(url);
  /* keep the path exactly as given (URL() would normalize `..`) */
  const rawPath = url.slice(u.origin.length);
  return new Promise((resolve) => {
    const chunks = [];
    let res = null;
    let timer = null;
    let done = false;
    const finish = (extra) => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      resolve({
        status: res ? res.statusCode : null,
        headers: res ? res.headers : null,
        body: Buffer.concat(chunks),
        ...extra,
      });
    };
    const arm = () => {
      if (!idleMs) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        finish({ idle: true });
        req.destroy();
      }, idleMs);
    };
    const req = http.request({
      host: u.hostname, port: u.port, path: rawPath, method, headers,
      agent: false,
    }, (r) => {
      res = r;
      arm();
      r.on('data', (c) => {
        chunks.push(c);
        arm();
      });
      r.on('end', () => finish({}));
      r.on('error', (error) => finish({ error }));
      r.on('aborted', () => finish({ error: new Error('aborted') }));
    });
    req.on('error', (error) => finish({ error }));
    arm();
    req.end();
  });
}

/* ---------------------------------------------------------------------- */

test('regular file: 200 with X-Repo-Commit, git blob ETag, sizes', async () => {
  const url = hub.resolveUrl(TL, 'tokenizer.json');
  const head = await request(url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers['x-repo-commit'], hub.commits.main);
  assert.match(hub.commits.main, /^[0-9a-f]{40}$/);
  assert.equal(head.headers.etag, `"${TL_TOKENIZER_BLOB}"`);
  assert.equal(gitBlobSha1(TL_TOKENIZER), TL_TOKENIZER_BLOB);
  assert.equal(head.headers['content-length'], '1842767');
  assert.equal(head.headers['accept-ranges'], 'bytes');
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['x-linked-etag'], undefined);

  const get = await request(url);
  assert.equal(get.status, 200);
  assert.ok(get.body.equals(TL_TOKENIZER));
  assert.equal(get.headers.etag, `"${TL_TOKENIZER_BLOB}"`);

  assert.deepEqual(hub.requests.map((r) => [r.method, r.status]),
    [['HEAD', 200], ['GET', 200]]);
  assert.equal(hub.requests[0].url,
    `/${TL}/resolve/main/tokenizer.json`);
});

test('gated repo: 401 / 403 / invalid 401 / 200 with exact headers',
  async () => {
    const url = hub.resolveUrl(GATED, 'tokenizer_config.json');

    const anon = await request(url, { method: 'HEAD' });
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['x-error-code'], 'GatedRepo');
    assert.equal(anon.headers['x-error-message'],
      'Access to model meta-llama/Llama-2-7b-hf is restricted. You must ' +
      'have access to it and be authenticated to access it. Please log in.');

    const refused = await request(url, { headers: bearer(TOKENS.refused) });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['x-error-code'], 'GatedRepo');
    assert.equal(refused.headers['x-error-message'],
      'Access to model meta-llama/Llama-2-7b-hf is restricted and you are ' +
      'not in the authorized list. Visit ' +
      'https://huggingface.co/meta-llama/Llama-2-7b-hf to ask for access.');

    const invalid = await request(url, { headers: bearer('hf_bogus') });
    assert.equal(invalid.status, 401);
    assert.equal(invalid.headers['x-error-code'], undefined);
    assert.equal(invalid.headers['x-error-message'],
      'Invalid credentials in Authorization header');

    const basic = await request(url, { headers: { authorization: 'Basic eA==' } });
    assert.equal(basic.status, 401);
    assert.equal(basic.headers['x-error-code'], undefined);

    const ok = await request(url, { headers: bearer(TOKENS.granted) });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-repo-commit'], hub.commits.gated);
    assert.ok(ok.body.equals(TL_CONFIG));

    /* the log keeps Authorization so tests can assert where it went */
    assert.equal(hub.requests[4].headers.authorization,
      `Bearer ${TOKENS.granted}`);
    assert.equal(MESSAGES.gatedNotGranted(GATED),
      refused.headers['x-error-message']);
  });

test('gated LFS file with granted token: 302 to the CDN', async () => {
  const res = await request(hub.resolveUrl(GATED, 'tokenizer.json'),
    { method: 'HEAD', headers: bearer(TOKENS.granted) });
  assert.equal(res.status, 302);
  assert.equal(res.headers['x-linked-etag'], `"${sha256(TL_TOKENIZER)}"`);
  assert.equal(res.headers['x-linked-size'], String(TL_TOKENIZER.length));
  assert.equal(res.headers['x-repo-commit'], hub.commits.gated);
  assert.ok(res.headers.location.startsWith(
    `${hub.cdnEndpoint}/lfs/${sha256(TL_TOKENIZER)}?signature=`));
});

test('private repo: 401 anonymous, 404 other token, 200 owner', async () => {
  const url = hub.resolveUrl('private-org/secret', 'tokenizer.json');
  for (const [headers, status] of [[{}, 401],
    [bearer(TOKENS.granted), 404], [bearer(TOKENS.refused), 404]]) {
    const res = await request(url, { headers });
    assert.equal(res.status, status);
    assert.equal(res.headers['x-error-code'], 'RepoNotFound');
    assert.equal(res.headers['x-error-message'], 'Repository not found');
    assert.equal(res.headers['x-repo-commit'], undefined);
  }
  const owner = await request(url, { headers: bearer(TOKENS.privateOwner) });
  assert.equal(owner.status, 200);
  assert.equal(owner.headers['x-repo-commit'], hub.commits.private);
  assert.ok(owner.body.equals(TL_TOKENIZER));
});

test('unknown repo: 401 anonymous, 404 authenticated, RepoNotFound',
  async () => {
    const url = hub.resolveUrl('nobody/nothing', 'tokenizer.json');
    const anon = await request(url);
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['x-error-code'], 'RepoNotFound');
    const authed = await request(url, { headers: bearer(TOKENS.refused) });
    assert.equal(authed.status, 404);
    assert.equal(authed.headers['x-error-code'], 'RepoNotFound');
  });

test('missing file: 404 EntryNotFound with X-Repo-Commit', async () => {
  const res = await request(
    hub.resolveUrl('public-org/no-config', 'tokenizer_config.json'),
    { method: 'HEAD' });
  assert.equal(res.status, 404);
  assert.equal(res.headers['x-error-code'], 'EntryNotFound');
  assert.equal(res.headers['x-error-message'], 'Entry not found');
  assert.equal(res.headers['x-repo-commit'], hub.commits.noConfig);

  const present = await request(
    hub.resolveUrl('public-org/no-config', 'tokenizer.json'));
  assert.equal(present.status, 200);
});

test('missing revision: 404 RevisionNotFound "Invalid rev id"', async () => {
  const res = await request(hub.resolveUrl(TL, 'tokenizer.json', 'nope'));
  assert.equal(res.status, 404);
  assert.equal(res.headers['x-error-code'], 'RevisionNotFound');
  assert.equal(res.headers['x-error-message'], 'Invalid rev id: nope');
  assert.equal(res.headers['x-repo-commit'], undefined);
});

test('revisions: encoded refs/pr/1, tag, full commit; raw refs/pr/1 404s',
  async () => {
    const pr = await request(
      `${hub.endpoint}/${TL}/resolve/refs%2Fpr%2F1/tokenizer_config.json`);
    assert.equal(pr.status, 200);
    assert.equal(pr.headers['x-repo-commit'], hub.commits.pr1);
    assert.notEqual(hub.commits.pr1, hub.commits.main);
    assert.equal(JSON.parse(pr.body).model_max_length, 4096);

    const main = await request(hub.resolveUrl(TL, 'tokenizer_config.json'));
    assert.equal(JSON.parse(main.body).model_max_length, 2048);
    assert.notEqual(pr.headers.etag, main.headers.etag);

    const raw = await request(
      `${hub.endpoint}/${TL}/resolve/refs/pr/1/tokenizer_config.json`);
    assert.equal(raw.status, 404);
    assert.equal(raw.headers['x-error-code'], 'RevisionNotFound');
    assert.equal(raw.headers['x-error-message'], 'Invalid rev id: refs');

    const tag = await request(hub.resolveUrl(TL, 'tokenizer.json', 'v1.0'),
      { method: 'HEAD' });
    assert.equal(tag.status, 200);
    assert.equal(tag.headers['x-repo-commit'], hub.commits.tag);
    assert.equal(tag.headers.etag, `"${TL_TOKENIZER_BLOB}"`);

    const byCommit = await request(
      hub.resolveUrl(TL, 'tokenizer_config.json', hub.commits.pr1));
    assert.equal(byCommit.status, 200);
    assert.equal(byCommit.headers['x-repo-commit'], hub.commits.pr1);
    assert.equal(JSON.parse(byCommit.body).model_max_length, 4096);

    const otherRepoCommit = await request(
      hub.resolveUrl(TL, 'tokenizer.json', hub.commits.gpt2));
    assert.equal(otherRepoCommit.status, 404);
    assert.equal(otherRepoCommit.headers['x-error-code'], 'RevisionNotFound');
  });

test('LFS: 302 with absolute Location, X-Linked-Etag = sha256, CDN serves',
  async () => {
    assert.equal(sha256Hex(GPT2_TOKENIZER), GPT2_TOKENIZER_SHA256);
    const res = await fetch(hub.resolveUrl(GPT2, 'tokenizer.json'),
      { redirect: 'manual' });
    assert.equal(res.status, 302);
    await res.arrayBuffer();
    const location = res.headers.get('location');
    assert.ok(location.startsWith(
      `${hub.cdnEndpoint}/lfs/${GPT2_TOKENIZER_SHA256}?signature=`), location);
    assert.equal(res.headers.get('x-linked-etag'), `"${GPT2_TOKENIZER_SHA256}"`);
    assert.equal(res.headers.get('x-linked-size'), '1355256');
    assert.equal(res.headers.get('x-repo-commit'), hub.commits.gpt2);
    assert.equal(res.headers.get('etag'), `"${GPT2_TOKENIZER_SHA256}"`);

    const cdn = await request(location);
    assert.equal(cdn.status, 200);
    assert.equal(cdn.headers['content-length'], '1355256');
    assert.equal(cdn.headers['accept-ranges'], 'bytes');
    assert.ok(cdn.body.equals(GPT2_TOKENIZER));
    assert.equal(hub.cdnRequests.length, 1);
    assert.deepEqual(hub.cdnAuthViolations, []);

    /* Node's fetch drops Authorization on the cross-port hop (doc C7). */
    const followed = await fetch(hub.resolveUrl(GPT2, 'tokenizer.json'),
      { headers: bearer(TOKENS.granted) });
    assert.equal(followed.status, 200);
    assert.equal(sha256(Buffer.from(await followed.arrayBuffer())),
      GPT2_TOKENIZER_SHA256);
    assert.deepEqual(hub.cdnAuthViolations, []);
  });

test('CDN refuses and records Authorization; refuses bad signature',
  async () => {
    const head = await request(hub.resolveUrl(GPT2, 'tokenizer.json'),
      { method: 'HEAD' });
    const location = head.headers.location;

    const leaked = await request(location, { headers: bearer(TOKENS.granted) });
    assert.equal(leaked.status, 400);
    assert.equal(hub.cdnAuthViolations.length, 1);
    assert.equal(hub.cdnAuthViolations[0].headers.authorization,
      `Bearer ${TOKENS.granted}`);

    const tampered = await request(location.replace('signature=',
      'signature=0'));
    assert.equal(tampered.status, 403);
    const otherFile = await request(location.replace('file=tokenizer.json',
      'file=vocab.json'));
    assert.equal(otherFile.status, 403);
    const unknown = await request(`${hub.cdnEndpoint}/nope`);
    assert.equal(unknown.status, 404);
  });

test('Range: 206 on Hub and CDN, suffix, 416, If-Range', async () => {
  const url = hub.resolveUrl(TL, 'tokenizer.json');
  const size = TL_TOKENIZER.length;
  const part = await request(url, { headers: { range: 'bytes=100-' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers['content-range'], `bytes 100-${size - 1}/${size}`);
  assert.equal(part.headers['content-length'], String(size - 100));
  assert.ok(part.body.equals(TL_TOKENIZER.subarray(100)));

  const probe = await request(url, { headers: { range: 'bytes=0-0' } });
  assert.equal(probe.status, 206);
  assert.equal(probe.headers['content-range'], `bytes 0-0/${size}`);
  assert.equal(probe.body.length, 1);

  const suffix = await request(url, { headers: { range: 'bytes=-10' } });
  assert.equal(suffix.status, 206);
  assert.ok(suffix.body.equals(TL_TOKENIZER.subarray(size - 10)));

  const beyond = await request(url, { headers: { range: `bytes=${size}-` } });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers['content-range'], `bytes */${size}`);

  const etag = `"${TL_TOKENIZER_BLOB}"`;
  const same = await request(url,
    { headers: { range: 'bytes=10-', 'if-range': etag } });
  assert.equal(same.status, 206);
  const changed = await request(url,
    { headers: { range: 'bytes=10-', 'if-range': '"0000"' } });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.length, size);

  const location = (await request(hub.resolveUrl(GPT2, 'tokenizer.json'),
    { method: 'HEAD' })).headers.location;
  const cdnPart = await request(location, { headers: { range: 'bytes=1000-' } });
  assert.equal(cdnPart.status, 206);
  assert.equal(cdnPart.headers['content-range'],
    `bytes 1000-${GPT2_TOKENIZER.length - 1}/${GPT2_TOKENIZER.length}`);
  assert.ok(cdnPart.body.equals(GPT2_TOKENIZER.subarray(1000)));
  const cdnBeyond = await request(location,
    { headers: { range: 'bytes=99999999-' } });
  assert.equal(cdnBeyond.status, 416);
});

test('renamed repo: 307 with relative Location, keeps the raw rest',
  async () => {
    const res = await request(
      `${hub.endpoint}/old-org/renamed-model/resolve/refs%2Fpr%2F1/` +
      'tokenizer_config.json', { headers: bearer(TOKENS.granted) });
    assert.equal(res.status, 307);
    assert.equal(res.headers.location,
      `/${TL}/resolve/refs%2Fpr%2F1/tokenizer_config.json`);
    const target = await request(hub.endpoint + res.headers.location);
    assert.equal(target.status, 200);
    assert.equal(target.headers['x-repo-commit'], hub.commits.pr1);

    /* fetch follows a relative redirect keeping Authorization (doc C7) */
    const followed = await fetch(
      hub.resolveUrl('old-org/renamed-model', 'tokenizer_config.json'),
      { headers: bearer(TOKENS.granted) });
    assert.equal(followed.status, 200);
    await followed.arrayBuffer();
    const last = hub.requests[hub.requests.length - 1];
    assert.equal(last.url, `/${TL}/resolve/main/tokenizer_config.json`);
    assert.equal(last.headers.authorization, `Bearer ${TOKENS.granted}`);
  });

test('bad input: 400/404, server keeps serving', async () => {
  const base = `${hub.endpoint}/${TL}/resolve/main`;
  assert.equal((await request(`${base}/%E0%A4%A`)).status, 400);
  assert.equal((await request(`${base}/../tokenizer.json`)).status, 400);
  assert.equal((await request(`${base}/%2E%2E/tokenizer.json`)).status, 400);
  assert.equal((await request(`${base}/a%2F..%2Fb`)).status, 400);
  assert.equal((await request(`${base}/%00`)).status, 400);
  assert.equal((await request(`${hub.endpoint}/`)).status, 404);
  assert.equal((await request(`${hub.endpoint}/api/models/${TL}`)).status, 404);
  assert.equal((await request(`${hub.endpoint}/__proto__/x/resolve/main/a`))
    .status, 401);
  assert.equal((await request(`${base}/__proto__`)).status, 404);
  assert.equal((await request(hub.resolveUrl(TL, 'tokenizer.json',
    'constructor'))).status, 404);
  assert.equal((await request(`${base}/tokenizer.json`,
    { method: 'POST' })).status, 404);
  assert.equal((await request(`${hub.cdnEndpoint}/lfs/%ZZ`)).status, 400);
  assert.equal((await request(hub.resolveUrl(TL, 'tokenizer.json'),
    { method: 'HEAD' })).status, 200);
});

/* ---- faults ------------------------------------------------------------ */

test('fault drop: full Content-Length, half the body, then disconnect',
  async () => {
    hub.fault(`${TL}/tokenizer.json`, 'drop');
    const url = hub.resolveUrl(TL, 'tokenizer.json');
    const head = await request(url, { method: 'HEAD' });
    assert.equal(head.status, 200); /* HEAD does not consume a bytes fault */
    const res = await request(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(TL_TOKENIZER.length));
    assert.ok(res.error, 'connection should die mid-body');
    assert.equal(res.body.length, TL_TOKENIZER.length >> 1);
    assert.equal(hub.requests[1].fault, 'drop');

    /* resume as huggingface_hub does: Range from what arrived */
    const rest = await request(url,
      { headers: { range: `bytes=${res.body.length}-` } });
    assert.equal(rest.status, 206);
    assert.ok(Buffer.concat([res.body, rest.body]).equals(TL_TOKENIZER));
    assert.equal(hub.requests[2].fault, null);
  });

test('fault drop on an LFS file hits the CDN GET, not the Hub', async () => {
  hub.fault(`${GPT2}/tokenizer.json`, 'drop');
  const hubRes = await request(hub.resolveUrl(GPT2, 'tokenizer.json'));
  assert.equal(hubRes.status, 302);
  assert.equal(hub.requests[0].fault, null);
  const cdn = await request(hubRes.headers.location);
  assert.ok(cdn.error);
  assert.equal(cdn.body.length, GPT2_TOKENIZER.length >> 1);
  assert.equal(hub.cdnRequests[0].fault, 'drop');
  const again = await request(hubRes.headers.location);
  assert.equal(again.status, 200);
  assert.equal(again.body.length, GPT2_TOKENIZER.length);
});

test('fault 429: Retry-After: 1, then normal; times option', async () => {
  hub.fault(`${TL}/tokenizer_config.json`, '429', { times: 2 });
  const url = hub.resolveUrl(TL, 'tokenizer_config.json');
  for (let i = 0; i < 2; i++) {
    const res = await request(url);
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '1');
  }
  assert.equal((await request(url)).status, 200);
  assert.deepEqual(hub.requests.map((r) => r.fault), ['429', '429', null]);
});

test('fault 503 once then normal; at: hub applies to the LFS 302', async () => {
  hub.fault(`${TL}/tokenizer.json`, '503');
  const url = hub.resolveUrl(TL, 'tokenizer.json');
  assert.equal((await request(url)).status, 503);
  assert.equal((await request(url)).status, 200);

  hub.fault(`${GPT2}/tokenizer.json`, '503', { at: 'hub' });
  const gpt2 = hub.resolveUrl(GPT2, 'tokenizer.json');
  assert.equal((await request(gpt2)).status, 503);
  assert.equal((await request(gpt2)).status, 302);
});

test('fault wrong-sha: same length, sha256 differs from X-Linked-Etag',
  async () => {
    hub.fault(`${GPT2}/tokenizer.json`, 'wrong-sha');
    const head = await request(hub.resolveUrl(GPT2, 'tokenizer.json'),
      { method: 'HEAD' });
    const res = await request(head.headers.location);
    assert.equal(res.status, 200);
    assert.equal(res.body.length, GPT2_TOKENIZER.length);
    assert.equal(res.headers['content-length'], String(GPT2_TOKENIZER.length));
    assert.notEqual(sha256(res.body), GPT2_TOKENIZER_SHA256);
    assert.equal(head.headers['x-linked-etag'], `"${GPT2_TOKENIZER_SHA256}"`);
    assert.equal(sha256((await request(head.headers.location)).body),
      GPT2_TOKENIZER_SHA256);
  });

test('fault wrong-size: complete response one byte short', async () => {
  hub.fault('/TinyLlama/TinyLlama-1.1B-Chat-v1.0/resolve/main/tokenizer.json',
    'wrong-size');
  const res = await request(hub.resolveUrl(TL, 'tokenizer.json'));
  assert.equal(res.status, 200);
  assert.equal(res.error, undefined);
  assert.equal(res.body.length, TL_TOKENIZER.length - 1);
  assert.equal(res.headers['content-length'], String(TL_TOKENIZER.length - 1));
  assert.equal(hub.requests[0].fault, 'wrong-size');
});

test('fault stall: headers and a few bytes, then silence', async () => {
  hub.fault(`${TL}/tokenizer.json`, 'stall');
  const res = await request(hub.resolveUrl(TL, 'tokenizer.json'),
    { idleMs: 150 });
  assert.equal(res.status, 200);
  assert.equal(res.idle, true);
  assert.equal(res.body.length, 16);
  assert.equal(res.headers['content-length'], String(TL_TOKENIZER.length));
});

test('HEAD faults: head-503, head-429, head-drop, head-stall', async () => {
  const key = `${TL}/tokenizer.json`;
  const url = hub.resolveUrl(TL, 'tokenizer.json');
  hub.fault(key, 'head-503');
  hub.fault(key, 'head-429');
  hub.fault(key, 'head-drop');
  hub.fault(key, 'head-stall');
  /* a GET is not affected by HEAD faults */
  assert.equal((await request(url)).status, 200);

  assert.equal((await request(url, { method: 'HEAD' })).status, 503);
  const limited = await request(url, { method: 'HEAD' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers['retry-after'], '1');
  const dropped = await request(url, { method: 'HEAD' });
  assert.equal(dropped.status, null);
  assert.ok(dropped.error);
  const stalled = await request(url, { method: 'HEAD', idleMs: 150 });
  assert.equal(stalled.status, null);
  assert.equal(stalled.idle, true);
  assert.equal((await request(url, { method: 'HEAD' })).status, 200);
  assert.deepEqual(hub.requests.map((r) => r.fault),
    [null, 'head-503', 'head-429', 'head-drop', 'head-stall', null]);
});

test('faults only hit requests that would succeed; bad modes throw',
  async () => {
    hub.fault(`${GATED}/tokenizer_config.json`, '503');
    const url = hub.resolveUrl(GATED, 'tokenizer_config.json');
    assert.equal((await request(url)).status, 401);
    assert.equal((await request(url, { headers: bearer(TOKENS.granted) }))
      .status, 503);
    assert.throws(() => hub.fault(`${TL}/x`, 'explode'), TypeError);
    assert.throws(() => hub.fault(`${TL}/x`, 'drop', { times: 0 }),
      RangeError);
    assert.throws(() => hub.fault(`${TL}/x`, 'wrong-sha', { at: 'hub' }),
      TypeError);
  });

test('commitFiles moves a branch; old commit still resolvable', async () => {
  const before = hub.repos['public-org/no-config'].refs.main;
  const sha = hub.commitFiles('public-org/no-config',
    { 'tokenizer_config.json': '{"model_max_length": 7}' });
  const res = await request(
    hub.resolveUrl('public-org/no-config', 'tokenizer_config.json'));
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-repo-commit'], sha);
  assert.equal(res.body.toString(), '{"model_max_length": 7}');
  const old = await request(
    hub.resolveUrl('public-org/no-config', 'tokenizer_config.json', before));
  assert.equal(old.status, 404);
  assert.equal(old.headers['x-error-code'], 'EntryNotFound');
  assert.equal(old.headers['x-repo-commit'], before);
  hub.repos['public-org/no-config'].refs.main = before;
});

test('close() ends stalled connections and is idempotent', async () => {
  const other = await startTestHub();
  other.fault(`${TL}/tokenizer.json`, 'stall');
  other.fault(`${TL}/tokenizer.json`, 'head-stall');
  const url = other.resolveUrl(TL, 'tokenizer.json');
  const pending = [request(url), request(url, { method: 'HEAD' })];
  /* wait until both requests reached the server (bounded) */
  for (let i = 0; i < 100 && other.requests.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(other.requests.length, 2);
  await Promise.all([other.close(), other.close()]);
  const [get, head] = await Promise.all(pending);
  assert.ok(get.error);
  assert.equal(get.body.length, 16);
  assert.ok(head.error);
});
