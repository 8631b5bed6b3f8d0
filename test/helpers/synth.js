'use strict';
// Synthesized tokenizer.json files for byte-level BPE families that have
// no fixture (Llama 3, Qwen2, DeepSeek, GPT-4o's o200k): the
// pre-tokenizer / post-processor / options of each family, over the
// vocabulary and merges of the gpt2 fixture. The ids are meaningless for
// the real models; what is tested is that hubtok runs each family's
// pipeline exactly as the Rust library does (test/parity.test.js writes
// these to a temp dir and compares the two).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Family regexes, as in the families' tokenizer.json files.
const LLAMA3_RE = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_RE = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const DEEPSEEK_CJK_RE = '[一-龥぀-ゟ゠-ヿ]+';
const DEEPSEEK_V3_RE = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const O200K_RE = [
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
  '\\p{N}{1,3}',
  ' ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*',
  '\\s*[\\r\\n]+',
  '\\s+(?!\\S)',
  '\\s+',
].join('|');

const split = (re) => ({ type: 'Split', pattern: { Regex: re }, behavior: 'Isolated', invert: false });
const byteLevel = (aps, trim, useRegex) => ({ type: 'ByteLevel', add_prefix_space: aps, trim_offsets: trim, use_regex: useRegex });
const added = (id, content, special = true) => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special,
});

// TemplateProcessing "<bos> $A" / "<bos> $A <bos> $B" (Llama 3, DeepSeek).
function bosTemplate(bos, id) {
  return {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: bos, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { [bos]: { id: bos, ids: [id], tokens: [bos] } },
  };
}

// name -> (base tokenizer.json of gpt2) -> { json, specials }
const FAMILIES = {
  llama3(base, n) {
    const bos = '<|begin_of_text|>';
    return {
      specials: [bos, '<|end_of_text|>', '<|eot_id|>'],
      json: {
        added_tokens: [added(n, bos), added(n + 1, '<|end_of_text|>'), added(n + 2, '<|eot_id|>')],
        normalizer: null,
        pre_tokenizer: { type: 'Sequence', pretokenizers: [split(LLAMA3_RE), byteLevel(false, true, false)] },
        post_processor: { type: 'Sequence', processors: [byteLevel(true, false, true), bosTemplate(bos, n)] },
        decoder: byteLevel(true, true, true),
        model: { ...base.model, type: 'BPE', ignore_merges: true, byte_fallback: false },
      },
    };
  },
  qwen2(base, n, { nfc = true } = {}) {
    return {
      specials: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
      json: {
        added_tokens: [added(50256, '<|endoftext|>'), added(n, '<|im_start|>'), added(n + 1, '<|im_end|>')],
        normalizer: nfc ? { type: 'NFC' } : null,
        pre_tokenizer: { type: 'Sequence', pretokenizers: [split(QWEN2_RE), byteLevel(false, false, false)] },
        post_processor: byteLevel(false, false, false),
        decoder: byteLevel(false, false, false),
        model: { ...base.model, type: 'BPE', ignore_merges: false, byte_fallback: false },
      },
    };
  },
  // DeepSeek (LLM / Coder style): digits and CJK runs isolated first.
  deepseek(base, n) {
    const bos = '<｜begin▁of▁sentence｜>';
    return {
      specials: [bos, '<｜end▁of▁sentence｜>'],
      json: {
        added_tokens: [added(n, bos), added(n + 1, '<｜end▁of▁sentence｜>')],
        normalizer: null,
        pre_tokenizer: {
          type: 'Sequence',
          pretokenizers: [split('\\p{N}{1,3}'), split(DEEPSEEK_CJK_RE), split(LLAMA3_RE), byteLevel(false, true, false)],
        },
        post_processor: bosTemplate(bos, n),
        decoder: byteLevel(true, true, true),
        model: { ...base.model, type: 'BPE', byte_fallback: false },
      },
    };
  },
  // DeepSeek-V3's third regex.
  deepseek3(base, n) {
    const r = FAMILIES.deepseek(base, n);
    r.json.pre_tokenizer.pretokenizers[2] = split(DEEPSEEK_V3_RE);
    return r;
  },
  o200k(base, n) {
    return {
      specials: ['<|endoftext|>', '<|endofprompt|>'],
      json: {
        added_tokens: [added(50256, '<|endoftext|>'), added(n, '<|endofprompt|>')],
        normalizer: null,
        pre_tokenizer: { type: 'Sequence', pretokenizers: [split(O200K_RE), byteLevel(false, true, false)] },
        post_processor: null,
        decoder: byteLevel(true, true, true),
        model: { ...base.model, type: 'BPE', ignore_merges: false, byte_fallback: false },
      },
    };
  },
  // The ByteLevel normalizer (bytes -> chars before pre-tokenization),
  // then a Split on the normalized space char.
  'bytelevel-normalizer'(base) {
    return {
      specials: ['<|endoftext|>'],
      json: {
        added_tokens: [added(50256, '<|endoftext|>')],
        normalizer: { type: 'ByteLevel' },
        pre_tokenizer: { type: 'Split', pattern: { String: 'Ġ' }, behavior: 'MergedWithNext', invert: false },
        post_processor: null,
        decoder: byteLevel(true, true, true),
        model: { ...base.model, type: 'BPE' },
      },
    };
  },
  // The other Split behaviours and invert, with a String pattern, in a
  // Sequence before a regex-less ByteLevel with add_prefix_space.
  'split-mix'(base) {
    const sp = (pattern, behavior, invert) => ({ type: 'Split', pattern, behavior, invert });
    return {
      specials: ['<|endoftext|>'],
      json: {
        added_tokens: [added(50256, '<|endoftext|>')],
        normalizer: null,
        pre_tokenizer: {
          type: 'Sequence',
          pretokenizers: [
            sp({ String: ' ' }, 'MergedWithPrevious', false),
            sp({ Regex: '\\p{P}+' }, 'Contiguous', false),
            sp({ Regex: '[^\\n]+' }, 'Removed', true),
            sp({ String: 'e' }, 'MergedWithNext', false),
            byteLevel(true, true, false),
          ],
        },
        post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', 50256], cls: ['<|endoftext|>', 50256], trim_offsets: true, add_prefix_space: true },
        decoder: byteLevel(true, true, true),
        model: { ...base.model, type: 'BPE' },
      },
    };
  },
};

// The llama.cpp .inp files run through each family (compared with Rust,
// not with the .out ids, which need the real vocabularies).
const LLAMACPP_INPUTS = {
  llama3: ['ggml-vocab-llama-bpe'],
  qwen2: ['ggml-vocab-qwen2', 'ggml-vocab-deepseek-r1-qwen'],
  deepseek: ['ggml-vocab-deepseek-llm', 'ggml-vocab-deepseek-coder'],
  deepseek3: ['ggml-vocab-deepseek-llm'],
  o200k: ['ggml-vocab-llama-bpe'],
};

// Write every family's tokenizer.json (+ tokenizer_config.json) under a
// fresh temp dir. Returns [{ name, dir, specials, inputs }].
function writeSynthTokenizers(gpt2Dir, opts = {}) {
  const base = JSON.parse(fs.readFileSync(path.join(gpt2Dir, 'tokenizer.json'), 'utf8'));
  const n = Object.keys(base.model.vocab).length; // first free id
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-synth-'));
  const out = [];
  for (const [name, make] of Object.entries(FAMILIES)) {
    const { json, specials } = make(base, n, opts);
    const full = { version: '1.0', truncation: null, padding: null, ...json };
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(full));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', clean_up_tokenization_spaces: false }));
    out.push({ name, dir, specials, inputs: LLAMACPP_INPUTS[name] || [] });
  }
  return { root, tokenizers: out };
}

module.exports = { writeSynthTokenizers, FAMILIES, LLAMA3_RE, QWEN2_RE, O200K_RE, DEEPSEEK_V3_RE };
