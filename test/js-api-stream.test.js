'use strict';
// Streaming decode (DecodeStream) and the async / batch entry points that
// tokenize on a worker thread.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const hubtok = require('../lib/index.js');
const { FIXTURES, readFixture, unsupportedReason } = require('./helpers/tjs.js');

const LLAMA = 'TinyLlama--TinyLlama-1.1B-Chat-v1.0';
const json = readFixture(LLAMA);
const config = readFixture(LLAMA, 'tokenizer_config.json');

const TEXTS = [
  'Hello world!',
  'a 🦙 walks into a café — 日本語のテキスト, and ünïcödé.',
  '  leading spaces, double  spaces and a trailing one ',
  'line one\nline two\n\n\ttabbed',
  'emoji 👨‍👩‍👧‍👦 family, flags 🇫🇷🇩🇪, math 𝒳𝒴',
  "don't , isn't ' quoted ' it's they're we've I'm a . b ? c !",
];

// Every id of `ids` fed one at a time; returns the pieces and checks that
// no piece ends in the middle of a character (U+FFFD, lone surrogate).
function streamPieces(tok, ids, options) {
  const stream = tok.decode_stream(options);
  const pieces = [];
  for (const id of ids) {
    const piece = stream.step(id);
    assert.equal(typeof piece, 'string');
    assert.ok(!piece.includes('\uFFFD'), `piece ${JSON.stringify(piece)} holds U+FFFD`);
    assert.ok(!/[\uD800-\uDBFF]$/.test(piece), 'piece ends in a high surrogate');
    pieces.push(piece);
  }
  pieces.push(stream.flush());
  return pieces;
}

test('DecodeStream: only complete text comes out, and the whole equals decode(all ids)', () => {
  const tok = new hubtok.LlamaTokenizer(json, config);
  let n = 0;
  for (const text of TEXTS) {
    const ids = tok.encode(text);
    for (const options of [{}, { skip_special_tokens: true }, { clean_up_tokenization_spaces: true },
      { skip_special_tokens: true, clean_up_tokenization_spaces: true }]) {
      const pieces = streamPieces(tok, [...ids, 2, ...tok.encode(text, { add_special_tokens: false })], options);
      const all = [...ids, 2, ...tok.encode(text, { add_special_tokens: false })];
      assert.equal(pieces.join(''), tok.decode(all, options), `${text} ${JSON.stringify(options)}`);
      n++;
    }
  }
  assert.equal(n, 24);
});

test('DecodeStream: byte-fallback bytes of one character come out together; Metaspace spaces kept', () => {
  const tok = new hubtok.LlamaTokenizer(json, config);
  // "🦙" is four byte-fallback tokens after "▁": nothing until the last.
  const ids = tok.encode('Hi 🦙!', { add_special_tokens: false });
  assert.deepEqual(ids, [6324, 29871, 243, 162, 169, 156, 29991]);
  assert.deepEqual(streamPieces(tok, ids, {}), ['Hi', ' ', '', '', '', '🦙', '!', '']);
  // A word's leading "▁" becomes a space only between words.
  assert.deepEqual(streamPieces(tok, tok.encode('Hello world', { add_special_tokens: true }), { skip_special_tokens: true }),
    ['', 'Hello', ' world', '']);
  // An unfinished character at the end: flush gives what decode gives.
  const cut = [6324, 29871, 243, 162];
  const pieces = streamPieces(tok, cut.slice(0, 3), {});
  assert.deepEqual(pieces, ['Hi', ' ', '', '\uFFFD']); // the last is flush()
  const s = tok.decode_stream();
  assert.equal(cut.map((id) => s.step(id)).join(''), 'Hi ');
  assert.equal(s.flush(), tok.decode(cut).slice('Hi '.length));
  assert.equal(tok.decode(cut), 'Hi \uFFFD\uFFFD');
  // Several ids at once; bigints.
  const s2 = new hubtok.DecodeStream(tok);
  assert.equal(s2.step([15043n, 3186n]) + s2.step(29991) + s2.flush(), 'Hello world!');
  assert.throws(() => s2.step(-1), { code: 'HUBTOK_EINVAL' });
});

test('DecodeStream on the other fixtures (ByteLevel, WordPiece, Metaspace decoders)', async (t) => {
  const names = ['openai-community--gpt2', 'FacebookAI--roberta-base', 'google-bert--bert-base-uncased', 'google-t5--t5-small', 'openai--whisper-tiny'];
  for (const name of names) {
    await t.test(name, (st) => {
      let tok;
      try {
        tok = new hubtok.PreTrainedTokenizer(readFixture(name), {});
      } catch (err) {
        const reason = unsupportedReason(err);
        if (!reason) throw err;
        st.skip(reason);
        return;
      }
      for (const text of TEXTS) {
        const ids = tok.encode(text);
        for (const options of [{}, { skip_special_tokens: true }]) {
          assert.equal(streamPieces(tok, ids, options).join(''), tok.decode(ids, options), `${name} ${text}`);
        }
      }
    });
  }
});

test('call_async and encode_batch: same results as the synchronous calls, off the main thread', async () => {
  const tok = new hubtok.LlamaTokenizer(json, config);
  const texts = [...TEXTS, '', 'x'];
  for (const options of [{}, { padding: true, truncation: true, max_length: 12 }, { padding: true, return_tensor: false },
    { text_pair: texts.map((x) => x.toUpperCase()), padding: true }, { return_offsets_mapping: true, padding: true, return_tensor: false },
    { truncation: 'only_first', max_length: 8, stride: 2, return_overflowing_tokens: true, return_tensor: false }]) {
    if (!options.padding && !options.truncation && options.return_tensor !== false) {
      await assert.rejects(tok.call_async(texts, options), { code: 'HUBTOK_EINVAL', message: /^Unable to create tensor/ });
      continue;
    }
    const sync = tok(texts, options);
    const asyncOut = await tok.call_async(texts, options);
    assert.deepEqual(asyncOut, sync);
    assert.deepEqual(asyncOut.word_ids(1), sync.word_ids(1));
  }
  assert.deepEqual(await tok.call_async('Hello world!', { return_tensor: false }), { input_ids: [1, 15043, 3186, 29991], attention_mask: [1, 1, 1, 1] });
  assert.deepEqual(await tok.encode_batch(texts), texts.map((x) => tok.encode(x)));
  assert.deepEqual(await tok.encode_batch(['a', 'b'], { text_pair: ['c', null], add_special_tokens: false }), [[263, 274], [289]]);
  await assert.rejects(tok.encode_batch(['a'], { text_pair: ['b', 'c'] }), { code: 'HUBTOK_EINVAL' });
  await assert.rejects(tok.encode_batch([1]), { code: 'HUBTOK_EINVAL' });
  await assert.rejects(tok.call_async([]), { code: 'HUBTOK_EINVAL', message: 'text array must be non-empty' });
  assert.deepEqual(await tok.encode_batch([]), []);
});

test('encode_batch split across worker threads: same ids, in input order, with and without pairs', async () => {
  const tok = new hubtok.LlamaTokenizer(json, config);
  // About 250 KB: cut into one part per CPU (32 KB at least each).
  const texts = Array.from({ length: 3000 }, (_, i) => `${i} ${TEXTS[i % TEXTS.length]} ${'é🦙 '.repeat(i % 7)}`);
  const pairs = texts.map((x, i) => (i % 3 ? x.toUpperCase() : null));
  assert.deepEqual(await tok.encode_batch(texts), texts.map((x) => tok.encode(x)));
  assert.deepEqual(await tok.encode_batch(texts, { text_pair: pairs, add_special_tokens: false }),
    texts.map((x, i) => tok.encode(x, { text_pair: pairs[i], add_special_tokens: false })));
  // Concurrent batches on one tokenizer do not mix.
  const [a, b] = await Promise.all([tok.encode_batch(texts.slice(0, 1500)), tok.encode_batch(texts.slice(1500))]);
  assert.deepEqual([...a, ...b], texts.map((x) => tok.encode(x)));
});

test('encode_batch converts each string on the worker as encode() does: lone surrogates, surrogate pairs, Latin-1, NUL', async () => {
  // The batch copies UTF-16 units on the main thread and makes UTF-8 on
  // the workers (hubtok_utf16_to_utf8); encode() gets V8's UTF-8. Same
  // bytes, so the same ids, and the Rust library's (its binding also maps
  // a lone surrogate to U+FFFD).
  const { Tokenizer } = require('tokenizers');
  const GPT2 = 'openai-community--gpt2';
  const tok = new hubtok.PreTrainedTokenizer(readFixture(GPT2), {});
  const rust = Tokenizer.fromFile(path.join(FIXTURES, GPT2, 'tokenizer.json'));
  const units = ['a', ' ', 'Z', '\u00e9', '\u00ff', '\u0100', '\u65e5', '\ud83e', '\udd99', '\ud83e\udd99', '\ufffd', '\u0000', '\ufeff', '\ud800', '\udfff', '\udbff\udfff', '\n'];
  let seed = 11;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  const texts = Array.from({ length: 3000 }, () => Array.from({ length: rnd(40) }, () => units[rnd(units.length)]).join(''));
  texts.push('\ud83e', '\udd99x', 'x\ud83e', '\ud83e\ud83e\udd99', '\u00e9'.repeat(50000));
  const pairs = texts.map((x, i) => (i % 2 ? texts[texts.length - 1 - i] : null));
  // Bytes first: the addon's converter against Buffer's (V8's) UTF-8.
  assert.deepEqual(await tok.encode_batch(['\ud83e', '\ud83e\udd99', '\udd99\ud83e']), [[4210], [8582, 99, 247], [6353]]);
  const sync = texts.map((x) => tok.encode(x, { add_special_tokens: false }));
  const batch = await tok.encode_batch(texts, { add_special_tokens: false });
  let same = 0;
  for (let i = 0; i < texts.length; i++) if (JSON.stringify(batch[i]) === JSON.stringify(sync[i])) same++;
  assert.equal(same, texts.length, `encode_batch = encode on ${same}/${texts.length}`);
  const want = [];
  for (let i = 0; i < texts.length; i++) want.push(Array.from((await rust.encode(texts[i], pairs[i], { addSpecialTokens: false })).getIds()));
  const got = await tok.encode_batch(texts, { text_pair: pairs, add_special_tokens: false });
  same = 0;
  for (let i = 0; i < texts.length; i++) if (JSON.stringify(got[i]) === JSON.stringify(want[i])) same++;
  console.log(`encode_batch with pairs vs Rust tokenizers: ${same}/${texts.length} equal`);
  assert.equal(same, texts.length);
});

test('encode_batch on a large batch leaves the event loop free', async () => {
  const tok = new hubtok.LlamaTokenizer(json, config);
  const big = fs.readFileSync(path.join(FIXTURES, LLAMA, 'SOURCE.md'), 'utf8');
  const texts = Array.from({ length: 400 }, (_, i) => `${i} ${big}`);
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 1);
  const started = Date.now();
  const pending = tok.encode_batch(texts);
  // While the worker encodes, timers on the main thread keep firing.
  const out = await pending;
  clearInterval(timer);
  assert.equal(out.length, 400);
  assert.deepEqual(out[7], tok.encode(texts[7]));
  if (Date.now() - started > 20) assert.ok(ticks > 0, `no timer tick during ${Date.now() - started} ms`);
});

test('async calls in flight keep the tokenizer alive after the last reference is dropped', async () => {
  let tok = new hubtok.LlamaTokenizer(json, config);
  const p = tok.encode_batch(Array.from({ length: 50 }, () => 'Hello world!'));
  tok = null;
  if (global.gc) global.gc();
  const out = await p;
  assert.deepEqual(out[49], [1, 15043, 3186, 29991]);
});
