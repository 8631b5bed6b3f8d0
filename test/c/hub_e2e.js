'use strict';

/*
 * hub_e2e.js: end-to-end checks of the C Hub client (hubtok_hub_download)
 * without Node's addon: runs test/c/hub_cli against the loopback Hub of
 * test/helpers/test-hub.js and asserts on requests, cache layout and
 * errors. Run with `make -C test/c e2e-hub` (builds hub_cli first); skips
 * when hub_cli has not been built.
 */

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const { startTestHub, TOKENS } =
  require('../helpers/test-hub.js');

const CLI = process.env.HUB_CLI ||
  path.join(__dirname, 'build', 'hub', 'hub_cli');
const TL = 'TinyLlama/TinyLlama-1.1B-Chat-v1.0';
const GATED = 'meta-llama/Llama-2-7b-hf';
const FAST = ['--backoff', '20'];

function run(args, env = {}) {
  return new Promise((resolve) => {
    execFile(CLI, args, { env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop();
        let out;
        try {
          out = JSON.parse(line);
        } catch (e) {
          throw new Error(`hub_cli printed ${stdout} / ${stderr}`);
        }
        /* ASan/LSan/UBSan reports land on stderr: any output fails */
        assert.equal(stderr, '', `hub_cli stderr: ${stderr}`);
        resolve(out);
      });
  });
}

const tmpDirs = [];
function tmpCache() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-e2e-'));
  tmpDirs.push(d);
  return d;
}

function sha256(p) {
  return crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) {
      walk(p, out);
    }
  }
  return out;
}

function noToken(cache, token) {
  for (const p of walk(cache)) {
    assert.ok(!p.includes(token), `token in path ${p}`);
    const st = fs.lstatSync(p);
    if (st.isFile()) {
      assert.ok(!fs.readFileSync(p).includes(token), `token in ${p}`);
    }
  }
}

const skip = !fs.existsSync(CLI) && 'hub_cli not built (make -C test/c hub_cli)';

test('hub client end to end', { skip }, async (t) => {
  const hub = await startTestHub();
  const ep = hub.endpoint;
  t.after(() => {
    for (const d of tmpDirs) {
      fs.rmSync(d, { recursive: true, force: true });
    }
    return hub.close();
  });
  const dl = (repo, rev, file, cache, token, extra = []) =>
    run([...FAST, ...extra, ep, repo, rev, file, cache,
      ...(token ? ['-'] : [])], token ? { HUBTOK_CLI_TOKEN: token } : {});

  await t.test('gated: 401 anonymous, 403 refused, 200 granted', async () => {
    const cache = tmpCache();
    let r = await dl(GATED, 'main', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_GATED');
    assert.equal(r.status, 401);
    assert.equal(r.server_code, 'GatedRepo');
    assert.equal(r.requests, 1);
    assert.match(r.msg, /^Unauthorized access to file: "http:\/\/127\.0\.0\.1:\d+\/meta-llama\/Llama-2-7b-hf\/resolve\/main\/tokenizer\.json"\. No access token was sent/);
    assert.match(r.msg, /Request access at http:\/\/127\.0\.0\.1:\d+\/meta-llama\/Llama-2-7b-hf\./);

    r = await dl(GATED, 'main', 'tokenizer.json', cache, TOKENS.refused);
    assert.equal(r.code, 'HUBTOK_GATED');
    assert.equal(r.status, 403);
    assert.match(r.msg, /^Forbidden access to file: .*An access token was sent but it has not been granted access\./);
    assert.ok(!r.msg.includes(TOKENS.refused));

    hub.resetLogs();
    r = await dl(GATED, 'main', 'tokenizer.json', cache, TOKENS.granted,
      ['--progress']);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.downloaded, 1);
    assert.equal(r.requests, 2); /* HEAD (302 stop) + CDN GET */
    assert.equal(r.commit, hub.commits.gated);
    assert.equal(hub.requests.length, 1);
    assert.equal(hub.requests[0].method, 'HEAD');
    assert.equal(hub.requests[0].headers.authorization,
      `Bearer ${TOKENS.granted}`);
    assert.equal(hub.requests[0].headers['accept-encoding'], 'identity');
    assert.match(hub.requests[0].headers['user-agent'], /^hubtok\//);
    assert.equal(hub.cdnRequests.length, 1);
    assert.equal(hub.cdnRequests[0].headers.authorization, undefined);
    assert.equal(hub.cdnAuthViolations.length, 0);
    assert.ok(r.progress_calls >= 1);
    assert.deepEqual(r.progress_last, [r.size, r.size]);
    const link = fs.readlinkSync(r.path);
    assert.equal(link, `../../blobs/${sha256(r.path)}`);
    assert.equal(fs.statSync(r.path).mode & 0o777, 0o644);
    noToken(cache, TOKENS.granted);
    noToken(cache, TOKENS.refused);

    /* cached, then the token disappears: fall back to the cache */
    hub.resetLogs();
    r = await dl(GATED, 'main', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_OK');
    assert.equal(r.requests, 1);
  });

  await t.test('cache: second call HEAD only, pinned commit none',
    async () => {
      const cache = tmpCache();
      let r = await dl(TL, 'main', 'tokenizer.json', cache);
      assert.equal(r.code, 'HUBTOK_OK', r.msg);
      assert.equal(r.requests, 2);
      assert.equal(r.downloaded, 1);
      const repoDir = path.join(cache,
        'models--TinyLlama--TinyLlama-1.1B-Chat-v1.0');
      assert.equal(fs.readFileSync(path.join(repoDir, 'refs/main'), 'utf8'),
        hub.commits.main);
      assert.ok(fs.readFileSync(path.join(cache, 'CACHEDIR.TAG'), 'utf8')
        .startsWith('Signature: 8a477f597d28d172789f06886806bc55\n'));
      hub.resetLogs();
      r = await dl(TL, 'main', 'tokenizer.json', cache);
      assert.equal(r.requests, 1);
      assert.equal(r.downloaded, 0);
      assert.equal(hub.requests.length, 1);
      assert.equal(hub.requests[0].method, 'HEAD');
      hub.resetLogs();
      r = await dl(TL, hub.commits.main, 'tokenizer.json', cache);
      assert.equal(r.code, 'HUBTOK_OK');
      assert.equal(r.requests, 0);
      assert.equal(hub.requests.length, 0);
      /* the v1.0 tag shares main's blob: HEAD + symlink only */
      r = await dl(TL, 'v1.0', 'tokenizer.json', cache);
      assert.equal(r.code, 'HUBTOK_OK');
      assert.equal(r.requests, 1);
      assert.equal(r.downloaded, 0);
      assert.equal(r.commit, hub.commits.tag);
      /* offline / local_files_only: zero requests */
      hub.resetLogs();
      r = await dl(TL, 'main', 'tokenizer.json', cache, null, ['--local']);
      assert.equal(r.code, 'HUBTOK_OK');
      r = await dl(TL, 'main', 'tokenizer.json', cache, null, ['--offline']);
      assert.equal(r.code, 'HUBTOK_OK');
      r = await dl(TL, 'main', 'special_tokens_map.json', cache, null,
        ['--local']);
      assert.equal(r.code, 'HUBTOK_OFFLINE');
      assert.match(r.msg, /local_files_only: false/);
      r = await dl(TL, 'main', 'special_tokens_map.json', cache, null,
        ['--offline']);
      assert.equal(r.code, 'HUBTOK_OFFLINE');
      assert.match(r.msg, /HF_HUB_OFFLINE/);
      assert.equal(hub.requests.length, 0);
    });

  await t.test('.no_exist and refs/pr/1', async () => {
    const cache = tmpCache();
    let r = await dl('public-org/no-config', 'main', 'tokenizer_config.json',
      cache);
    assert.equal(r.code, 'HUBTOK_ENTRY_NOT_FOUND');
    assert.equal(r.status, 404);
    assert.equal(r.server_code, 'EntryNotFound');
    assert.match(r.msg, /^Could not locate file: "/);
    const repoDir = path.join(cache, 'models--public-org--no-config');
    assert.ok(fs.existsSync(path.join(repoDir, '.no_exist',
      hub.commits.noConfig, 'tokenizer_config.json')));
    hub.resetLogs();
    r = await dl('public-org/no-config', hub.commits.noConfig,
      'tokenizer_config.json', cache);
    assert.equal(r.code, 'HUBTOK_ENTRY_NOT_FOUND');
    assert.equal(r.requests, 0);
    r = await dl('public-org/no-config', 'main', 'tokenizer_config.json',
      cache, null, ['--offline']);
    assert.equal(r.code, 'HUBTOK_ENTRY_NOT_FOUND');
    assert.equal(hub.requests.length, 0);

    r = await dl(TL, 'refs/pr/1', 'tokenizer_config.json', cache);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.commit, hub.commits.pr1);
    assert.ok(hub.requests.some((q) =>
      q.url.includes('/resolve/refs%2Fpr%2F1/tokenizer_config.json')));
    assert.equal(fs.readFileSync(path.join(cache,
      'models--TinyLlama--TinyLlama-1.1B-Chat-v1.0/refs/refs/pr/1'), 'utf8'),
    hub.commits.pr1);
    assert.match(fs.readFileSync(r.path, 'utf8'), /"model_max_length": 4096/);

    r = await dl(TL, 'no-such-branch', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_REVISION_NOT_FOUND');
    r = await dl('private-org/secret', 'main', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_REPO_NOT_FOUND');
    assert.equal(r.status, 401);
    r = await dl('private-org/secret', 'main', 'tokenizer.json', cache,
      TOKENS.privateOwner);
    assert.equal(r.code, 'HUBTOK_OK');
    r = await dl('nobody/nothing', 'main', 'tokenizer.json', cache,
      TOKENS.granted);
    assert.equal(r.code, 'HUBTOK_REPO_NOT_FOUND');
    assert.equal(r.status, 404);
    r = await dl(TL, 'main', 'tokenizer.json', cache, 'hf_unknown_token');
    assert.equal(r.code, 'HUBTOK_UNAUTHORIZED');
    assert.ok(!r.msg.includes('hf_unknown_token'));
  });

  await t.test('renamed repo: relative 307 keeps auth', async () => {
    const cache = tmpCache();
    hub.resetLogs();
    const r = await dl('old-org/renamed-model', 'main', 'tokenizer.json',
      cache, TOKENS.granted);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.commit, hub.commits.main);
    assert.equal(r.requests, 3); /* HEAD 307, HEAD 200, GET */
    assert.equal(hub.requests[1].headers.authorization,
      `Bearer ${TOKENS.granted}`);
    assert.ok(fs.existsSync(path.join(cache,
      'models--old-org--renamed-model/refs/main')));
  });

  await t.test('bad input: no request', async () => {
    const cache = tmpCache();
    hub.resetLogs();
    let r = await dl(TL, 'main', 'tokenizer.json', cache,
      'hf_abc\r\nX-Evil: 1');
    assert.equal(r.code, 'HUBTOK_INVALID_TOKEN');
    assert.ok(!r.msg.includes('hf_abc'));
    assert.equal(r.requests, 0);
    for (const f of ['../x', '/etc/passwd', 'a/../b', 'a\\b', '']) {
      r = await dl(TL, 'main', f, cache);
      assert.equal(r.code, 'HUBTOK_EINVAL', f);
    }
    for (const id of ['a--b', 'a/b/c', '../x', 'x.git']) {
      r = await dl(id, 'main', 'tokenizer.json', cache);
      assert.equal(r.code, 'HUBTOK_EINVAL', id);
    }
    r = await dl(TL, '../../x', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_EINVAL');
    assert.equal(hub.requests.length, 0);
  });

  await t.test('retries: 429 (Retry-After), 503, head-503', async () => {
    const cache = tmpCache();
    hub.fault(`${TL}/tokenizer_config.json`, '429', { times: 2 });
    let t0 = Date.now();
    let r = await dl(TL, 'main', 'tokenizer_config.json', cache);
    const ms429 = Date.now() - t0;
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.requests, 4);
    assert.ok(ms429 >= 1900, `Retry-After honoured (${ms429} ms)`);

    hub.fault(`${TL}/special_tokens_map.json`, '503', { times: 2 });
    r = await dl(TL, 'main', 'special_tokens_map.json', cache);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.requests, 4);

    hub.fault(`${TL}/tokenizer.json`, 'head-503', { times: 2 });
    r = await dl(TL, 'main', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.requests, 4);

    hub.fault(`${TL}/tokenizer.model`, '503', { times: Infinity });
    t0 = Date.now();
    r = await dl(TL, 'main', 'tokenizer.model', cache, null,
      ['--retries', '2']);
    assert.equal(r.code, 'HUBTOK_HTTP');
    assert.equal(r.status, 503);
    assert.match(r.msg, /^Service unavailable error occurred while trying to load file: "/);
    assert.equal(r.requests, 4);
    hub.clearFaults();
    console.log(`# 429x2 took ${ms429} ms; 503 give-up took ` +
      `${Date.now() - t0} ms`);
  });

  await t.test('drop mid-body resumes with Range', async () => {
    const cache = tmpCache();
    hub.resetLogs();
    hub.fault(`${TL}/tokenizer.json`, 'drop');
    let r = await dl(TL, 'main', 'tokenizer.json', cache);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.requests, 3);
    const gets = hub.requests.filter((q) => q.method === 'GET');
    assert.equal(gets.length, 2);
    assert.equal(gets[0].headers.range, undefined);
    assert.match(gets[1].headers.range, /^bytes=\d+-$/);
    assert.equal(gets[1].status, 206);

    /* LFS via the CDN */
    hub.resetLogs();
    hub.fault(`${GATED}/tokenizer.model`, 'drop');
    r = await dl(GATED, 'main', 'tokenizer.model', cache, TOKENS.granted);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(hub.cdnRequests.length, 2);
    assert.match(hub.cdnRequests[1].headers.range, /^bytes=\d+-$/);
    assert.equal(hub.cdnAuthViolations.length, 0);
    assert.equal(path.basename(fs.realpathSync(r.path)), sha256(r.path));
  });

  await t.test('integrity: wrong-sha / wrong-size never cached',
    async () => {
      const cache = tmpCache();
      const repoDir = path.join(cache,
        'models--TinyLlama--TinyLlama-1.1B-Chat-v1.0');
      for (const mode of ['wrong-sha', 'wrong-size']) {
        hub.fault(`${TL}/tokenizer.json`, mode);
        const r = await dl(TL, 'main', 'tokenizer.json', cache);
        assert.equal(r.code, 'HUBTOK_INTEGRITY', mode);
        assert.equal(r.path, null);
        assert.deepEqual(fs.readdirSync(path.join(repoDir, 'blobs')), []);
        assert.ok(!fs.existsSync(path.join(repoDir, 'snapshots')));
      }
      hub.fault(`${GATED}/tokenizer.json`, 'wrong-sha');
      let r = await dl(GATED, 'main', 'tokenizer.json', cache,
        TOKENS.granted);
      assert.equal(r.code, 'HUBTOK_INTEGRITY');
      assert.match(r.msg, /sha256/);
      r = await dl(TL, 'main', 'tokenizer.json', cache);
      assert.equal(r.code, 'HUBTOK_OK');
    });

  await t.test('concurrent downloads of one blob (flock)', async () => {
    const cache = tmpCache();
    hub.resetLogs();
    const r = await dl(GATED, 'main', 'tokenizer.model', cache,
      TOKENS.granted, ['--threads', '8']);
    assert.equal(r.code, 'HUBTOK_OK', r.msg);
    assert.equal(r.ok_threads, 8);
    const blobs = fs.readdirSync(path.join(cache,
      'models--meta-llama--Llama-2-7b-hf', 'blobs'));
    assert.equal(blobs.length, 1);
    assert.equal(blobs[0], sha256(r.path));
    /* the lock lets one thread download; the others reuse its blob */
    assert.equal(hub.cdnRequests.length, 1);
    assert.equal(hub.cdnAuthViolations.length, 0);
    console.log(`# 8 threads: ${r.total_requests} requests in all, ` +
      `${hub.cdnRequests.length} CDN GET`);
  });

  /* Plain http to a host that is not loopback: see test/hub.test.js,
   * which reaches such a host name through a loopback proxy, so no test
   * traffic ever leaves 127.0.0.1. */

  await t.test('hostile answers: bounded and refused', async () => {
    const C = '0123456789abcdef0123456789abcdef01234567';
    const srv = http.createServer((req, res) => {
      const repo = req.url.split('/')[2];
      const h = { 'X-Repo-Commit': C, ETag: '"abcd"' };
      if (repo === 'big') {
        h['Content-Length'] = String(2 ** 31);
        res.writeHead(200, h);
        res.end();
      } else if (repo === 'nocommit') {
        delete h['X-Repo-Commit'];
        res.writeHead(200, h);
        res.end('x');
      } else if (repo === 'badetag') {
        h.ETag = '"../../evil"';
        res.writeHead(200, h);
        res.end('x');
      } else if (repo === 'longloc') {
        res.writeHead(302, { Location: '/' + 'a'.repeat(9000) });
        res.end();
      } else if (repo === 'loop') {
        res.writeHead(302, { Location: req.url });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const ep2 = `http://127.0.0.1:${srv.address().port}`;
    const go = (repo) => run([...FAST, '--retries', '0', ep2, `x/${repo}`,
      'main', 'f.json', tmpCache()]);
    let r = await go('big');
    assert.equal(r.code, 'HUBTOK_ETOOLARGE', r.msg);
    assert.equal(r.requests, 1);
    r = await go('nocommit');
    assert.equal(r.code, 'HUBTOK_EPROTOCOL');
    assert.match(r.msg, /does not seem to be on the Hub.*firewall and proxy settings/);
    r = await go('badetag');
    assert.equal(r.code, 'HUBTOK_EPROTOCOL');
    r = await go('longloc');
    assert.equal(r.code, 'HUBTOK_EPROTOCOL');
    r = await go('loop');
    assert.equal(r.code, 'HUBTOK_EPROTOCOL');
    assert.match(r.msg, /more than 10 redirects/);
    assert.equal(r.requests, 11);
    srv.close();
  });

  await t.test('timeouts: stall, head-stall, network fallback',
    async () => {
      const cache = tmpCache();
      hub.fault(`${TL}/tokenizer.json`, 'stall');
      let t0 = Date.now();
      let r = await dl(TL, 'main', 'tokenizer.json', cache, null,
        ['--dl-timeout', '1000', '--retries', '0']);
      const stallMs = Date.now() - t0;
      assert.equal(r.code, 'HUBTOK_TIMEOUT', r.msg);
      assert.ok(stallMs < 5000, `stall bounded (${stallMs} ms)`);
      assert.deepEqual(fs.readdirSync(path.join(cache,
        'models--TinyLlama--TinyLlama-1.1B-Chat-v1.0', 'blobs')), []);

      /* a stall then a resume */
      hub.fault(`${TL}/tokenizer.json`, 'stall');
      r = await dl(TL, 'main', 'tokenizer.json', cache, null,
        ['--dl-timeout', '1000', '--retries', '1']);
      assert.equal(r.code, 'HUBTOK_OK', r.msg);

      /* HEAD stalls: cached -> answer from the cache */
      hub.fault(`${TL}/tokenizer.json`, 'head-stall');
      t0 = Date.now();
      r = await dl(TL, 'main', 'tokenizer.json', cache, null,
        ['--etag-timeout', '500', '--retries', '0']);
      assert.equal(r.code, 'HUBTOK_OK', r.msg);
      assert.equal(r.requests, 1);
      const headStallMs = Date.now() - t0;

      /* HEAD stalls, nothing cached */
      hub.fault(`${TL}/special_tokens_map.json`, 'head-stall');
      r = await dl(TL, 'main', 'special_tokens_map.json', cache, null,
        ['--etag-timeout', '500', '--retries', '0']);
      assert.equal(r.code, 'HUBTOK_TIMEOUT', r.msg);

      /* head-drop, once: retried */
      hub.fault(`${TL}/special_tokens_map.json`, 'head-drop');
      r = await dl(TL, 'main', 'special_tokens_map.json', cache);
      assert.equal(r.code, 'HUBTOK_OK', r.msg);
      assert.equal(r.requests, 3);

      /* no server at all */
      const dead = 'http://127.0.0.1:9';
      r = await run([...FAST, dead, TL, 'main', 'tokenizer.json', cache]);
      assert.equal(r.code, 'HUBTOK_OK', r.msg);
      assert.equal(r.requests, 1);
      r = await run([...FAST, '--retries', '2', dead, TL, 'main',
        'added_tokens.json', cache]);
      assert.equal(r.code, 'HUBTOK_NETWORK', r.msg);
      assert.equal(r.requests, 3);
      hub.clearFaults();
      console.log(`# stall timeout after ${stallMs} ms; head-stall ` +
        `fallback after ${headStallMs} ms`);
    });
});
