'use strict';
// hubtok: Hugging Face tokenizers for Node.js, in C, behind the
// transformers.js API.
//
//   const { AutoTokenizer } = require('hubtok');
//   const tokenizer = await AutoTokenizer.from_pretrained('meta-llama/Llama-2-7b-hf');
//   tokenizer.encode('Hello world!'); // [ 1, 15043, 3186, 29991 ]
const { env } = require('./env');
const tokenizers = require('./tokenizer');
const native = require('./native');

module.exports = {
  env,
  ...tokenizers,
  version: native.version(),
};
