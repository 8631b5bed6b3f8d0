'use strict';
// `npm run example`: starts the local test Hub (test/helpers/test-hub.js)
// serving the Llama 2 tokenizer as the gated meta-llama/Llama-2-7b-hf, then
// runs the seed program examples/llama.js against it twice, in a fresh
// cache: with a granted token (prints the ids) and with none (prints the
// 401 error). Nothing leaves the machine: HF_ENDPOINT points at loopback.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startTestHub, TOKENS } = require('../test/helpers/test-hub.js');

// Async: the test Hub runs in this process and must keep answering.
function spawnNode(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function run(label, extraEnv, home) {
  const childEnv = { ...process.env, HF_HOME: home, HF_HUB_CACHE: path.join(home, 'hub'), ...extraEnv };
  for (const k of ['HF_TOKEN', 'HF_ACCESS_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_OFFLINE']) {
    if (!(k in extraEnv)) delete childEnv[k];
  }
  const r = await spawnNode([path.join(__dirname, 'llama.js')], childEnv);
  console.log(`\n$ ${label} node examples/llama.js`);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.status !== 0) {
    const lines = (r.stderr || '').split('\n');
    const msg = lines.find((l) => /^\[?\w*Error/.test(l)) ?? lines.filter(Boolean).slice(-1)[0] ?? '';
    const code = (r.stderr.match(/code: '([A-Z_]+)'/) || [])[1];
    console.log(`${msg.replace(/^\[/, '').replace(/\] \{$/, '')}${code ? `\n(err.code ${code})` : ''}`);
  }
  return r;
}

// examples/ is laid out like a user's project: `import 'hubtok'` resolves
// through examples/node_modules/hubtok, a link to this checkout.
function linkPackage() {
  const dir = path.join(__dirname, 'node_modules');
  const link = path.join(dir, 'hubtok');
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.readlinkSync(link);
  } catch {
    fs.symlinkSync(path.relative(dir, path.join(__dirname, '..')), link, 'dir');
  }
}

(async () => {
  linkPackage();
  const hub = await startTestHub();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-example-'));
  const home2 = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-example-'));
  let ok = false;
  try {
    console.log(`test Hub at ${hub.endpoint} (LFS files from ${hub.cdnEndpoint})`);
    const granted = await run('HF_TOKEN=<granted token>', { HF_ENDPOINT: hub.endpoint, HF_TOKEN: TOKENS.granted }, home);
    const anonymous = await run('(no token)', { HF_ENDPOINT: hub.endpoint }, home2);
    ok = granted.status === 0 && granted.stdout.includes('[ 1, 15043, 3186, 29991 ]') && anonymous.status !== 0;
    if (hub.cdnAuthViolations.length) {
      console.log('FAIL: the CDN received an Authorization header');
      ok = false;
    }
  } finally {
    await hub.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(home2, { recursive: true, force: true });
  }
  process.exitCode = ok ? 0 : 1;
})();
