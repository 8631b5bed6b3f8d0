'use strict';
// Synthesized tokenizer.json files for the components no fixture uses:
// the NFC/NFD/NFKC/NFKD, Lowercase, Strip and StripAccents normalizers,
// the Whitespace, Punctuation, Digits, CharDelimiterSplit, FixedLength
// and UnicodeScripts pre-tokenizers, the WordLevel model, BertProcessing
// and the WordPiece decoder without cleanup. Each one swaps one or two
// components of the bert-base-uncased fixture (its vocabulary, its added
// tokens); the ids mean nothing for a real model, what is tested is that
// hubtok runs each component exactly as the Rust library does
// (test/parity.test.js writes these to a temp dir and compares the two).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BERT_SPECIALS = ['[CLS]', '[SEP]', '[MASK]', '[PAD]', '[UNK]'];

const bertNorm = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true };
const bertPre = { type: 'BertPreTokenizer' };
const seqN = (...normalizers) => ({ type: 'Sequence', normalizers });
const seqP = (...pretokenizers) => ({ type: 'Sequence', pretokenizers });

// name -> changes to bert-base-uncased's tokenizer.json
const VARIANTS = {
  nfc: { normalizer: { type: 'NFC' }, pre_tokenizer: bertPre },
  nfd: { normalizer: { type: 'NFD' }, pre_tokenizer: bertPre },
  nfkc: { normalizer: { type: 'NFKC' }, pre_tokenizer: bertPre },
  nfkd: { normalizer: { type: 'NFKD' }, pre_tokenizer: bertPre },
  // NFD then NFC again, lowercased: recomposition over decomposed input
  'nfd-nfc-lowercase': { normalizer: seqN({ type: 'NFD' }, { type: 'NFC' }, { type: 'Lowercase' }), pre_tokenizer: bertPre },
  lowercase: { normalizer: { type: 'Lowercase' }, pre_tokenizer: { type: 'Whitespace' } },
  // Strip moves the chunk boundaries of FixedLength, so ids see it
  strip: { normalizer: seqN({ type: 'Strip', strip_left: true, strip_right: true }, { type: 'Lowercase' }),
    pre_tokenizer: { type: 'FixedLength', length: 3 } },
  'strip-left-right': { normalizer: seqN({ type: 'Strip', strip_left: true, strip_right: false },
    { type: 'Strip', strip_left: false, strip_right: true }), pre_tokenizer: { type: 'FixedLength', length: 2 } },
  'strip-accents': { normalizer: seqN({ type: 'NFKD' }, { type: 'StripAccents' }, { type: 'Lowercase' }), pre_tokenizer: bertPre },
  'bert-cased-no-chinese': { normalizer: { ...bertNorm, lowercase: false, handle_chinese_chars: false, strip_accents: true } },
  'bert-no-clean': { normalizer: { ...bertNorm, clean_text: false, strip_accents: false } },
  whitespace: { normalizer: bertNorm, pre_tokenizer: { type: 'Whitespace' } },
  punctuation: { normalizer: bertNorm, pre_tokenizer: seqP({ type: 'WhitespaceSplit' }, { type: 'Punctuation' }) },
  'punctuation-merged': { normalizer: bertNorm,
    pre_tokenizer: seqP({ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'MergedWithPrevious' }) },
  digits: { normalizer: bertNorm, pre_tokenizer: seqP({ type: 'Whitespace' }, { type: 'Digits', individual_digits: true }) },
  'digits-contiguous': { normalizer: bertNorm, pre_tokenizer: seqP({ type: 'WhitespaceSplit' }, { type: 'Digits', individual_digits: false }) },
  chardelimiter: { normalizer: bertNorm, pre_tokenizer: { type: 'CharDelimiterSplit', delimiter: ' ' } },
  fixedlength: { normalizer: bertNorm, pre_tokenizer: { type: 'FixedLength', length: 4 } },
  'unicode-scripts': { normalizer: bertNorm, pre_tokenizer: seqP({ type: 'WhitespaceSplit' }, { type: 'UnicodeScripts' }) },
  'unicode-scripts-only': { normalizer: null, pre_tokenizer: { type: 'UnicodeScripts' } },
  wordlevel: (base) => ({
    normalizer: bertNorm, pre_tokenizer: { type: 'Whitespace' }, decoder: null,
    model: { type: 'WordLevel', vocab: base.model.vocab, unk_token: '[UNK]' },
  }),
  bertprocessing: { post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: false } },
};

function writeWordPieceSynth(bertDir) {
  const base = JSON.parse(fs.readFileSync(path.join(bertDir, 'tokenizer.json'), 'utf8'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-synth-wp-'));
  const out = [];
  for (const [name, v] of Object.entries(VARIANTS)) {
    const changes = typeof v === 'function' ? v(base) : v;
    const json = { ...base, model: { type: 'WordPiece', ...base.model }, ...changes };
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', clean_up_tokenization_spaces: false }));
    out.push({ name, dir, specials: BERT_SPECIALS });
  }
  return { root, tokenizers: out };
}

module.exports = { writeWordPieceSynth, VARIANTS, BERT_SPECIALS };
