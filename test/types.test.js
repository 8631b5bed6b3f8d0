'use strict';
// The TypeScript declarations (lib/index.d.ts) accept a program written
// for transformers.js v3's tokenizer API and hubtok's additions:
// `tsc --noEmit --strict` on test/types/usage.ts.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

test('tsc --noEmit --strict accepts test/types/usage.ts against lib/index.d.ts', () => {
  const root = path.join(__dirname, '..');
  const tsc = require.resolve('typescript/bin/tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', path.join('test', 'types', 'usage.ts')],
    { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    output = `${err.stdout}${err.stderr}`;
  }
  assert.equal(output, '');
});
