'use strict';
// Differential tests: hubtok against Hugging Face's Rust `tokenizers`
// (npm `tokenizers`, the reference) on the real tokenizer files in
// ../shared/fixtures/tokenizers, over thousands of generated inputs, plus
// llama.cpp's vocab test vectors. Compares ids and tokens with and without
// special tokens, pairs, and decode with and without skipping special
// tokens. Prints `parity: N/M` per tokenizer; any mismatch fails.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Tokenizer } = require('tokenizers');
const { PreTrainedTokenizer } = require('../lib/index.js');
const { generateStrings, generatePairs, readLlamaCppVocabTest } = require('./helpers/strings.js');
const fs = require('node:fs');
const { writeSynthTokenizers } = require('./helpers/synth.js');
const { writeSynthSpm } = require('./helpers/synth_spm.js');
const { writeSynthUnigram } = require('./helpers/synth_unigram.js');
const { writeLegacySpm } = require('./helpers/legacy_spm.js');
const { writeLegacyBpe } = require('./helpers/legacy_bpe.js');
const { writeWordPieceSynth } = require('./helpers/synth_wordpiece.js');

const SHARED = process.env.HUBTOK_FIXTURES
  ? path.resolve(process.env.HUBTOK_FIXTURES, '..')
  : path.resolve(__dirname, '../../shared/fixtures');

// Tokenizers the engine supports, with the llama.cpp vectors that match
// them (../shared/fixtures/tokenizers/INDEX.md).
const CASES = [
  { dir: 'TinyLlama--TinyLlama-1.1B-Chat-v1.0', specials: ['<s>', '</s>', '<unk>'],
    llamacpp: ['ggml-vocab-llama-spm', 'ggml-vocab-phi-3'] },
  { dir: 'openai-community--gpt2', specials: ['<|endoftext|>'],
    llamacpp: ['ggml-vocab-gpt-2'] },
  { dir: 'FacebookAI--roberta-base', specials: ['<s>', '</s>', '<pad>', '<unk>', '<mask>'],
    llamacpp: ['ggml-vocab-roberta-bpe'] },
  { dir: 'openai--whisper-tiny',
    specials: ['<|endoftext|>', '<|startoftranscript|>', '<|en|>', '<|notimestamps|>', '<|0.00|>', '<|29.98|>', '<|translate|>'],
    llamacpp: [] },
];

// Byte-level BPE families without a fixture (Llama 3, Qwen2, DeepSeek,
// o200k), synthesized over gpt2's vocabulary into a temp dir
// (test/helpers/synth.js); `path` points the loop below at them.
const SYNTH = writeSynthTokenizers(path.join(SHARED, 'tokenizers', 'openai-community--gpt2'));
test.after(() => fs.rmSync(SYNTH.root, { recursive: true, force: true }));
for (const s of SYNTH.tokenizers) {
  CASES.push({ dir: `synth-${s.name}`, path: s.dir, specials: s.specials, llamacpp: [] });
}

// SentencePiece-style BPE families without a fixture (Gemma, Gemma 3,
// Mistral's modern Metaspace) over the Llama 2 vocabulary
// (test/helpers/synth_spm.js).
const SYNTH_SPM = writeSynthSpm(path.join(SHARED, 'tokenizers', 'TinyLlama--TinyLlama-1.1B-Chat-v1.0'));
test.after(() => fs.rmSync(SYNTH_SPM.root, { recursive: true, force: true }));
for (const s of SYNTH_SPM.tokenizers) {
  CASES.push({ dir: `synth-${s.name}`, path: s.dir, specials: s.specials, llamacpp: [] });
}

// BERT / WordPiece. MiniLM's tokenizer.json pads and truncates to 128:
// hubtok, like transformers.js, leaves that to the call options, so the
// Rust reference runs with padding and truncation off (`noPadTrunc`).
const BERT_SPECIALS = ['[CLS]', '[SEP]', '[MASK]', '[PAD]', '[UNK]'];
CASES.push(
  { dir: 'google-bert--bert-base-uncased', specials: BERT_SPECIALS, llamacpp: ['ggml-vocab-bert-bge'] },
  { dir: 'sentence-transformers--all-MiniLM-L6-v2', specials: BERT_SPECIALS, llamacpp: [], noPadTrunc: true },
);
// One component each (normalizers, pre-tokenizers, WordLevel,
// BertProcessing) over bert-base-uncased (test/helpers/synth_wordpiece.js).
const SYNTH_WP = writeWordPieceSynth(path.join(SHARED, 'tokenizers', 'google-bert--bert-base-uncased'));
test.after(() => fs.rmSync(SYNTH_WP.root, { recursive: true, force: true }));
for (const s of SYNTH_WP.tokenizers) {
  CASES.push({ dir: `synth-${s.name}`, path: s.dir, specials: s.specials, llamacpp: [] });
}

// SentencePiece Unigram: T5 and the 250k-piece multilingual mpnet
// (Precompiled + WhitespaceSplit/Metaspace). mpnet's tokenizer.json
// pads and truncates to 128, left to the call options as for MiniLM.
CASES.push(
  { dir: 'google-t5--t5-small', specials: ['</s>', '<pad>', '<unk>', '<extra_id_0>', '<extra_id_99>'], llamacpp: [] },
  { dir: 'sentence-transformers--paraphrase-multilingual-mpnet-base-v2', specials: ['<s>', '</s>', '<pad>', '<unk>', '<mask>'],
    llamacpp: [], noPadTrunc: true },
);
// Unigram byte_fallback, Metaspace schemes, CTC and BPEDecoder over t5's
// pieces (test/helpers/synth_unigram.js).
const SYNTH_UG = writeSynthUnigram(path.join(SHARED, 'tokenizers', 'google-t5--t5-small'));
test.after(() => fs.rmSync(SYNTH_UG.root, { recursive: true, force: true }));
for (const s of SYNTH_UG.tokenizers) {
  CASES.push({ dir: `synth-${s.name}`, path: s.dir, specials: s.specials, llamacpp: [] });
}
// Legacy SentencePiece repos (only the .model + configs): hubtok converts
// them as transformers' LlamaConverter / T5Converter do; `ref` is the
// tokenizer.json the Rust reference loads (test/helpers/legacy_spm.js).
const LEGACY_SPM = writeLegacySpm(path.join(SHARED, 'tokenizers'));
test.after(() => fs.rmSync(LEGACY_SPM.root, { recursive: true, force: true }));
for (const s of LEGACY_SPM.tokenizers) {
  CASES.push({ dir: `legacy-spm-${s.name}`, path: s.dir, ref: s.ref, specials: s.specials, llamacpp: [] });
}

// Legacy byte-level BPE repos (vocab.json + merges.txt + configs):
// hubtok converts them as GPT2Converter / RobertaConverter do; `ref` is
// the fixture's tokenizer.json (test/helpers/legacy_bpe.js).
const LEGACY_BPE = writeLegacyBpe(path.join(SHARED, 'tokenizers'));
test.after(() => fs.rmSync(LEGACY_BPE.root, { recursive: true, force: true }));
for (const s of LEGACY_BPE.tokenizers) {
  CASES.push({ dir: `legacy-bpe-${s.name}`, path: s.dir, ref: s.ref, specials: s.specials, llamacpp: [] });
}

// HUBTOK_PARITY_STRINGS lowers the number of generated strings (the
// sanitizer pass runs the same checks on fewer inputs).
const STRINGS = process.env.HUBTOK_PARITY_STRINGS ? Number(process.env.HUBTOK_PARITY_STRINGS) : undefined;

const DECODE_RAW = { clean_up_tokenization_spaces: false };

function show(s) {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…(${s.length})` : s);
}

for (const c of CASES) {
  const dir = c.path || path.join(SHARED, 'tokenizers', c.dir);

  test(`parity with the Rust library: ${c.dir}`, async () => {
    const ours = await PreTrainedTokenizer.from_pretrained(dir);
    const rust = Tokenizer.fromFile(c.ref || path.join(dir, 'tokenizer.json'));
    if (c.noPadTrunc) {
      rust.disablePadding();
      rust.disableTruncation();
    }
    const strings = generateStrings({ specials: c.specials, count: STRINGS ?? c.count });
    const failures = [];
    let checks = 0;
    let matched = 0;
    const check = (what, input, got, want) => {
      checks++;
      try {
        assert.deepEqual(got, want);
        matched++;
      } catch {
        if (failures.length < 10) failures.push(`${what} ${show(input)}\n  hubtok ${JSON.stringify(got).slice(0, 300)}\n  rust   ${JSON.stringify(want).slice(0, 300)}`);
      }
    };
    for (const text of strings) {
      for (const special of [true, false]) {
        const enc = await rust.encode(text, null, { addSpecialTokens: special });
        const ids = enc.getIds();
        check(`ids(special=${special})`, text, ours.encode(text, { add_special_tokens: special }), ids);
        check(`tokens(special=${special})`, text, ours.tokenize(text, { add_special_tokens: special }), enc.getTokens());
        check(`offsets(special=${special})`, text, ours(text, { add_special_tokens: special, return_offsets_mapping: true, return_tensor: false }).offset_mapping, enc.getOffsets());
        if (ids.length) {
          check('decode', text, ours.decode(ids, DECODE_RAW), await rust.decode(ids, false));
          check('decode(skip)', text, ours.decode(ids, { ...DECODE_RAW, skip_special_tokens: true }), await rust.decode(ids, true));
        }
      }
    }
    for (const [a, b] of generatePairs(strings)) {
      const enc = await rust.encode(a, b, { addSpecialTokens: true });
      check('pair ids', `${a} ||| ${b}`, ours.encode(a, { text_pair: b }), enc.getIds());
      check('pair ids (v2 form)', `${a} ||| ${b}`, ours.encode(a, b), enc.getIds());
      const both = ours(a, { text_pair: b, return_offsets_mapping: true, return_token_type_ids: true, return_tensor: false });
      check('pair offsets', `${a} ||| ${b}`, both.offset_mapping, enc.getOffsets());
      // transformers.js returns token_type_ids only when the post-processor
      // makes them (tested in test/js-api*.test.js); their values here.
      if (both.token_type_ids !== undefined) check('pair type ids', `${a} ||| ${b}`, both.token_type_ids, enc.getTypeIds());
    }
    console.log(`parity: ${c.dir} ${matched}/${checks} (${strings.length} strings, 300 pairs)`);
    assert.equal(failures.length, 0, `mismatches:\n${failures.join('\n')}`);
    assert.equal(matched, checks);
  });

  for (const name of c.llamacpp) {
    test(`llama.cpp vectors ${name} on ${c.dir}`, async () => {
      const ours = await PreTrainedTokenizer.from_pretrained(dir);
      const cases = readLlamaCppVocabTest(path.join(SHARED, 'llamacpp-vocab-tests', `${name}.gguf`));
      let matched = 0;
      const failures = [];
      for (const { text, ids } of cases) {
        const got = ours.encode(text, { add_special_tokens: false });
        if (JSON.stringify(got) === JSON.stringify(ids)) matched++;
        else failures.push(`${show(text)}: ${JSON.stringify(got)} != ${JSON.stringify(ids)}`);
      }
      console.log(`parity: ${name} on ${c.dir} ${matched}/${cases.length}`);
      assert.deepEqual(failures, []);
    });
  }
}

// The llama.cpp inputs of each synthesized family through hubtok and the
// Rust library (the .out ids need the real vocabularies, so Rust is the
// reference here).
for (const s of SYNTH.tokenizers) {
  for (const name of s.inputs) {
    test(`llama.cpp inputs ${name} on synth-${s.name} vs Rust`, async () => {
      const ours = await PreTrainedTokenizer.from_pretrained(s.dir);
      const rust = Tokenizer.fromFile(path.join(s.dir, 'tokenizer.json'));
      const cases = readLlamaCppVocabTest(path.join(SHARED, 'llamacpp-vocab-tests', `${name}.gguf`));
      let matched = 0;
      const failures = [];
      for (const { text } of cases) {
        const want = (await rust.encode(text, null, { addSpecialTokens: false })).getIds();
        const got = ours.encode(text, { add_special_tokens: false });
        if (JSON.stringify(got) === JSON.stringify(want)) matched++;
        else failures.push(`${show(text)}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
      console.log(`parity: ${name} inputs on synth-${s.name} ${matched}/${cases.length}`);
      assert.deepEqual(failures, []);
    });
  }
}

// Whisper's GitHub assets (vocab.json, merges.txt, added_tokens.json,
// GPT2Tokenizer configs; no tokenizer.json anywhere) converted, against
// whisper-tiny's tokenizer.json where the two agree: the same vocabulary
// and <|endoftext|> at 50257, but whisper-tiny adds 1607 more tokens and
// a TemplateProcessing, so: no special tokens, no pairs, and only inputs
// without whisper-tiny's other added tokens. And the merges: that
// merges.txt has no "#version" header, so GPT2Tokenizer's
// read().split("\n")[1:-1] drops its first merge ("Ġ t"), as transformers
// does when converting it; the reference is whisper-tiny's file without
// that merge.
test('parity with the Rust library: legacy-bpe-whisper vs openai--whisper-tiny', async () => {
  const ours = await PreTrainedTokenizer.from_pretrained(path.join(SHARED, 'tokenizers', 'openai--whisper-github-assets-multilingual'));
  const tiny = JSON.parse(fs.readFileSync(path.join(SHARED, 'tokenizers', 'openai--whisper-tiny', 'tokenizer.json'), 'utf8'));
  assert.deepEqual(tiny.model.merges[0], 'Ġ t');
  tiny.model.merges.shift();
  const refPath = path.join(LEGACY_BPE.root, 'whisper-tiny-ref.json');
  fs.writeFileSync(refPath, JSON.stringify(tiny));
  const rust = Tokenizer.fromFile(refPath);
  const extra = tiny.added_tokens.map((t) => t.content).filter((c) => c !== '<|endoftext|>');
  const strings = generateStrings({ specials: ['<|endoftext|>'], count: STRINGS })
    .filter((s) => !extra.some((c) => s.includes(c)));
  let checks = 0;
  const failures = [];
  const check = (what, input, got, want) => {
    checks++;
    if (JSON.stringify(got) !== JSON.stringify(want) && failures.length < 10) {
      failures.push(`${what} ${show(input)}\n  hubtok ${JSON.stringify(got).slice(0, 300)}\n  rust   ${JSON.stringify(want).slice(0, 300)}`);
    }
  };
  for (const text of strings) {
    const enc = await rust.encode(text, null, { addSpecialTokens: false });
    const ids = enc.getIds();
    check('ids', text, ours.encode(text, { add_special_tokens: false }), ids);
    check('tokens', text, ours.tokenize(text, { add_special_tokens: false }), enc.getTokens());
    if (ids.length) {
      check('decode', text, ours.decode(ids, DECODE_RAW), await rust.decode(ids, false));
      check('decode(skip)', text, ours.decode(ids, { ...DECODE_RAW, skip_special_tokens: true }), await rust.decode(ids, true));
    }
  }
  console.log(`parity: legacy-bpe-whisper vs openai--whisper-tiny ${checks - failures.length}/${checks} (${strings.length} strings)`);
  assert.deepEqual(failures, []);
});

// bert-base-cased has only vocab.txt + tokenizer_config.json
// (do_lower_case false): hubtok converts them as transformers'
// BertConverter does (src/convert/wordpiece.c). The reference is built
// independently with the Rust library's own builders from vocab.txt.
test('parity with the Rust library: legacy-wordpiece google-bert--bert-base-cased', async () => {
  const T = require('tokenizers');
  const dir = path.join(SHARED, 'tokenizers', 'google-bert--bert-base-cased');
  const ours = await PreTrainedTokenizer.from_pretrained(dir);
  const wp = await new Promise((resolve, reject) => {
    const r = T.WordPiece.fromFile(path.join(dir, 'vocab.txt'), { unkToken: '[UNK]' }, (e, m) => (e ? reject(e) : resolve(m)));
    if (r && r.then) r.then(resolve, reject);
  });
  const rust = new T.Tokenizer(wp);
  rust.setNormalizer(T.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase: false }));
  rust.setPreTokenizer(T.bertPreTokenizer());
  rust.setPostProcessor(T.templateProcessing('[CLS]:0 $A:0 [SEP]:0', '[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1',
    [['[CLS]', 101], ['[SEP]', 102]]));
  rust.setDecoder(T.wordPieceDecoder('##', true));
  rust.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  assert.deepEqual(ours.encode('Hello world!'), [101, 8667, 1362, 106, 102]);
  const strings = generateStrings({ specials: BERT_SPECIALS, count: STRINGS });
  let checks = 0;
  const failures = [];
  const check = (what, input, got, want) => {
    checks++;
    if (JSON.stringify(got) !== JSON.stringify(want) && failures.length < 10) {
      failures.push(`${what} ${show(input)}\n  hubtok ${JSON.stringify(got).slice(0, 300)}\n  rust   ${JSON.stringify(want).slice(0, 300)}`);
    }
  };
  for (const text of strings) {
    for (const special of [true, false]) {
      const enc = await rust.encode(text, null, { addSpecialTokens: special });
      const ids = enc.getIds();
      check(`ids(special=${special})`, text, ours.encode(text, { add_special_tokens: special }), ids);
      check(`tokens(special=${special})`, text, ours.tokenize(text, { add_special_tokens: special }), enc.getTokens());
      if (ids.length) {
        check('decode', text, ours.decode(ids, DECODE_RAW), await rust.decode(ids, false));
        check('decode(skip)', text, ours.decode(ids, { ...DECODE_RAW, skip_special_tokens: true }), await rust.decode(ids, true));
      }
    }
  }
  for (const [a, b] of generatePairs(strings)) {
    const enc = await rust.encode(a, b, { addSpecialTokens: true });
    check('pair ids', `${a} ||| ${b}`, ours.encode(a, { text_pair: b }), enc.getIds());
  }
  console.log(`parity: legacy-wordpiece google-bert--bert-base-cased ${checks - failures.length}/${checks} (${strings.length} strings, 300 pairs)`);
  assert.deepEqual(failures, []);
});
