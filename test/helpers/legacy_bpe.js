'use strict';
// Repos without tokenizer.json, made at test time from the byte-level
// BPE fixtures: a temp dir holding only vocab.json + merges.txt and the
// configs, so PreTrainedTokenizer.from_pretrained goes through the
// legacy converter (src/convert/bpe_files.c, as transformers'
// GPT2Converter / RobertaConverter). `ref` is the tokenizer.json the Rust
// reference loads: the fixture's own file, which the conversion must
// reproduce.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function writeLegacyBpe(fixtures) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-legacy-bpe-'));
  const out = [];
  const make = (name, src, config, specials) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    for (const f of ['vocab.json', 'merges.txt']) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    out.push({ name, dir, ref: path.join(src, 'tokenizer.json'), specials });
  };
  const config = (name) => JSON.parse(fs.readFileSync(path.join(fixtures, name, 'tokenizer_config.json'), 'utf8'));

  // gpt2's config names no class: GPT2Converter is the default.
  make('gpt2', path.join(fixtures, 'openai-community--gpt2'), config('openai-community--gpt2'), ['<|endoftext|>']);
  // roberta-base's tokenizer_config.json names no class either (the Hub
  // picks it from config.json's model_type); the class is written here.
  make('roberta', path.join(fixtures, 'FacebookAI--roberta-base'),
    { ...config('FacebookAI--roberta-base'), tokenizer_class: 'RobertaTokenizer' },
    ['<s>', '</s>', '<pad>', '<unk>', '<mask>']);
  return { root, tokenizers: out };
}

module.exports = { writeLegacyBpe };
