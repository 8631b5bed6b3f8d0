'use strict';
// See package.json: stands in for onnxruntime-node, onnxruntime-web and
// sharp, which the tokenizer tests never run. transformers.js checks
// `x instanceof ort.Tensor` when it builds tensors, so the stub hands out
// onnxruntime-common's Tensor (pure JS, a devDependency of hubtok).
let Tensor;
try {
  ({ Tensor } = require('onnxruntime-common'));
} catch {
  Tensor = class Tensor {};
}
module.exports = { Tensor };
