'use strict';
// `npm run test:sanitize`: the C unit tests and the whole node test suite
// against an addon built with AddressSanitizer and UBSan. The instrumented
// module is built straight from binding.gyp's source list into
// build-sanitize/ and loaded through HUBTOK_NATIVE (lib/native.js); node
// itself is not instrumented, so libasan is preloaded. Leak checking is
// left to the C tests (make -C test/c check SAN=1), since node's own
// allocations at exit would drown it.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const gyp = fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8');
const sources = [...gyp.matchAll(/"(src\/[^"]+\.c)"/g)].map((m) => m[1]);
// As binding.gyp: libcurl's and libcrypto's headers, but not the
// libraries (hub/http.c and hub/digest.c dlopen them on first use).
const pkgs = ['libcurl', 'libcjson', 'libutf8proc', 'oniguruma', 'libcrypto'];
const linked = ['libcjson', 'libutf8proc', 'oniguruma'];
const pc = (flag, list = pkgs) => execFileSync('pkg-config', [flag, ...list], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
const nodeInclude = [path.join(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node']
  .find((d) => fs.existsSync(path.join(d, 'node_api.h')));
const outDir = path.join(root, 'build-sanitize');
const out = path.join(outDir, 'hubtok.node');
fs.mkdirSync(outDir, { recursive: true });

const san = ['-fsanitize=address,undefined', '-fno-sanitize-recover=undefined', '-fno-omit-frame-pointer'];
const step = (what, cmd, args, opts = {}) => {
  console.log(`== ${what}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`sanitize: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
};

step('build the instrumented addon', 'gcc', ['-std=gnu11', '-g', '-O1', '-shared', '-fPIC', ...san,
  '-DNAPI_VERSION=8', '-DNODE_GYP_MODULE_NAME=hubtok', `-I${nodeInclude}`, '-Isrc', ...pc('--cflags'),
  ...sources, ...pc('--libs', linked), '-ldl', '-o', out]);
step('C unit tests under ASan + UBSan + LeakSanitizer', 'make', ['-s', '-C', 'test/c', 'check', 'SAN=1']);

const libasan = execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
step('node test suite against the instrumented addon', process.execPath,
  ['--test', ...fs.readdirSync(path.join(root, 'test')).filter((f) => f.endsWith('.test.js')).map((f) => `test/${f}`)], {
    env: {
      ...process.env,
      HUBTOK_NATIVE: out,
      // The full parity run is in `npm test`; here fewer inputs suffice.
      HUBTOK_PARITY_STRINGS: process.env.HUBTOK_PARITY_STRINGS || '600',
      LD_PRELOAD: libasan,
      ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:verify_asan_link_order=0',
      UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    },
  });
console.log('sanitize: clean');
