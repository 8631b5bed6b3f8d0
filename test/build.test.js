'use strict';
// The install step: a missing C library stops `npm install` with one line
// naming the packages to install.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('check-deps names every missing library and the packages to install, in one line', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'check-deps.js')], {
    env: { ...process.env, PKG_CONFIG_LIBDIR: '/nonexistent', PKG_CONFIG_PATH: '' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'hubtok: missing C libraries (libcurl, libcjson, libutf8proc, oniguruma, libcrypto); install them: '
    + 'apt-get install -y libcurl4-openssl-dev libcjson-dev libutf8proc-dev libonig-dev libssl-dev | '
    + 'dnf install -y libcurl-devel cjson-devel utf8proc-devel oniguruma-devel openssl-devel | '
    + 'brew install curl cjson utf8proc oniguruma openssl\n');
});

test('check-deps passes quietly when everything is installed', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'check-deps.js')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});
