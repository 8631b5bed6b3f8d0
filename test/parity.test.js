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

const SHARED = process.env.HUBTOK_FIXTURES
  ? path.resolve(process.env.HUBTOK_FIXTURES, '..')
  : path.resolve(__dirname, '../../shared/fixtures');

// Tokenizers the engine supports, with the llama.cpp vectors that match
// them (../shared/fixtures/tokenizers/INDEX.md).
const CASES = [
  { dir: 'TinyLlama--TinyLlama-1.1B-Chat-v1.0', specials: ['<s>', '</s>', '<unk>'],
    llamacpp: ['ggml-vocab-llama-spm', 'ggml-vocab-phi-3'] },
];

const DECODE_RAW = { clean_up_tokenization_spaces: false };

function show(s) {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…(${s.length})` : s);
}

for (const c of CASES) {
  const dir = path.join(SHARED, 'tokenizers', c.dir);

  test(`parity with the Rust library: ${c.dir}`, async () => {
    const ours = await PreTrainedTokenizer.from_pretrained(dir);
    const rust = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const strings = generateStrings({ specials: c.specials });
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
