'use strict';
// Synthesized tokenizer.json files for the SentencePiece-style BPE
// families without a fixture, over the Llama 2 vocabulary and merges of the
// TinyLlama fixture: Gemma (Replace normalizer, no pre-tokenizer, no Strip
// decoder), Gemma 3 (plus Split " " MergedWithPrevious), and Mistral-style
// modern Metaspace (prepend_scheme "first", split false, no normalizer).
// The ids are meaningless for the real models; what is tested is that
// hubtok runs each family's pipeline exactly as the Rust library does.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const replace = (from, to) => ({ type: 'Replace', pattern: { String: from }, content: to });
const spmDecoder = { type: 'Sequence', decoders: [replace('▁', ' '), { type: 'ByteFallback' }, { type: 'Fuse' }] };
const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false };

const FAMILIES = {
  gemma: (base) => ({ ...base, normalizer: replace(' ', '▁'), pre_tokenizer: null, decoder: spmDecoder }),
  gemma3: (base) => ({
    ...base,
    normalizer: replace(' ', '▁'),
    pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false },
    decoder: spmDecoder,
  }),
  'mistral-metaspace': (base) => ({ ...base, normalizer: null, pre_tokenizer: metaspace, decoder: metaspace }),
};

function writeSynthSpm(tinyLlamaDir) {
  const base = JSON.parse(fs.readFileSync(path.join(tinyLlamaDir, 'tokenizer.json'), 'utf8'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-synth-spm-'));
  const tokenizers = [];
  for (const [name, make] of Object.entries(FAMILIES)) {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(make(base)));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ clean_up_tokenization_spaces: false }));
    tokenizers.push({ name, dir, specials: ['<s>', '</s>', '<unk>'] });
  }
  return { root, tokenizers };
}

module.exports = { writeSynthSpm };
