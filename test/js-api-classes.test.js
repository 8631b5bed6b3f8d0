'use strict';
// Behaviour specific to tokenizer classes, against transformers.js v3:
// the class list, BERT-like token_type_ids, Whisper timestamps, Marian
// language codes, MBart / NLLB / M2M100 translation inputs, Vits's decoder,
// XLM's warning. Tokenizers for the translation classes are TinyLlama's
// vocabulary with language-code special tokens and the templates those
// models use, loaded in both libraries.
const test = require('node:test');
const assert = require('node:assert/strict');
const hubtok = require('../lib/index.js');
const { loadTjs, readFixture, plain, unsupportedReason } = require('./helpers/tjs.js');

const LLAMA = 'TinyLlama--TinyLlama-1.1B-Chat-v1.0';
const json = readFixture(LLAMA);
const config = readFixture(LLAMA, 'tokenizer_config.json');

function run(fn) {
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

// TinyLlama + added tokens `codes` (ids from 32000) + a template whose
// single form is `single` (token strings; '$A' for the sequence).
function withCodes(codes, { special = true, single = ['$A', '</s>'], pair = ['$A', '$B', '</s>'] } = {}) {
  const j = structuredClone(json);
  const specials = { '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } };
  codes.forEach((c, i) => {
    j.added_tokens.push({ id: 32000 + i, content: c, single_word: false, lstrip: false, rstrip: false, normalized: false, special });
    specials[c] = { id: c, ids: [32000 + i], tokens: [c] };
  });
  const piece = (p) => (p === '$A' || p === '$B'
    ? { Sequence: { id: p[1], type_id: 0 } }
    : { SpecialToken: { id: p, type_id: 0 } });
  j.post_processor = { type: 'TemplateProcessing', single: single.map(piece), pair: pair.map(piece), special_tokens: specials };
  return j;
}

let T;
test.before(async () => {
  T = await loadTjs();
});

test('every transformers.js v3 tokenizer class is exported, with its own from_pretrained', () => {
  const theirs = Object.keys(T).filter((k) => /Tokenizer$/.test(k) && k !== 'AutoTokenizer').sort();
  assert.equal(theirs.length, 46);
  for (const name of theirs) {
    assert.equal(typeof hubtok[name], 'function', name);
    assert.equal(hubtok[name].name, name);
    assert.ok(hubtok[name] === hubtok.PreTrainedTokenizer || hubtok[name].prototype instanceof hubtok.PreTrainedTokenizer, name);
    assert.equal(typeof hubtok[name].from_pretrained, 'function');
  }
  // Plus v4's CohereAsr and TokenizersBackend.
  assert.equal(typeof hubtok.CohereAsrTokenizer, 'function');
  assert.equal(hubtok.TokenizersBackend, hubtok.PreTrainedTokenizer);
  // return_token_type_ids as each transformers.js class has it.
  for (const name of theirs) {
    const a = new T[name](json, config);
    const b = run(() => new hubtok[name](json, config));
    assert.ok(!b.error, `${name}: ${b.error}`);
    const ours = new hubtok[name](json, config);
    assert.equal(ours.return_token_type_ids, a.return_token_type_ids, name);
    assert.equal(ours.padding_side, a.padding_side, name);
  }
});

test('XLM and Marian warn as transformers.js does', () => {
  for (const name of ['XLMTokenizer', 'MarianTokenizer']) {
    const theirs = run(() => new T[name](json, config));
    const ours = run(() => new hubtok[name](json, config));
    assert.deepEqual(ours.warnings, theirs.warnings);
    assert.equal(ours.warnings.length, 1);
  }
});

test('Whisper: decode_with_timestamps and time_precision as transformers.js (whisper-tiny)', (t) => {
  const name = 'openai--whisper-tiny';
  const j = readFixture(name);
  const c = readFixture(name, 'tokenizer_config.json');
  let ours;
  try {
    ours = new hubtok.WhisperTokenizer(j, c);
  } catch (err) {
    const reason = unsupportedReason(err);
    if (!reason) throw err;
    t.skip(reason);
    return;
  }
  const theirs = new T.WhisperTokenizer(j, c);
  assert.equal(ours.timestamp_begin, theirs.timestamp_begin);
  assert.equal(ours.timestamp_begin, 50364);
  const seqs = [
    [50258, 50259, 50359, 50364, 15947, 1002, 0, 50414, 50257],
    [50258, 50259, 50359, 50364, 440, 2068, 50389, 50389, 3699, 13, 50500, 50257],
    [50364, 15947, 50414],
    [50258, 50259, 50359, 50363, 15947, 1002, 0, 50257],
  ];
  let n = 0;
  for (const ids of seqs) {
    for (const args of [{}, { decode_with_timestamps: true }, { decode_with_timestamps: true, time_precision: 0.04 },
      { decode_with_timestamps: true, skip_special_tokens: true }, { skip_special_tokens: true }]) {
      assert.deepEqual(run(() => ours.decode(ids, args)), run(() => theirs.decode(ids, args)), `${ids} ${JSON.stringify(args)}`);
      const tensor = new hubtok.Tensor('int64', ids.map(BigInt), [1, ids.length]);
      assert.deepEqual(run(() => ours.decode(tensor, args)), run(() => theirs.decode(ids, args)));
      n++;
    }
  }
  assert.equal(n, 20);
  assert.equal(ours.decode(seqs[0], { decode_with_timestamps: true }), '<|startoftranscript|><|en|><|transcribe|><|0.00|>Hello world!<|1.00|><|endoftext|>');
  assert.equal(ours.decode(seqs[0], { decode_with_timestamps: true, time_precision: 0.04, skip_special_tokens: true }), '<|0.00|>Hello world!<|2.00|>');
  // Two timestamps in a row, or a leading one, leave an empty segment:
  // transformers.js v3 throws, and so does hubtok.
  assert.throws(() => ours.decode(seqs[1], { decode_with_timestamps: true }), { code: 'HUBTOK_EINVAL', message: 'token_ids must be a non-empty array of integers.' });
  assert.throws(() => ours.decode(seqs[2], { decode_with_timestamps: true }), { code: 'HUBTOK_EINVAL', message: 'token_ids must be a non-empty array of integers.' });
});

test('Marian: a leading >>lang<< code is one token (transformers.js _encode_text)', () => {
  const j = withCodes(['>>fra<<', '>>deu<<'], { special: false });
  const theirs = run(() => new T.MarianTokenizer(j, config));
  const ours = run(() => new hubtok.MarianTokenizer(j, config));
  assert.deepEqual(ours.warnings, theirs.warnings);
  const quiet = (fn) => {
    const orig = console.warn;
    console.warn = () => {};
    try {
      return fn();
    } finally {
      console.warn = orig;
    }
  };
  const a = quiet(() => new T.MarianTokenizer(j, config));
  const b = quiet(() => new hubtok.MarianTokenizer(j, config));
  assert.deepEqual(b.supported_language_codes, a.supported_language_codes);
  let n = 0;
  for (const text of ['>>fra<< Hello world', '  >>deu<<Hello', 'Hello >>fra<< world', '>>fra<<', '>>xyz<< Hello', '  plain text  ']) {
    for (const opts of [{ return_tensor: false }, { return_tensor: false, add_special_tokens: false }, { return_tensor: false, text_pair: '>>deu<< Bye' }]) {
      assert.deepEqual(run(() => b(text, opts)), run(() => a(text, opts)), `${text} ${JSON.stringify(opts)}`);
      n++;
    }
    assert.deepEqual(run(() => b.encode(text)), run(() => a.encode(text)));
  }
  assert.equal(n, 18);
  assert.deepEqual(quiet(() => b('>>fra<< Hello world', { return_tensor: false })).input_ids, [32000, 15043, 3186, 2]);
  assert.match(run(() => b('>>xyz<< Hello')).warnings[0], /^Unsupported language code ">>xyz<<" detected/);
});

for (const [Cls, codes, src, tgt, bad] of [
  ['MBartTokenizer', ['en_XX', 'fr_XX', 'de_DE'], 'fr_XX', 'de_DE', 'xx_YY'],
  ['MBart50Tokenizer', ['en_XX', 'fr_XX', 'de_DE'], 'fr_XX', 'de_DE', 'fr'],
  ['NllbTokenizer', ['eng_Latn', 'fra_Latn', 'deu_Latn'], 'fra_Latn', 'deu_Latn', 'fra'],
  ['M2M100Tokenizer', ['__en__', '__fr__', '__de__'], 'fr', 'de', 'xx'],
]) {
  test(`${Cls}: language_codes, src_lang / tgt_lang translation inputs, the persisting template change`, () => {
    const j = withCodes(codes, { single: [codes[0], '$A', '</s>'], pair: [codes[0], '$A', '</s>', '$B', '</s>'] });
    const a = new T[Cls](j, config);
    const b = new hubtok[Cls](j, config);
    assert.deepEqual(b.language_codes, a.language_codes);
    assert.equal(b.language_codes.length, 3);
    assert.deepEqual(b('Hello world', { return_tensor: false }), a('Hello world', { return_tensor: false }));
    // Errors first (they change nothing).
    for (const kw of [{ tgt_lang: bad }, { src_lang: bad, tgt_lang: tgt }]) {
      const want = run(() => a._build_translation_inputs('Hello', {}, { ...kw }));
      assert.ok(want.error);
      assert.throws(() => b._build_translation_inputs('Hello', {}, { ...kw }), { code: 'HUBTOK_EINVAL', message: want.error });
    }
    // tgt only: template unchanged, forced_bos_token_id set.
    const ka = { tgt_lang: tgt };
    const kb = { tgt_lang: tgt };
    assert.deepEqual(run(() => b._build_translation_inputs(['Hello world', 'Hi'], { padding: true }, kb)),
      run(() => a._build_translation_inputs(['Hello world', 'Hi'], { padding: true }, ka)));
    assert.deepEqual(kb, ka);
    assert.equal(kb.forced_bos_token_id, 32002);
    // src_lang: the language code of the single template becomes src_lang,
    // from then on (transformers.js mutates its post-processor).
    const ka2 = { src_lang: src, tgt_lang: tgt };
    const kb2 = { src_lang: src, tgt_lang: tgt };
    const want = run(() => a._build_translation_inputs('Hello world', { return_tensor: false }, ka2));
    assert.deepEqual(run(() => b._build_translation_inputs('Hello world', { return_tensor: false }, kb2)), want);
    assert.deepEqual(want.value.input_ids, [32001, 15043, 3186, 2]);
    assert.deepEqual(kb2, ka2);
    for (const [text, opts] of [['Bye', {}], ['Bye', { text_pair: 'x' }], ['Bye', { add_special_tokens: false }]]) {
      assert.deepEqual(b.encode(text, opts), a.encode(text, opts), `${text} ${JSON.stringify(opts)}`);
      assert.deepEqual(b.tokenize(text, { add_special_tokens: true }), a.tokenize(text, { add_special_tokens: true }));
    }
  });
}

test('Vits: the decoder joins every second token (transformers.js VitsDecoder)', () => {
  const a = new T.VitsTokenizer(json, config);
  const b = new hubtok.VitsTokenizer(json, config);
  const idLists = [[1, 15043, 3186, 29991], [0, 263, 0, 289, 0, 274], [263], [29871, 243, 162, 169, 156], [1, 263, 2, 289, 1]];
  let n = 0;
  for (const ids of idLists) {
    for (const args of [{}, { skip_special_tokens: true }, { clean_up_tokenization_spaces: true }]) {
      assert.deepEqual(run(() => b.decode(ids, args)), run(() => a.decode(ids, args)), `${ids} ${JSON.stringify(args)}`);
      n++;
    }
  }
  assert.equal(n, 15);
  assert.equal(b.decode([0, 263, 0, 289, 0, 274]), '▁a▁b▁c');
  assert.deepEqual(b.batch_decode([[0, 263, 0, 289]]), ['▁a▁b']);
});
