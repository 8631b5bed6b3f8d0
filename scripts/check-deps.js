'use strict';
// Runs before node-gyp at `npm install`: checks that the C libraries hubtok
// links against are installed (through pkg-config) and, when one is
// missing, stops with one clear line naming the packages to install.
const { execFileSync } = require('node:child_process');

const LIBS = [
  // pkg-config name, Debian/Ubuntu, Fedora/RHEL, Homebrew
  ['libcurl', 'libcurl4-openssl-dev', 'libcurl-devel', 'curl'],
  ['libcjson', 'libcjson-dev', 'cjson-devel', 'cjson'],
  ['libutf8proc', 'libutf8proc-dev', 'utf8proc-devel', 'utf8proc'],
  ['oniguruma', 'libonig-dev', 'oniguruma-devel', 'oniguruma'],
  ['libcrypto', 'libssl-dev', 'openssl-devel', 'openssl'],
];

function have(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!have('pkg-config', ['--version'])) {
  console.error('hubtok: pkg-config is missing; install it: apt-get install -y build-essential pkg-config | dnf install -y gcc make pkgconf-pkg-config | brew install pkg-config');
  process.exit(1);
}
const missing = LIBS.filter(([pc]) => !have('pkg-config', ['--exists', pc]));
if (missing.length) {
  const col = (i) => missing.map((m) => m[i]).join(' ');
  console.error(`hubtok: missing C libraries (${missing.map((m) => m[0]).join(', ')}); install them: apt-get install -y ${col(1)} | dnf install -y ${col(2)} | brew install ${col(3)}`);
  process.exit(1);
}
