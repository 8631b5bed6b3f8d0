'use strict';
// The `env` object of transformers.js (src/env.js), with the fields that
// matter to tokenizers. Differences, all documented in README.md:
// - remoteHost defaults to null: then HF_ENDPOINT, then https://huggingface.co
//   (transformers.js hard-codes https://huggingface.co/ and ignores
//   HF_ENDPOINT);
// - cacheDir defaults to null: then HF_HUB_CACHE, $HF_HOME/hub,
//   ~/.cache/huggingface/hub, the cache huggingface_hub uses, in its layout.
// The access token is never stored here: it is read at call time.
const path = require('node:path');
const { version } = require('../package.json');

const env = {
  version,
  allowRemoteModels: true,
  remoteHost: null,
  remotePathTemplate: '{model}/resolve/{revision}/',
  allowLocalModels: true,
  localModelPath: path.join(__dirname, '..', 'models') + path.sep,
  useFS: true,
  useFSCache: true,
  cacheDir: null,
  useBrowserCache: false,
  useCustomCache: false,
  customCache: null,
};

module.exports = { env };
