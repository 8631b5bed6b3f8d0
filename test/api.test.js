'use strict';
// The transformers.js tokenizer API over the engine, on the Llama 2
// tokenizer (TinyLlama's files hold its vocabulary): both encode forms,
// tokenize, decode's inputs and options, vocabulary access, special-token
// properties, class selection, and errors with stable codes.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { execFileSync } = require('node:child_process');
const hubtok = require('../lib/index.js');

const { AutoTokenizer, PreTrainedTokenizer, LlamaTokenizer, BertTokenizer } = hubtok;
const FIXTURES = process.env.HUBTOK_FIXTURES || path.resolve(__dirname, '../../shared/fixtures/tokenizers');
const DIR = path.join(FIXTURES, 'TinyLlama--TinyLlama-1.1B-Chat-v1.0');

let tok;
test.before(async () => {
  tok = await AutoTokenizer.from_pretrained(DIR);
});

test('encode: v3 options form, v2 positional pair, special tokens on and off', () => {
  assert.deepEqual(tok.encode('Hello world!'), [1, 15043, 3186, 29991]);
  assert.deepEqual(tok.encode('Hello world!', { add_special_tokens: false }), [15043, 3186, 29991]);
  assert.deepEqual(tok.encode('Hello', { text_pair: 'world' }), [1, 15043, 1, 3186]);
  assert.deepEqual(tok.encode('Hello', 'world'), [1, 15043, 1, 3186]);
  assert.deepEqual(tok.encode('Hello', null, { add_special_tokens: false }), [15043]);
  assert.deepEqual(tok.encode(''), [1]);
  assert.deepEqual(tok.encode('', { add_special_tokens: false }), []);
  // Special tokens inside text are matched; byte fallback for unknown chars.
  assert.deepEqual(tok.encode('a</s>b', { add_special_tokens: false }), [263, 2, 289]);
  assert.deepEqual(tok.encode('🦙', { add_special_tokens: false }), [29871, 243, 162, 169, 156]);
});

test('encode: the ids fast path (addon scratch array) equals the full encoding, short and past the scratch size', () => {
  // 'Hello world! ' x 3000 is 9002 ids: longer than the 8192-entry
  // scratch, so they come back as their own array.
  for (const text of ['Hello world!', 'Hello world! '.repeat(3000), 'x'.repeat(20000), '']) {
    for (const add_special_tokens of [true, false]) {
      const full = Array.from(tok._encode_native(text, null, add_special_tokens, 0).ids);
      assert.deepEqual(tok.encode(text, { add_special_tokens }), full);
    }
  }
  assert.equal(tok.encode('Hello world! '.repeat(3000)).length, 9002); // <s>, 3 x 3000, the last '▁'
  // The returned array is the caller's: the next call does not change it.
  const first = tok.encode('Hello world!');
  tok.encode('something else entirely');
  assert.deepEqual(first, [1, 15043, 3186, 29991]);
  // Bad input still gets transformers.js's error, with a code.
  assert.throws(() => tok.encode(42), { code: 'HUBTOK_EINVAL' });
});

test('from_pretrained of the same files shares the engine tokenizer; a changed file is loaded afresh', async () => {
  const handleOf = (t) => t[Object.getOwnPropertySymbols(t).find((x) => String(x) === 'Symbol(hubtok.native)')];
  const a = await AutoTokenizer.from_pretrained(DIR);
  const [b, c] = await Promise.all([LlamaTokenizer.from_pretrained(DIR), PreTrainedTokenizer.from_pretrained(DIR)]);
  assert.ok(handleOf(a) && handleOf(a) === handleOf(b) && handleOf(b) === handleOf(c));
  assert.deepEqual(b.encode('Hello world!'), [1, 15043, 3186, 29991]);
  // Per-instance state stays per instance.
  b.model_max_length = 7;
  assert.notEqual(a.model_max_length, 7);
  // A copy is another file; rewriting it (same path) gives a new engine.
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'hubtok-share-'));
  try {
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) fs.copyFileSync(path.join(DIR, f), path.join(dir, f));
    const d1 = await AutoTokenizer.from_pretrained(dir);
    assert.notEqual(handleOf(d1), handleOf(a));
    assert.deepEqual(d1.encode('Hello world!'), [1, 15043, 3186, 29991]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
    json.post_processor = null; // no <s> any more
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
    const d2 = await AutoTokenizer.from_pretrained(dir);
    assert.notEqual(handleOf(d2), handleOf(d1));
    assert.deepEqual(d2.encode('Hello world!'), [15043, 3186, 29991]);
    assert.deepEqual(d1.encode('Hello world!'), [1, 15043, 3186, 29991]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('tokenize', () => {
  assert.deepEqual(tok.tokenize('Hello world!'), ['▁Hello', '▁world', '!']);
  assert.deepEqual(tok.tokenize('Hello world!', { add_special_tokens: true }), ['<s>', '▁Hello', '▁world', '!']);
  assert.deepEqual(tok.tokenize('a', { pair: 'b', add_special_tokens: true }), ['<s>', '▁a', '<s>', '▁b']);
});

test('decode: numbers, bigints, typed arrays, tensor-like; skip_special_tokens', () => {
  const ids = [1, 15043, 3186, 29991];
  assert.equal(tok.decode(ids), '<s> Hello world!');
  assert.equal(tok.decode(ids, { skip_special_tokens: true }), 'Hello world!');
  assert.equal(tok.decode(ids.map(BigInt), { skip_special_tokens: true }), 'Hello world!');
  assert.equal(tok.decode(new Int32Array(ids), { skip_special_tokens: true }), 'Hello world!');
  assert.equal(tok.decode(new BigInt64Array(ids.map(BigInt)), { skip_special_tokens: true }), 'Hello world!');
  assert.equal(tok.decode({ dims: [1, 4], data: new BigInt64Array(ids.map(BigInt)) }, { skip_special_tokens: true }), 'Hello world!');
  assert.equal(tok.decode([29871, 243, 162, 169, 156]), '🦙');
  assert.deepEqual(tok.batch_decode([ids, [15043]], { skip_special_tokens: true }), ['Hello world!', 'Hello']);
  // clean_up_tokenization_spaces: false in this config; forced on here.
  assert.equal(tok.decode(tok.encode('a , b .', { add_special_tokens: false })), 'a , b .');
  assert.equal(tok.decode(tok.encode('a , b .', { add_special_tokens: false }), { clean_up_tokenization_spaces: true }), 'a, b.');
});

test('decode errors are transformers.js\'s, with a code', () => {
  for (const bad of [[], 'abc', [1.5], null, [undefined]]) {
    assert.throws(() => tok.decode(bad), { code: 'HUBTOK_EINVAL', message: 'token_ids must be a non-empty array of integers.' });
  }
  assert.throws(() => tok.decode({ dims: [2, 2], data: new BigInt64Array(4) }),
    { code: 'HUBTOK_EINVAL', message: 'Unable to decode tensor with `batch size !== 1`. Use `tokenizer.batch_decode(...)` for batched inputs.' });
});

test('vocabulary access: get_vocab, convert_tokens_to_ids, convert_ids_to_tokens', () => {
  const vocab = tok.get_vocab();
  assert.ok(vocab instanceof Map);
  assert.equal(vocab.size, 32000);
  assert.equal(vocab.get('▁Hello'), 15043);
  assert.equal(vocab.get('<0x0A>'), 13);
  assert.equal(tok.convert_tokens_to_ids('▁world'), 3186);
  assert.deepEqual(tok.convert_tokens_to_ids(['<s>', '▁world', 'no-such-token']), [1, 3186, undefined]);
  assert.deepEqual(tok.convert_ids_to_tokens([1, 15043, 99999]), ['<s>', '▁Hello', undefined]);
  assert.equal(tok.vocab_size, 32000);
});

test('special tokens from tokenizer_config.json', () => {
  assert.ok(tok instanceof LlamaTokenizer);
  assert.ok(tok instanceof PreTrainedTokenizer);
  assert.equal(tok.bos_token, '<s>');
  assert.equal(tok.bos_token_id, 1);
  assert.equal(tok.eos_token, '</s>');
  assert.equal(tok.eos_token_id, 2);
  assert.equal(tok.unk_token_id, 0);
  assert.equal(tok.pad_token, '</s>');
  assert.equal(tok.pad_token_id, 2);
  assert.equal(tok.sep_token, null);
  assert.equal(tok.mask_token_id, undefined);
  assert.deepEqual(tok.all_special_ids, [0, 1, 2]);
  assert.deepEqual(tok.special_tokens, ['<unk>', '<s>', '</s>']);
  assert.deepEqual(tok.all_special_tokens, ['<s>', '</s>', '<unk>']);
  assert.deepEqual(tok.added_tokens[1], { id: 1, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  assert.equal(tok.model_max_length, 2048);
  assert.equal(tok.padding_side, 'left'); // LlamaTokenizer, as transformers.js v3
  assert.equal(tok.clean_up_tokenization_spaces, false);
});

test('added_tokens: every fixture\'s tokenizer.json list, in order, with each flag; non-BMP and multi-byte contents', async () => {
  const dirs = fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, 'tokenizer.json')));
  const fields = (a) => ({ id: a.id, content: a.content, single_word: a.single_word, lstrip: a.lstrip, rstrip: a.rstrip, normalized: a.normalized, special: a.special });
  let n = 0;
  for (const d of dirs) {
    const t = await AutoTokenizer.from_pretrained(path.join(FIXTURES, d));
    const want = JSON.parse(fs.readFileSync(path.join(FIXTURES, d, 'tokenizer.json'), 'utf8')).added_tokens.map(fields);
    assert.deepEqual(t.added_tokens, want, d);
    n += want.length;
  }
  assert.ok(n > 1700); // whisper-tiny alone has 1608
  const json = JSON.parse(fs.readFileSync(path.join(DIR, 'tokenizer.json'), 'utf8'));
  const extra = [
    { id: 32000, content: '🦙x', single_word: true, lstrip: false, rstrip: true, normalized: false, special: false },
    { id: 32001, content: 'é中', single_word: false, lstrip: true, rstrip: false, normalized: true, special: true },
    { id: 32002, content: '<|𝔘|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  ];
  json.added_tokens.push(...extra);
  const t = new PreTrainedTokenizer(json, {});
  assert.deepEqual(t.added_tokens.slice(-3), extra);
  // tokenizers of one file share the engine's handle, not the objects
  const a = await AutoTokenizer.from_pretrained(DIR);
  a.added_tokens[0].content = 'changed';
  assert.equal((await AutoTokenizer.from_pretrained(DIR)).added_tokens[0].content, '<unk>');
});

test('constructor from parsed JSON or text; pad_token falls back to eos_token', () => {
  const json = JSON.parse(fs.readFileSync(path.join(DIR, 'tokenizer.json'), 'utf8'));
  const a = new PreTrainedTokenizer(json, { eos_token: '</s>' });
  assert.deepEqual(a.encode('Hello world!'), [1, 15043, 3186, 29991]);
  assert.equal(a.pad_token, '</s>');
  assert.equal(a.padding_side, 'right');
  assert.equal(a.clean_up_tokenization_spaces, true);
  const b = new BertTokenizer(JSON.stringify(json), {});
  assert.equal(b.return_token_type_ids, true);
  assert.throws(() => new PreTrainedTokenizer(json, { bos_token: { foo: 1 } }), { code: 'HUBTOK_EINVAL', message: 'Unknown token: [object Object]' });
});

test('malformed tokenizer files give coded errors, never a crash', () => {
  assert.throws(() => new PreTrainedTokenizer('{"model": ', {}), (e) => e.code === 'HUBTOK_EJSON' && typeof e.pos === 'number');
  assert.throws(() => new PreTrainedTokenizer({ model: { type: 'NoSuchModel' } }, {}), (e) => e.code === 'HUBTOK_EUNSUPPORTED' && /NoSuchModel/.test(e.message));
  assert.throws(() => new PreTrainedTokenizer({ model: { type: 'BPE', vocab: { a: 0 }, merges: ['a b'] } }, {}), (e) => /^HUBTOK_E/.test(e.code) && /merges/.test(e.message));
  assert.throws(() => new PreTrainedTokenizer({ model: { type: 'BPE', vocab: [], merges: [] } }, {}), (e) => /^HUBTOK_E/.test(e.code) && /vocab/.test(e.message));
  assert.throws(() => new PreTrainedTokenizer(42, {}), { code: 'HUBTOK_EINVAL' });
  assert.throws(() => tok.encode(42), { code: 'HUBTOK_EINVAL' });
});

test('AutoTokenizer: unknown tokenizer_class falls back to the base class with a warning', async (t) => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'hubtok-api-'));
  try {
    fs.symlinkSync(path.join(DIR, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'NoSuchTokenizerFast' }));
    const warn = t.mock.method(console, 'warn', () => {});
    const x = await AutoTokenizer.from_pretrained(dir);
    assert.equal(x.constructor, PreTrainedTokenizer);
    assert.deepEqual(warn.mock.calls.map((c) => c.arguments[0]), ['Unknown tokenizer class "NoSuchTokenizer", attempting to construct from base class.']);
    // Every class has its own from_pretrained, building that class.
    const y = await BertTokenizer.from_pretrained(dir);
    assert.equal(y.constructor, BertTokenizer);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the handle is private: util.inspect and JSON show no native state', () => {
  const shown = util.inspect(tok);
  assert.ok(!shown.includes('External'), shown.slice(0, 200));
  assert.doesNotThrow(() => JSON.stringify(tok));
});

test('ESM entry point exports the same objects', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    `import { AutoTokenizer, env, LlamaTokenizer } from ${JSON.stringify(path.join(__dirname, '..', 'lib', 'index.mjs'))};
     import cjs from ${JSON.stringify(path.join(__dirname, '..', 'lib', 'index.js'))};
     console.log(AutoTokenizer === cjs.AutoTokenizer && env === cjs.env, typeof LlamaTokenizer.from_pretrained);`], { encoding: 'utf8' });
  assert.equal(out.trim(), 'true function');
});
