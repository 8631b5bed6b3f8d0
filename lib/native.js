'use strict';
// Loads the compiled addon (build/Release/hubtok.node, or build/Debug when
// that is the only one built). HUBTOK_NATIVE overrides the path (the
// sanitizer run points it at an instrumented build).
const path = require('node:path');
const fs = require('node:fs');

function load() {
  const root = path.join(__dirname, '..');
  const candidates = process.env.HUBTOK_NATIVE
    ? [path.resolve(process.env.HUBTOK_NATIVE)]
    : [path.join(root, 'build', 'Release', 'hubtok.node'),
       path.join(root, 'build', 'Debug', 'hubtok.node')];
  for (const file of candidates) {
    if (fs.existsSync(file)) return require(file);
  }
  const err = new Error(`hubtok: the native addon is not built (looked for ${candidates.join(', ')}). Run \`npm install\` (or \`npm run build\`) in ${root}.`);
  err.code = 'HUBTOK_NOT_BUILT';
  throw err;
}

module.exports = load();
