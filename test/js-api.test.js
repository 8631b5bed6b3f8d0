'use strict';
// The callable tokenizer (_call) against transformers.js v3 itself: the
// same tokenizer.json and config loaded in both, every combination of the
// transformers.js options run through both, results (tensors, arrays,
// warnings, error messages) compared exactly. Plus the Tensor class and
// decode's inputs.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const hubtok = require('../lib/index.js');
const { FIXTURES, loadTjs, readFixture, plain } = require('./helpers/tjs.js');

const LLAMA = 'TinyLlama--TinyLlama-1.1B-Chat-v1.0';
const json = readFixture(LLAMA);
const config = readFixture(LLAMA, 'tokenizer_config.json');

// TinyLlama's vocabulary behind a BERT-style template: [<s>] A [</s>] and
// [<s>] A [</s>] B [</s>] with type ids 0 / 1, for the token_type_ids rules.
function bertLikeJson() {
  const j = structuredClone(json);
  const special = (id, type) => ({ SpecialToken: { id, type_id: type } });
  j.post_processor = {
    type: 'TemplateProcessing',
    single: [special('<s>', 0), { Sequence: { id: 'A', type_id: 0 } }, special('</s>', 0)],
    pair: [special('<s>', 0), { Sequence: { id: 'A', type_id: 0 } }, special('</s>', 0),
      { Sequence: { id: 'B', type_id: 1 } }, special('</s>', 1)],
    special_tokens: {
      '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] },
      '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] },
    },
  };
  return j;
}

// Run fn with console.warn captured; returns { value | error, warnings }.
function capture(fn) {
  const warnings = [];
  const orig = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    return { value: plain(fn()), warnings };
  } catch (err) {
    return { error: err.message, warnings };
  } finally {
    console.warn = orig;
  }
}

function compareCall(tjsTok, ours, input, options) {
  const want = capture(() => tjsTok(input, { ...options }));
  const got = capture(() => ours(input, { ...options }));
  assert.deepEqual(got, want, `input ${JSON.stringify(input)} options ${JSON.stringify(options)}`);
  return want;
}

const INPUTS = [
  'Hello world!',
  ['Hello world!', 'Hi', ''],
  ['The quick brown fox jumps over the lazy dog', 'a 🦙 b'],
];
const PAIRS = [
  ['Hello world!', 'How are you?'],
  [['Hello world!', 'Hi'], ['How are you?', '']],
];

function* optionMatrix() {
  for (const padding of [false, true, 'max_length']) {
    for (const truncation of [null, true, false]) {
      for (const max_length of [null, 3, 8, 40]) {
        for (const return_tensor of [true, false]) {
          yield { padding, truncation, max_length, return_tensor };
        }
      }
    }
  }
}

let T;
test.before(async () => {
  T = await loadTjs();
});

test('the tokenizer is callable, keeps instanceof, and has transformers.js\'s properties', () => {
  const ours = new hubtok.LlamaTokenizer(json, config);
  const theirs = new T.LlamaTokenizer(json, config);
  assert.equal(typeof ours, 'function');
  assert.equal(typeof theirs, 'function');
  assert.ok(ours instanceof hubtok.LlamaTokenizer);
  assert.ok(ours instanceof hubtok.PreTrainedTokenizer);
  for (const key of ['bos_token', 'bos_token_id', 'eos_token', 'eos_token_id', 'unk_token', 'unk_token_id',
    'pad_token', 'pad_token_id', 'sep_token', 'mask_token', 'model_max_length', 'padding_side',
    'clean_up_tokenization_spaces', 'special_tokens', 'all_special_ids', 'additional_special_tokens',
    'return_token_type_ids', 'chat_template', 'add_bos_token', 'add_eos_token', 'remove_space']) {
    assert.deepEqual(ours[key], theirs[key], key);
  }
  assert.deepEqual(ours.added_tokens.map((t) => ({ ...t })), theirs.added_tokens.map((t) => ({ ...t })));
  assert.equal(ours.config, config);
  assert.deepEqual(ours('Hello world!', { return_tensor: false }), { input_ids: [1, 15043, 3186, 29991], attention_mask: [1, 1, 1, 1] });
});

// Every combination of padding x truncation x max_length x return_tensor,
// single and batched, with and without pairs, on three classes: transformers.js's
// warnings, errors and values, exactly.
for (const [label, Cls, build] of [
  ['LlamaTokenizer (pads left)', 'LlamaTokenizer', () => [json, config]],
  ['PreTrainedTokenizer (pads right, config padding_side)', 'PreTrainedTokenizer', () => [json, { ...config, padding_side: 'right' }]],
  ['BertTokenizer (token_type_ids)', 'BertTokenizer', () => [bertLikeJson(), { ...config, pad_token: '<unk>' }]],
]) {
  test(`_call option matrix vs transformers.js: ${label}`, () => {
    const [j, c] = build();
    const theirs = new T[Cls](j, c);
    const ours = new hubtok[Cls](j, c);
    let n = 0;
    for (const opts of optionMatrix()) {
      for (const input of INPUTS) {
        compareCall(theirs, ours, input, opts);
        compareCall(theirs, ours, input, { ...opts, add_special_tokens: false });
        n += 2;
      }
      for (const [a, b] of PAIRS) {
        compareCall(theirs, ours, a, { ...opts, text_pair: b });
        compareCall(theirs, ours, a, { ...opts, text_pair: b, return_token_type_ids: true });
        compareCall(theirs, ours, a, { ...opts, text_pair: b, return_token_type_ids: false });
        n += 3;
      }
    }
    assert.equal(n, 72 * 12);
  });
}

test('_call exact values: padding, truncation, token_type_ids, tensors', () => {
  const llama = new hubtok.LlamaTokenizer(json, config);
  const out = llama(['Hello world!', 'Hi'], { padding: true });
  assert.ok(out.input_ids instanceof hubtok.Tensor);
  assert.equal(out.input_ids.type, 'int64');
  assert.ok(out.input_ids.data instanceof BigInt64Array);
  assert.deepEqual(out.input_ids.dims, [2, 4]);
  assert.equal(out.input_ids.size, 8);
  assert.deepEqual(out.input_ids.tolist(), [[1n, 15043n, 3186n, 29991n], [2n, 2n, 1n, 6324n]]);
  assert.deepEqual(out.attention_mask.tolist(), [[1n, 1n, 1n, 1n], [0n, 0n, 1n, 1n]]);
  assert.deepEqual(Object.keys(out), ['input_ids', 'attention_mask']);

  const bert = new hubtok.BertTokenizer(bertLikeJson(), config);
  const pair = bert('Hello', { text_pair: 'world', return_tensor: false });
  assert.deepEqual(pair, { input_ids: [1, 15043, 2, 3186, 2], attention_mask: [1, 1, 1, 1, 1], token_type_ids: [0, 0, 0, 1, 1] });
  assert.deepEqual(bert('Hello', { text_pair: 'world', return_tensor: false, return_token_type_ids: false }),
    { input_ids: [1, 15043, 2, 3186, 2], attention_mask: [1, 1, 1, 1, 1] });
  // Truncation cuts the end, special tokens included (transformers.js).
  assert.deepEqual(bert(['Hello world!', 'Hi'], { padding: true, truncation: true, max_length: 3, return_tensor: false }).input_ids,
    [[1, 15043, 3186], [1, 6324, 2]]);
});

test('model_max_length is read as a double (Llama-2: 1e30) with transformers.js\'s consequences', () => {
  // As the Llama-2 tokenizer_config.json writes it.
  const cfg = { ...config, ...JSON.parse('{"model_max_length": 1000000000000000019884624838656}') };
  const ours = new hubtok.LlamaTokenizer(json, cfg);
  const theirs = new T.LlamaTokenizer(json, cfg);
  assert.equal(ours.model_max_length, 1000000000000000019884624838656);
  compareCall(theirs, ours, ['Hello', 'Hello world!'], { padding: true });
  compareCall(theirs, ours, 'Hello world!', { truncation: true });
  // padding: 'max_length' without max_length: RangeError in both.
  const r = compareCall(theirs, ours, 'Hello', { padding: 'max_length' });
  assert.equal(r.error, 'Invalid array length');
  // No model_max_length at all.
  const none = { ...config };
  delete none.model_max_length;
  compareCall(new T.LlamaTokenizer(json, none), new hubtok.LlamaTokenizer(json, none), ['a', 'a b c'], { padding: true, truncation: true });
  compareCall(new T.LlamaTokenizer(json, none), new hubtok.LlamaTokenizer(json, none), ['a', 'a b c'], { padding: true, max_length: 2, truncation: true });
});

test('_call errors are transformers.js\'s (message) with a stable code', () => {
  const ours = new hubtok.LlamaTokenizer(json, config);
  const theirs = new T.LlamaTokenizer(json, config);
  const cases = [
    [[], {}],
    [['a'], { text_pair: 'b' }],
    [['a', 'b'], { text_pair: ['c'] }],
    ['a', { text_pair: ['b'] }],
    [null, {}],
    [undefined, {}],
    [['a', 'a b c d'], {}],
    [['a', 'a b c d'], { truncation: true }],
    [['a', 'a b c d'], { truncation: true, max_length: 3 }],
  ];
  const messages = [];
  for (const [input, opts] of cases) {
    const want = capture(() => theirs(input, opts));
    assert.ok(want.error, JSON.stringify(input));
    assert.throws(() => ours(input, opts), (e) => e.code === 'HUBTOK_EINVAL' && e.message === want.error);
    messages.push(want.error);
  }
  assert.deepEqual(messages.slice(0, 5), [
    'text array must be non-empty',
    'text_pair must also be an array',
    'text and text_pair must have the same length',
    'When specifying `text_pair`, since `text` is a string, `text_pair` must also be a string (i.e., not an array).',
    'text may not be null or undefined',
  ]);
  assert.equal(messages[6], "Unable to create tensor, you should probably activate truncation and/or padding with 'padding=true' and 'truncation=true' to have batched tensors with the same length.");
});

test('no pad token: transformers.js\'s failure, with a code', () => {
  const cfg = { ...config, eos_token: null, pad_token: null };
  const ours = new hubtok.PreTrainedTokenizer(json, cfg);
  const theirs = new T.PreTrainedTokenizer(json, cfg);
  assert.equal(ours.pad_token_id, undefined);
  const want = compareCall(theirs, ours, ['a', 'a b'], { padding: true });
  assert.equal(want.error, 'Cannot convert undefined to a BigInt');
  assert.throws(() => ours(['a', 'a b'], { padding: true }), { code: 'HUBTOK_EINVAL' });
  compareCall(theirs, ours, ['a', 'a b'], { padding: true, return_tensor: false });
});

test('Tensor: constructor, tolist, shape checks', () => {
  const t = new hubtok.Tensor('int64', new BigInt64Array([1n, 2n, 3n, 4n, 5n, 6n]), [2, 3]);
  assert.deepEqual([t.type, t.dims, t.size], ['int64', [2, 3], 6]);
  assert.deepEqual(t.tolist(), [[1n, 2n, 3n], [4n, 5n, 6n]]);
  assert.deepEqual(new hubtok.Tensor('int64', [1, 2], [2]).tolist(), [1n, 2n]);
  assert.deepEqual(new hubtok.Tensor('int64', new BigInt64Array(8), [2, 2, 2]).tolist(), [[[0n, 0n], [0n, 0n]], [[0n, 0n], [0n, 0n]]]);
  assert.throws(() => new hubtok.Tensor('int64', [1, 2, 3], [2]), { code: 'HUBTOK_EINVAL' });
  assert.throws(() => new hubtok.Tensor('complex', [1], [1]), { code: 'HUBTOK_EINVAL' });
});

test('decode and batch_decode accept our Tensors, transformers.js Tensors, arrays and typed arrays', () => {
  const ours = new hubtok.LlamaTokenizer(json, config);
  const theirs = new T.LlamaTokenizer(json, config);
  const texts = ['Hello world!', 'a 🦙 , b .', '  spaces   and\nnewlines', 'ünïcödé 日本語'];
  const enc = ours(texts, { padding: true, return_tensor: true });
  const theirsEnc = theirs(texts, { padding: true });
  for (const args of [{}, { skip_special_tokens: true }, { clean_up_tokenization_spaces: true }, { skip_special_tokens: true, clean_up_tokenization_spaces: true }]) {
    const want = theirs.batch_decode(theirsEnc.input_ids, args);
    assert.deepEqual(ours.batch_decode(enc.input_ids, args), want);
    assert.deepEqual(ours.batch_decode(theirsEnc.input_ids, args), want);
    assert.deepEqual(ours.batch_decode(enc.input_ids.tolist(), args), want);
    for (let i = 0; i < texts.length; i++) {
      const row = theirs.encode(texts[i]);
      const w = theirs.decode(row, args);
      assert.equal(ours.decode(row, args), w);
      assert.equal(ours.decode(row.map(BigInt), args), w);
      assert.equal(ours.decode(new Uint32Array(row), args), w);
      assert.equal(ours.decode(new hubtok.Tensor('int64', row.map(BigInt), [1, row.length]), args), w);
      assert.equal(ours.decode(new hubtok.Tensor('int64', row.map(BigInt), [row.length]), args), w);
    }
  }
  assert.deepEqual(ours.batch_decode(enc.input_ids, { skip_special_tokens: true }),
    ['Hello world!', 'a 🦙 , b .', '  spaces   and\nnewlines', 'ünïcödé 日本語']);
  assert.throws(() => ours.decode(enc.input_ids), { code: 'HUBTOK_EINVAL', message: 'Unable to decode tensor with `batch size !== 1`. Use `tokenizer.batch_decode(...)` for batched inputs.' });
  assert.throws(() => ours.decode(new hubtok.Tensor('int64', new BigInt64Array(8), [2, 2, 2])), { code: 'HUBTOK_EINVAL', message: 'Expected tensor to have 1-2 dimensions, got 3.' });
});

test('encode in both signatures and tokenize agree with transformers.js, and with the Rust library where they differ', async () => {
  const ours = new hubtok.LlamaTokenizer(json, config);
  const theirs = new T.LlamaTokenizer(json, config);
  for (const [a, b] of [['Hello world!', null], ['Hello', 'world'], ['', 'x'], ['a 🦙 b', 'c']]) {
    for (const add_special_tokens of [true, false]) {
      const want = theirs.encode(a, { text_pair: b, add_special_tokens });
      assert.deepEqual(ours.encode(a, { text_pair: b, add_special_tokens }), want);
      assert.deepEqual(ours.encode(a, b, { add_special_tokens }), want);
      assert.deepEqual(ours.tokenize(a, { pair: b, add_special_tokens }), theirs.tokenize(a, { pair: b, add_special_tokens }));
    }
  }
  // Text after a special token: transformers.js encodes "b" without the
  // Prepend normalizer's "▁" (29890); the Rust library normalizes every
  // section (289). The Rust library wins.
  const { Tokenizer } = require('tokenizers');
  const rust = Tokenizer.fromFile(path.join(FIXTURES, LLAMA, 'tokenizer.json'));
  const rustIds = Array.from((await rust.encode('a</s>b', null, { addSpecialTokens: true })).getIds());
  assert.deepEqual(theirs.encode('a</s>b'), [1, 263, 2, 29890]);
  assert.deepEqual(rustIds, [1, 263, 2, 289]);
  assert.deepEqual(ours.encode('a</s>b'), rustIds);
});

test('fixtures besides TinyLlama: _call against transformers.js (skipped while the engine lacks a component)', async (t) => {
  const names = ['openai-community--gpt2', 'FacebookAI--roberta-base', 'google-bert--bert-base-uncased', 'google-t5--t5-small',
    'openai--whisper-tiny', 'sentence-transformers--all-MiniLM-L6-v2', 'sentence-transformers--paraphrase-multilingual-mpnet-base-v2'];
  const fs = require('node:fs');
  const { unsupportedReason } = require('./helpers/tjs.js');
  for (const name of names) {
    await t.test(name, (st) => {
      const j = readFixture(name);
      const cfgPath = path.join(FIXTURES, name, 'tokenizer_config.json');
      const c = fs.existsSync(cfgPath) ? JSON.parse(fs.readFileSync(cfgPath, 'utf8')) : {};
      const cls = c.tokenizer_class?.replace(/Fast$/, '');
      const Ours = hubtok[cls] ?? hubtok.PreTrainedTokenizer;
      const Theirs = T[cls] ?? T.PreTrainedTokenizer;
      let ours;
      try {
        ours = new Ours(j, c);
      } catch (err) {
        const reason = unsupportedReason(err);
        if (!reason) throw err;
        st.skip(reason);
        return;
      }
      const theirs = new Theirs(j, c);
      // Ids where transformers.js and the Rust library agree; where they
      // disagree the Rust library wins (parity.test.js checks ids against it).
      for (const opts of [{ padding: true }, { padding: true, truncation: true, max_length: 5 }, { return_tensor: false }]) {
        const texts = ['Hello world!', 'The quick brown fox.'];
        const want = capture(() => theirs(texts, { ...opts, text_pair: ['Hi', 'there'] }));
        const got = capture(() => ours(texts, { ...opts, text_pair: ['Hi', 'there'] }));
        assert.deepEqual(got, want, `${name} ${JSON.stringify(opts)}`);
      }
    });
  }
});

test('truncation / padding sections of tokenizer.json are ignored by _call and encode, as transformers.js ignores them', (t) => {
  const name = 'sentence-transformers--all-MiniLM-L6-v2';
  const j = readFixture(name);
  const c = readFixture(name, 'tokenizer_config.json');
  assert.deepEqual(j.truncation, { max_length: 128, strategy: 'LongestFirst', stride: 0 });
  let ours;
  try {
    ours = new hubtok.BertTokenizer(j, c);
  } catch (err) {
    const reason = require('./helpers/tjs.js').unsupportedReason(err);
    if (!reason) throw err;
    t.skip(reason);
    return;
  }
  const theirs = new T.BertTokenizer(j, c);
  const long = 'word '.repeat(300);
  assert.equal(ours.encode(long).length, 302);
  assert.deepEqual(ours.encode(long), theirs.encode(long));
  compareCall(theirs, ours, [long, 'hi'], { padding: true });
  compareCall(theirs, ours, [long, 'hi'], { padding: true, truncation: true, max_length: 20, text_pair: ['a', 'b'] });
  assert.equal(ours('hi', { return_tensor: false }).input_ids.length, 3);
});
