'use strict';
// Synthesized Unigram tokenizer.json files over the t5-small fixture's
// vocabulary, for what no fixture covers: Unigram byte_fallback (the 256
// <0xXX> pieces appended), Metaspace prepend_scheme "first"/"never" and
// split false, and the CTC and BPEDecoder decoders. The ids mean nothing
// for a real model; test/parity.test.js compares hubtok with the Rust
// library on them.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const added = (id, content) => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
});
const metaspace = (scheme, split) => ({ type: 'Metaspace', replacement: '▁', prepend_scheme: scheme, split });
const eosTemplate = (eos, id) => ({
  type: 'TemplateProcessing',
  single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
  pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } },
    { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: eos, type_id: 1 } }],
  special_tokens: { [eos]: { id: eos, ids: [id], tokens: [eos] } },
});

const FAMILIES = {
  // Unigram + byte_fallback (Gemma / Llama-style SentencePiece Unigram),
  // Metaspace "first" without split, ByteFallback + Fuse decoding.
  'unigram-byte-fallback': (t5) => {
    const vocab = t5.model.vocab.slice(0, 32000).filter(([p]) => !/^[0-9]$/.test(p));
    for (let b = 0; b < 256; b++) {
      vocab.push([`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0]);
    }
    return {
      json: {
        added_tokens: [added(0, '<pad>'), added(1, '</s>'), added(2, '<unk>')],
        normalizer: t5.normalizer,
        pre_tokenizer: metaspace('first', false),
        post_processor: eosTemplate('</s>', 1),
        decoder: { type: 'Sequence', decoders: [metaspace('first', false), { type: 'ByteFallback' }, { type: 'Fuse' }] },
        model: { type: 'Unigram', unk_id: 2, vocab, byte_fallback: true },
      },
      specials: ['<pad>', '</s>', '<unk>'],
    };
  },
  // No unk_id-free path here (Rust errors out on unknown chars): unk_id
  // kept, Metaspace "never" + split, no normalizer, CTC decoder.
  ctc: (t5) => ({
    json: {
      added_tokens: [added(0, '<pad>'), added(1, '</s>'), added(2, '<unk>')],
      normalizer: null,
      pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, metaspace('never', true)] },
      post_processor: eosTemplate('</s>', 1),
      decoder: { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '▁', cleanup: true },
      model: { type: 'Unigram', unk_id: 2, vocab: t5.model.vocab.slice(0, 32000), byte_fallback: false },
    },
    specials: ['<pad>', '</s>', '<unk>'],
  }),
  // BPEDecoder over the same pieces (suffix "e▁"), Metaspace "always".
  'bpe-decoder': (t5) => ({
    json: {
      added_tokens: [added(0, '<pad>'), added(1, '</s>'), added(2, '<unk>')],
      normalizer: t5.normalizer,
      pre_tokenizer: metaspace('always', true),
      post_processor: null,
      decoder: { type: 'BPEDecoder', suffix: 'e▁' },
      model: { type: 'Unigram', unk_id: 2, vocab: t5.model.vocab.slice(0, 32000), byte_fallback: false },
    },
    specials: ['<pad>', '</s>', '<unk>'],
  }),
};

function writeSynthUnigram(t5Dir) {
  const t5 = JSON.parse(fs.readFileSync(path.join(t5Dir, 'tokenizer.json'), 'utf8'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-synth-unigram-'));
  const out = [];
  for (const [name, make] of Object.entries(FAMILIES)) {
    const { json, specials } = make(t5);
    const full = { version: '1.0', truncation: null, padding: null, ...json };
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(full));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', clean_up_tokenization_spaces: false }));
    out.push({ name, dir, specials });
  }
  return { root, tokenizers: out };
}

module.exports = { writeSynthUnigram, FAMILIES };
