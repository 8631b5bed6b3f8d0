'use strict';
// Repos without tokenizer.json, made at test time from the SentencePiece
// fixtures: a temp dir holding only the .model file and the configs, so
// PreTrainedTokenizer.from_pretrained goes through the legacy converter
// (src/convert/sentencepiece.c). `ref` is the tokenizer.json the Rust
// reference loads: the fixture's own file where transformers' converter
// gives the same pipeline, or the fixture's file with the pieces the
// converter changes for that config (TinyLlama's config says
// legacy: false, so LlamaConverter writes no normalizer and a Metaspace
// "first" pre-tokenizer, not the legacy Prepend + Replace the Hub file
// has).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function writeLegacySpm(fixtures) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-legacy-spm-'));
  const out = [];
  const make = (name, src, files, config, ref, specials) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    for (const f of files) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    if (config) fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    out.push({ name, dir, ref, specials });
  };

  const t5 = path.join(fixtures, 'google-t5--t5-small');
  make('t5', t5, ['spiece.model', 'tokenizer_config.json'], null,
    path.join(t5, 'tokenizer.json'), ['</s>', '<pad>', '<unk>', '<extra_id_0>', '<extra_id_99>']);

  const tl = path.join(fixtures, 'TinyLlama--TinyLlama-1.1B-Chat-v1.0');
  const tlConfig = JSON.parse(fs.readFileSync(path.join(tl, 'tokenizer_config.json'), 'utf8'));
  const tlJson = JSON.parse(fs.readFileSync(path.join(tl, 'tokenizer.json'), 'utf8'));
  // As the Hub file: legacy (Prepend + Replace normalizer).
  make('tinyllama-legacy', tl, ['tokenizer.model', 'special_tokens_map.json'],
    { ...tlConfig, legacy: true }, path.join(tl, 'tokenizer.json'), ['<s>', '</s>', '<unk>']);
  // The config as shipped (legacy: false): LlamaConverter's non-legacy
  // pipeline, and the Rust reference built the same way.
  const nonLegacy = { ...tlJson, normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false } };
  const ref = path.join(root, 'tinyllama-nonlegacy.tokenizer.json');
  fs.writeFileSync(ref, JSON.stringify(nonLegacy));
  make('tinyllama', tl, ['tokenizer.model', 'special_tokens_map.json', 'tokenizer_config.json'], null,
    ref, ['<s>', '</s>', '<unk>']);
  return { root, tokenizers: out };
}

module.exports = { writeLegacySpm };
