'use strict';
// The options transformers.js lacks, as Python transformers' fast
// tokenizers have them: truncation strategies, stride with overflowing
// tokens, offsets, word ids, special tokens mask, pad_to_multiple_of,
// per-call padding_side / truncation_side. Expected values come from the
// Rust library itself (npm `tokenizers`, what Python's fast tokenizers run).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Tokenizer } = require('tokenizers');
const hubtok = require('../lib/index.js');
const { FIXTURES, readFixture, unsupportedReason } = require('./helpers/tjs.js');

const LLAMA = 'TinyLlama--TinyLlama-1.1B-Chat-v1.0';
const json = readFixture(LLAMA);
const config = readFixture(LLAMA, 'tokenizer_config.json');
const STRATEGY = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' };

function rustRows(e) {
  return [e, ...e.getOverflowing()].map((x) => ({
    input_ids: Array.from(x.getIds()),
    token_type_ids: Array.from(x.getTypeIds()),
    special_tokens_mask: Array.from(x.getSpecialTokensMask()),
    attention_mask: Array.from(x.getAttentionMask()),
    offset_mapping: x.getOffsets().map((o) => Array.from(o)),
    word_ids: x.getWordIds().map((w) => (w === undefined ? null : w)),
  }));
}

function ourRows(out) {
  return out.input_ids.map((ids, i) => ({
    input_ids: ids,
    token_type_ids: out.token_type_ids[i],
    special_tokens_mask: out.special_tokens_mask[i],
    attention_mask: out.attention_mask[i],
    offset_mapping: out.offset_mapping[i],
    word_ids: out.word_ids(i),
  }));
}

test('truncation strategies, stride, overflowing tokens and truncation_side match the Rust library', async () => {
  const rust = Tokenizer.fromFile(path.join(FIXTURES, LLAMA, 'tokenizer.json'));
  const ours = new hubtok.BertTokenizer(json, config); // returns token_type_ids
  const A = 'The quick brown fox jumps over the lazy dog';
  const B = 'Hello there my friend';
  let compared = 0;
  let strideErrors = 0;
  for (const strategy of ['longest_first', 'only_first', 'only_second']) {
    for (const max_length of [1, 3, 5, 8, 12, 30]) {
      for (const stride of [0, 1, 2]) {
        for (const side of ['right', 'left']) {
          for (const pair of [null, B]) {
            for (const add_special_tokens of [true, false]) {
              let got;
              try {
                got = ourRows(ours(A, {
                  text_pair: pair, truncation: strategy, max_length, stride, truncation_side: side,
                  return_overflowing_tokens: true, return_tensor: false, add_special_tokens,
                  return_offsets_mapping: true, return_special_tokens_mask: true,
                }));
              } catch (err) {
                got = `ERR ${err.message}`;
              }
              // The Rust library panics (aborting the process) where we throw
              // this RangeError; the message is its panic message.
              if (typeof got === 'string' && got.startsWith('ERR `stride` must be strictly less than')) {
                strideErrors++;
                continue;
              }
              const nAdded = add_special_tokens ? (pair ? 2 : 1) : 0;
              if (stride >= max_length - nAdded) continue; // refused by setTruncation in Rust
              let want;
              try {
                rust.setTruncation(max_length, { stride, strategy: STRATEGY[strategy], direction: side });
                want = rustRows(await rust.encode(A, pair, { addSpecialTokens: add_special_tokens }));
              } catch (err) {
                want = `ERR ${err.message}`;
              }
              assert.deepEqual(got, want, JSON.stringify({ strategy, max_length, stride, side, pair, add_special_tokens }));
              compared++;
            }
          }
        }
      }
    }
  }
  assert.equal(compared, 334);
  assert.ok(strideErrors > 0);
});

test('overflowing tokens: exact rows, overflow_to_sample_mapping, tensors', () => {
  const ours = new hubtok.PreTrainedTokenizer(json, config);
  const out = ours(['a b c d e', 'x'], { truncation: 'longest_first', max_length: 4, stride: 1, return_overflowing_tokens: true, return_tensor: false });
  assert.deepEqual(out, {
    input_ids: [[1, 263, 289, 274], [1, 274, 270, 321], [1, 921]],
    attention_mask: [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1]],
    overflow_to_sample_mapping: [0, 0, 1],
  });
  const t = ours(['a b c d e', 'x'], { truncation: true, max_length: 4, stride: 1, return_overflowing_tokens: true, padding: true });
  assert.deepEqual(t.input_ids.tolist(), [[1n, 263n, 289n, 274n], [1n, 274n, 270n, 321n], [1n, 921n, 2n, 2n]]);
  assert.deepEqual(t.overflow_to_sample_mapping.dims, [3]);
  assert.deepEqual(Array.from(t.overflow_to_sample_mapping.data), [0n, 0n, 1n]);
  // only_second without a pair, too-short sequences: the Rust library's errors.
  assert.throws(() => ours('a b c', { truncation: 'only_second', max_length: 2 }), { code: 'HUBTOK_EINVAL', message: 'Truncation error: Second sequence not provided' });
  assert.throws(() => ours('a', { text_pair: 'b c d e f', truncation: 'only_first', max_length: 4 }),
    { code: 'HUBTOK_EINVAL', message: 'Truncation error: Sequence to truncate too short to respect the provided max_length' });
  assert.throws(() => ours('a', { truncation: 'middle_out' }), { code: 'HUBTOK_EINVAL' });
});

test('Python\'s strategy names: padding \'longest\' / \'do_not_pad\', truncation \'do_not_truncate\'', () => {
  const ours = new hubtok.PreTrainedTokenizer(json, config);
  const texts = ['Hello world!', 'Hi'];
  assert.deepEqual(ours(texts, { padding: 'longest', return_tensor: false }), ours(texts, { padding: true, return_tensor: false }));
  assert.deepEqual(ours(texts, { padding: 'longest', return_tensor: false }).input_ids, [[1, 15043, 3186, 29991], [1, 6324, 2, 2]]);
  assert.deepEqual(ours(texts, { padding: 'do_not_pad', return_tensor: false }).input_ids, [[1, 15043, 3186, 29991], [1, 6324]]);
  // transformers.js's rule for padding: true (max_length = min(longest,
  // max_length)) still holds; nothing is cut.
  assert.deepEqual(ours(texts, { truncation: 'do_not_truncate', max_length: 2, padding: true, return_tensor: false }).input_ids, [[1, 15043, 3186, 29991], [1, 6324]]);
  assert.deepEqual(ours(texts, { truncation: 'longest_first', max_length: 3, padding: 'max_length', return_tensor: false }).input_ids, [[1, 15043, 3186], [1, 6324, 2]]);
  assert.throws(() => ours(texts, { padding: 'sideways' }), { code: 'HUBTOK_EINVAL' });
  // truncation_side (per call, or the config's) and return_attention_mask.
  assert.deepEqual(ours('a b c d e', { truncation: 'longest_first', max_length: 3, truncation_side: 'left', return_tensor: false }).input_ids, [1, 270, 321]);
  assert.deepEqual(new hubtok.PreTrainedTokenizer(json, { ...config, truncation_side: 'left' })('a b c d e', { truncation: 'only_first', max_length: 3, return_tensor: false }).input_ids, [1, 270, 321]);
  assert.deepEqual(ours(texts, { padding: true, return_attention_mask: false, return_tensor: false }), { input_ids: [[1, 15043, 3186, 29991], [1, 6324, 2, 2]] });
  assert.throws(() => ours('a', { truncation_side: 'up' }), { code: 'HUBTOK_EINVAL' });
  assert.throws(() => ours('a', { stride: -1 }), { code: 'HUBTOK_EINVAL' });
});

test('pad_to_multiple_of and padding side match the Rust library\'s padding', async () => {
  const rust = Tokenizer.fromFile(path.join(FIXTURES, LLAMA, 'tokenizer.json'));
  const ours = new hubtok.PreTrainedTokenizer(json, config);
  const texts = ['Hello world!', 'Hi', 'The quick brown fox jumps over the lazy dog'];
  for (const multiple of [undefined, 4, 8, 16]) {
    for (const side of ['left', 'right']) {
      rust.disableTruncation();
      rust.setPadding({ padId: 2, padToken: '</s>', direction: side, ...(multiple ? { padToMultipleOf: multiple } : {}) });
      const want = (await rust.encodeBatch(texts)).map((e) => ({ ids: Array.from(e.getIds()), mask: Array.from(e.getAttentionMask()) }));
      const out = ours(texts, { padding: true, pad_to_multiple_of: multiple ?? null, padding_side: side, return_tensor: false });
      assert.deepEqual(out.input_ids.map((ids, i) => ({ ids, mask: out.attention_mask[i] })), want, `${multiple} ${side}`);
    }
  }
  rust.disablePadding();
  // Exact values: 4 tokens padded to a multiple of 3, per-call side.
  assert.deepEqual(ours('Hello world!', { padding: true, pad_to_multiple_of: 3, return_tensor: false }).input_ids, [1, 15043, 3186, 29991, 2, 2]);
  assert.deepEqual(ours('Hello world!', { padding: true, pad_to_multiple_of: 3, padding_side: 'left', return_tensor: false }).input_ids, [2, 2, 1, 15043, 3186, 29991]);
  assert.deepEqual(ours(['a', 'a b'], { padding: 'max_length', max_length: 5, padding_side: 'left', return_tensor: false }).attention_mask, [[0, 0, 0, 1, 1], [0, 0, 1, 1, 1]]);
  // The per-call side does not change the tokenizer's.
  assert.equal(ours.padding_side, 'right');
  assert.throws(() => ours('a', { padding_side: 'middle' }), { code: 'HUBTOK_EINVAL' });
  assert.throws(() => ours('a', { padding: true, pad_to_multiple_of: 0 }), { code: 'HUBTOK_EINVAL' });
});

// Offsets in the Rust Node binding's unit: code points (a 😀 counts 1, not
// the 2 UTF-16 units JS strings use), per sequence; word ids likewise.
const OFFSET_TEXTS = [
  ['Hello world!', null],
  ['a😀b é𝒳c', 'x😀y'],
  ['naïve café — 日本語のテキスト', 'e\u0301 combining'],
  ['  leading and  double  spaces ', null],
  ['tabs\tand\nnewlines\r\n', '🦙🦙 llamas'],
];

test('return_offsets_mapping and word_ids() match the Rust library on every supported fixture', async (t) => {
  const fs = require('node:fs');
  const names = fs.readdirSync(FIXTURES).filter((n) => fs.existsSync(path.join(FIXTURES, n, 'tokenizer.json')));
  let checked = 0;
  for (const name of names) {
    await t.test(name, async (st) => {
      let ours;
      try {
        ours = new hubtok.PreTrainedTokenizer(readFixture(name), {});
      } catch (err) {
        const reason = unsupportedReason(err);
        if (!reason) throw err;
        st.skip(reason);
        return;
      }
      const rust = Tokenizer.fromFile(path.join(FIXTURES, name, 'tokenizer.json'));
      rust.disableTruncation();
      rust.disablePadding();
      for (const [a, b] of OFFSET_TEXTS) {
        for (const add of [true, false]) {
          const e = await rust.encode(a, b, { addSpecialTokens: add });
          const out = ours(a, { text_pair: b, add_special_tokens: add, return_offsets_mapping: true, return_tensor: false });
          assert.deepEqual(out.offset_mapping, e.getOffsets().map((o) => Array.from(o)), `${name} ${a}`);
          assert.deepEqual(out.word_ids(), e.getWordIds().map((w) => (w === undefined ? null : w)), `${name} ${a}`);
          assert.deepEqual(out.input_ids, Array.from(e.getIds()));
          checked++;
        }
      }
    });
  }
  assert.ok(checked >= OFFSET_TEXTS.length * 2, `checked ${checked}`);
});

test('offsets: exact values, tensors of shape [batch, seq, 2], padding', () => {
  const ours = new hubtok.PreTrainedTokenizer(json, config);
  const out = ours(['a😀b', 'Hi'], { return_offsets_mapping: true, padding: true, return_tensor: false });
  assert.deepEqual(out.offset_mapping, [[[0, 0], [0, 1], [1, 2], [1, 2], [1, 2], [1, 2], [2, 3]], [[0, 0], [0, 2], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]]);
  assert.deepEqual(out.word_ids(1), [null, 0, null, null, null, null, null]);
  const t = ours(['a😀b', 'Hi'], { return_offsets_mapping: true, padding: true });
  assert.deepEqual(t.offset_mapping.dims, [2, 7, 2]);
  assert.deepEqual(t.offset_mapping.tolist()[0][1], [0n, 1n]);
  // word_ids is a method, not a key: the keys stay transformers.js's.
  assert.deepEqual(Object.keys(t), ['input_ids', 'attention_mask', 'offset_mapping']);
  assert.throws(() => t.word_ids(5), { code: 'HUBTOK_EINVAL' });
  const s = ours('Hello world', { return_special_tokens_mask: true, return_tensor: false });
  assert.deepEqual(s.special_tokens_mask, [1, 0, 0]);
});
