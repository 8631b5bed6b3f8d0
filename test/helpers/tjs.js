'use strict';
// transformers.js v3 (@huggingface/transformers, installed by `pretest`
// into test/peers without install scripts), the source of expected values
// for the API tests. Only its tokenizers module is imported: the package
// root loads onnxruntime and sharp, whose install scripts never ran.
const fs = require('node:fs');
const path = require('node:path');

const FIXTURES = process.env.HUBTOK_FIXTURES || path.resolve(__dirname, '../../../shared/fixtures/tokenizers');
const TJS_TOKENIZERS = path.join(__dirname, '../peers/node_modules/@huggingface/transformers/src/tokenizers.js');

let tjsPromise = null;
function loadTjs() {
  if (!tjsPromise) tjsPromise = import(TJS_TOKENIZERS);
  return tjsPromise;
}

function readFixture(name, file = 'tokenizer.json') {
  const text = fs.readFileSync(path.join(FIXTURES, name, file), 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : text;
}

// The engine does not support every fixture yet: a test on one of those
// skips with the engine's own reason, and starts running once it does.
function unsupportedReason(err) {
  if (err && err.code === 'HUBTOK_EUNSUPPORTED') return `engine: ${err.message}`;
  if (err && err.code === 'HUBTOK_ETOKENIZER' && /model\.type/.test(err.message)) {
    return `engine: ${err.message} (pre-2021 serialization not read yet)`;
  }
  return null;
}

// Build `Cls` from fixture `name` for a test context `t`; null (and the
// test skipped) when the engine reports the fixture unsupported.
function buildOrSkip(t, Cls, json, config) {
  try {
    return new Cls(json, config);
  } catch (err) {
    const reason = unsupportedReason(err);
    if (!reason) throw err;
    t.skip(reason);
    return null;
  }
}

// Values from transformers.js results, comparable with ours: tensors as
// { type, dims, data: number[] }.
function plain(x) {
  if (x && typeof x === 'object' && Array.isArray(x.dims) && x.data !== undefined) {
    return { type: x.type, dims: Array.from(x.dims), data: Array.from(x.data, Number) };
  }
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object') {
    const out = {};
    for (const k of Object.keys(x)) out[k] = plain(x[k]);
    return out;
  }
  return x;
}

module.exports = { FIXTURES, loadTjs, readFixture, unsupportedReason, buildOrSkip, plain };
