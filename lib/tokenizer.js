'use strict';
// The transformers.js tokenizer classes over the C engine. The engine does
// the whole tokenization (src/tokenizer/); this layer applies
// transformers.js's policy: argument forms, special-token properties from
// tokenizer_config.json, _call's padding/truncation/tensor rules, decode's
// clean-up pass, chat templates, class selection and per-class behaviour.
// Python-only options (truncation strategies, stride and overflowing
// tokens, offsets, word ids, pad_to_multiple_of, per-call padding_side)
// follow Hugging Face's Rust tokenizers, as Python transformers' fast
// tokenizers do.

const fs = require('node:fs');
const native = require('./native');
const { loadTokenizerFiles } = require('./hub');
const { hubtokError, invalidArgument } = require('./errors');
const { Tensor, isTensorLike } = require('./tensor');
const { renderChatTemplate, chatTemplateDict } = require('./chat');
const { DecodeStream } = require('./streamer');

// native.encode flags.
const ENC_TOKENS = 1;
const ENC_TYPE_IDS = 2;
const ENC_SPECIAL_MASK = 4;
const ENC_OFFSETS = 8;
const ENC_WORD_IDS = 16;
const ENC_SEQ_IDS = 32;
const ENC_CHAR_OFFSETS = 64;
const ENC_FLAT = 128; // encodeBatch: { ids, starts } for all inputs

// Load the engine's tokenizer off the main thread: tokenizer.json, or the
// legacy files a converter builds one from.
//
// The engine's tokenizer is immutable and thread-safe, so tokenizers
// loaded from the same file share it: a second from_pretrained of a model
// in this process (a server building one per request, two classes over
// one repo) costs a stat instead of a parse. The key is the file's
// identity after symlinks (device, inode, size, mtime; a Hub snapshot
// entry resolves to its content-addressed blob), so a changed or replaced
// file is loaded afresh. Entries hold the handle weakly: it is freed when
// no tokenizer uses it. Concurrent loads of one file share one parse.
const sharedHandles = new Map(); // key -> WeakRef(handle)
const loadingHandles = new Map(); // key -> Promise(handle)
const handleRegistry = new FinalizationRegistry((key) => {
  const ref = sharedHandles.get(key);
  if (ref && ref.deref() === undefined) sharedHandles.delete(key);
});

async function fileKey(file) {
  const st = await new Promise((resolve, reject) => fs.stat(file, { bigint: true }, (e, s) => (e ? reject(e) : resolve(s))));
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

async function loadHandle({ tokenizerPath, legacy }) {
  if (!tokenizerPath) return native.loadTokenizerLegacy(legacy);
  let key;
  try {
    key = await fileKey(tokenizerPath);
  } catch {
    return native.loadTokenizerFile(tokenizerPath); // its own error
  }
  const hit = sharedHandles.get(key)?.deref();
  if (hit) return hit;
  let pending = loadingHandles.get(key);
  if (!pending) {
    pending = native.loadTokenizerFile(tokenizerPath).then((handle) => {
      sharedHandles.set(key, new WeakRef(handle));
      handleRegistry.register(handle, key);
      return handle;
    }).finally(() => loadingHandles.delete(key));
    loadingHandles.set(key, pending);
  }
  return pending;
}

// loadTokenizerFiles, with the engine's load of tokenizer.json started as
// soon as the file is found (it overlaps reading tokenizer_config.json):
// handle is the promise of the handle. The file errors come first,
// as before: a load error is only seen once the files are all there.
async function loadFiles(id, options) {
  let early = null;
  const files = await loadTokenizerFiles(id, options ?? {}, (tokenizerPath) => {
    early = loadHandle({ tokenizerPath, legacy: null });
    early.catch(() => {}); // observed below, or dropped with the call
  });
  return { files, handle: early && files.tokenizerPath ? early : loadHandle(files) };
}

// Private slot for the native handle: not enumerable, not shown by
// util.inspect's default view, never serialised.
const kNative = Symbol('hubtok.native');
// Marks a tokenizer.json already loaded by the engine (from_pretrained
// loads it off the main thread and hands the handle to the constructor).
const kLoaded = Symbol('hubtok.loaded');

// The added tokens of an engine tokenizer, read once per handle (Whisper
// has 1607: building them through N-API was most of a repeated load);
// each tokenizer gets its own copies.
const addedTokensCache = new WeakMap(); // handle -> the addon's flat form
function addedTokensOf(handle) {
  let flat = addedTokensCache.get(handle);
  if (!flat) {
    flat = native.addedTokens(handle);
    addedTokensCache.set(handle, flat);
  }
  // [text, ids, ends, flags]: see addedTokens in src/binding/binding.c
  const [text, ids, ends, flags] = flat;
  const list = new Array(ids.length);
  for (let i = 0, start = 0; i < ids.length; start = ends[i], i++) {
    const f = flags[i];
    list[i] = {
      id: ids[i],
      content: text.slice(start, ends[i]),
      single_word: (f & 1) !== 0,
      lstrip: (f & 2) !== 0,
      rstrip: (f & 4) !== 0,
      normalized: (f & 8) !== 0,
      special: (f & 16) !== 0,
    };
  }
  return list;
}

function fail(message, Ctor = Error) {
  return hubtokError('HUBTOK_EINVAL', message, null, Ctor);
}

// transformers.js `Callable` (utils/generic.js): the instance is a function
// whose prototype is the class's, so `tokenizer(text)` calls `_call` and
// `instanceof` still works.
const Callable = class {
  constructor() {
    const closure = function (...args) {
      return closure._call(...args);
    };
    return Object.setPrototypeOf(closure, new.target.prototype);
  }

  _call() {
    throw fail('Must implement _call method in subclass');
  }
};

// transformers.js `getToken`: a string, or an AddedToken object's content.
function tokenFromConfig(config, ...keys) {
  for (const key of keys) {
    const item = config[key];
    if (!item) continue;
    if (typeof item === 'object') {
      if (item.__type === 'AddedToken' || typeof item.content === 'string') return item.content;
      throw fail(`Unknown token: ${item}`);
    }
    return item;
  }
  return null;
}

const SPECIAL_TOKEN_ATTRIBUTES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

// transformers.js `clean_up_tokenization` (Python's too).
function cleanUpTokenization(text) {
  return text
    .replace(/ \./g, '.')
    .replace(/ \?/g, '?')
    .replace(/ !/g, '!')
    .replace(/ ,/g, ',')
    .replace(/ ' /g, "'")
    .replace(/ n't/g, "n't")
    .replace(/ 'm/g, "'m")
    .replace(/ 's/g, "'s")
    .replace(/ 've/g, "'ve")
    .replace(/ 're/g, "'re");
}

// Tensors (ours, transformers.js's, any {dims, data}): 1-D, or [1, n].
function tensorRow(tensor) {
  const dims = tensor.dims;
  if (dims.length === 2 && dims[0] !== 1) {
    throw fail('Unable to decode tensor with `batch size !== 1`. Use `tokenizer.batch_decode(...)` for batched inputs.');
  }
  if (dims.length !== 1 && dims.length !== 2) {
    throw fail(`Expected tensor to have 1-2 dimensions, got ${dims.length}.`);
  }
  return tensor.data;
}

function toIdArray(tokenIds) {
  if (isTensorLike(tokenIds)) tokenIds = tensorRow(tokenIds);
  const isArray = Array.isArray(tokenIds) || (ArrayBuffer.isView(tokenIds) && !(tokenIds instanceof DataView));
  if (!isArray || tokenIds.length === 0) {
    throw fail('token_ids must be a non-empty array of integers.');
  }
  const out = new Uint32Array(tokenIds.length);
  let n = 0;
  for (let i = 0; i < tokenIds.length; i++) {
    const v = tokenIds[i];
    const num = typeof v === 'bigint' ? Number(v) : v;
    if (typeof num !== 'number' || !Number.isInteger(num)) {
      throw fail('token_ids must be a non-empty array of integers.');
    }
    // Ids outside the vocabulary decode to nothing, as in the Rust library.
    if (num >= 0 && num <= 0xffffffff) out[n++] = num;
  }
  return n === out.length ? out : out.subarray(0, n);
}

/* ------------------------------------------------------------------ */
/* Encodings as column sets, and the Rust library's truncation          */
/* ------------------------------------------------------------------ */

// An encoding here: { ids, type_ids, special, seq, words, offsets } plain
// arrays (offsets as [start, end] pairs), plus `overflowing` (encodings).
const COLS = ['ids', 'type_ids', 'special', 'seq', 'words', 'offsets'];

// A plain array copy of a typed array: a counted loop, several times
// faster than Array.from's iterator protocol on short arrays.
// ta[start .. end) as a plain array (a loop: faster than Array.from).
function toArray(ta, start = 0, end = ta.length) {
  const a = new Array(end - start);
  for (let i = start; i < end; i++) a[i - start] = ta[i];
  return a;
}

// The argument checks of every encode path, with transformers.js's
// messages.
function checkInput(text, pair) {
  if (typeof text !== 'string') throw invalidArgument('text must be a string.');
  if (pair !== null && typeof pair !== 'string') {
    throw invalidArgument('text_pair must be a string or null.');
  }
}

function fromNative(r) {
  const n = r.ids.length;
  const offsets = new Array(n);
  for (let i = 0; i < n; i++) offsets[i] = r.offsets ? [r.offsets[2 * i], r.offsets[2 * i + 1]] : [0, 0];
  const words = new Array(n);
  for (let i = 0; i < n; i++) words[i] = r.wordIds && r.wordIds[i] >= 0 ? r.wordIds[i] : null;
  return {
    ids: toArray(r.ids),
    type_ids: r.typeIds ? Array.from(r.typeIds) : new Array(n).fill(0),
    special: r.specialMask ? Array.from(r.specialMask) : new Array(n).fill(0),
    seq: r.seqIds ? Array.from(r.seqIds) : new Array(n).fill(0),
    words,
    offsets,
    tokens: r.tokens,
    overflowing: [],
  };
}

function sliceEnc(e, start, end) {
  const out = { overflowing: [] };
  for (const k of COLS) out[k] = e[k].slice(start, end);
  return out;
}

function emptyEnc() {
  const out = { overflowing: [] };
  for (const k of COLS) out[k] = [];
  return out;
}

// Rust Encoding::merge_with (growing_offsets = false): overflowing parts
// are combined as the library does (each of ours with the other and its
// overflowing parts, then ourself with the other's overflowing parts).
function mergeWith(a, b) {
  const over = [];
  for (const ao of a.overflowing) {
    over.push(mergeWith(ao, b));
    for (const bo of b.overflowing) over.push(mergeWith(ao, bo));
  }
  for (const bo of b.overflowing) over.push(mergeWith(a, bo));
  const out = { overflowing: over };
  for (const k of COLS) out[k] = a[k].concat(b[k]);
  return out;
}

// Rust Encoding::truncate(max_len, stride, direction).
function truncateEnc(e, maxLen, stride, direction) {
  const len = e.ids.length;
  if (maxLen >= len) return e;
  if (maxLen === 0) {
    const out = emptyEnc();
    out.overflowing.push(e);
    return out;
  }
  if (stride >= maxLen) {
    throw fail(`\`stride\` must be strictly less than \`max_len=${maxLen}\` (note that \`max_len\` may be shorter than the max length of the original model, as it subtracts the number of special characters`, RangeError);
  }
  const step = maxLen - stride;
  const ranges = [];
  let end = false;
  if (direction === 'left') {
    for (let stop = len - 1; stop >= 0; stop -= step) {
      const s1 = stop + 1;
      const start = Math.max(0, s1 - maxLen);
      if (start < s1 && !end) {
        end = start === 0;
        ranges.push([start, s1]);
      }
    }
  } else {
    for (let start = 0; start < len; start += step) {
      if (end) break;
      const stop = Math.min(start + maxLen, len);
      end = stop === len;
      ranges.push([start, stop]);
    }
  }
  const main = sliceEnc(e, ranges[0][0], ranges[0][1]);
  for (let i = 1; i < ranges.length; i++) main.overflowing.push(sliceEnc(e, ranges[i][0], ranges[i][1]));
  return main;
}

// Rust truncate_encodings(encoding, pair, params).
function truncateEncodings(a, b, maxLength, stride, strategy, direction) {
  if (maxLength === 0) {
    return [truncateEnc(a, 0, stride, direction), b ? truncateEnc(b, 0, stride, direction) : null];
  }
  const total = a.ids.length + (b ? b.ids.length : 0);
  if (total <= maxLength) return [a, b];
  const toRemove = total - maxLength;
  if (strategy === 'longest_first') {
    if (!b) return [truncateEnc(a, total - toRemove, stride, direction), null];
    let n1 = a.ids.length;
    let n2 = b.ids.length;
    let swap = false;
    if (n1 > n2) {
      swap = true;
      [n1, n2] = [n2, n1];
    }
    if (n1 > maxLength) n2 = n1;
    else n2 = Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    if (swap) [n1, n2] = [n2, n1];
    return [truncateEnc(a, n1, stride, direction), truncateEnc(b, n2, stride, direction)];
  }
  if (strategy === 'only_second' && !b) {
    throw fail('Truncation error: Second sequence not provided');
  }
  const target = strategy === 'only_first' ? a : b;
  if (target.ids.length <= toRemove) {
    throw fail('Truncation error: Sequence to truncate too short to respect the provided max_length');
  }
  const cut = truncateEnc(target, target.ids.length - toRemove, stride, direction);
  return strategy === 'only_first' ? [cut, b] : [a, cut];
}

// Truncate a post-processed encoding as the Rust library truncates before
// post-processing: split it into its sequences and the special tokens the
// post-processor put around them, truncate the sequences, reassemble.
// Returns [main, ...overflowing] (one level, as Python's BatchEncoding).
function truncateFull(full, maxLength, { stride, strategy, direction, addSpecial }) {
  const pieces = [];
  for (let i = 0; i < full.ids.length;) {
    const s = full.seq[i];
    let j = i + 1;
    while (j < full.ids.length && full.seq[j] === s) j++;
    pieces.push({ seq: s, start: i, end: j });
    i = j;
  }
  let nAdded = 0;
  for (const s of full.seq) if (s === -1) nAdded++;
  const seqOf = (k) => {
    const p = pieces.find((x) => x.seq === k);
    return p ? sliceEnc(full, p.start, p.end) : null;
  };
  const a = seqOf(0) ?? emptyEnc();
  const b = seqOf(1);
  let limit = maxLength;
  if (addSpecial && nAdded > 0) {
    limit = maxLength - nAdded;
    if (limit < 0) {
      throw fail(`max_length=${maxLength} is smaller than the ${nAdded} special tokens this tokenizer adds.`, RangeError);
    }
  }
  const [ta, tb] = truncateEncodings(a, b, limit, stride, strategy, direction);
  let acc = emptyEnc();
  let usedA = false;
  for (const p of pieces) {
    let part;
    if (p.seq === 0) {
      part = ta;
      usedA = true;
    } else if (p.seq === 1) {
      part = tb;
    } else {
      part = sliceEnc(full, p.start, p.end);
    }
    acc = mergeWith(acc, part);
  }
  if (!usedA && ta.overflowing.length) acc = mergeWith(ta, acc);
  return [acc, ...acc.overflowing];
}

/* ------------------------------------------------------------------ */
/* PreTrainedTokenizer                                                 */
/* ------------------------------------------------------------------ */

class PreTrainedTokenizer extends Callable {
  // new PreTrainedTokenizer(tokenizerJSON, tokenizerConfig), as in
  // transformers.js: tokenizerJSON is the parsed tokenizer.json (or its
  // text); tokenizerConfig the parsed tokenizer_config.json.
  constructor(tokenizerJSON, tokenizerConfig = {}) {
    super();
    let handle;
    let json = null;
    if (tokenizerJSON && tokenizerJSON[kLoaded]) {
      handle = tokenizerJSON[kLoaded];
    } else if (typeof tokenizerJSON === 'string') {
      handle = native.loadTokenizerJson(tokenizerJSON);
    } else if (tokenizerJSON && typeof tokenizerJSON === 'object') {
      handle = native.loadTokenizerJson(JSON.stringify(tokenizerJSON));
      json = tokenizerJSON;
    } else {
      throw invalidArgument('tokenizerJSON must be the parsed tokenizer.json object or its text.');
    }
    Object.defineProperty(this, kNative, { value: handle });
    Object.defineProperty(this, '_hasPostProcessor', {
      value: json ? json.post_processor !== null && json.post_processor !== undefined && json.post_processor.type !== 'ByteLevel' : null,
      writable: true,
    });
    const config = tokenizerConfig ?? {};
    this.config = config;

    this.added_tokens = addedTokensOf(handle);
    this.special_tokens = [];
    this.all_special_ids = [];
    for (const t of this.added_tokens) {
      if (t.special) {
        this.special_tokens.push(t.content);
        this.all_special_ids.push(t.id);
      }
    }
    this.additional_special_tokens = (config.additional_special_tokens ?? [])
      .map((t) => (typeof t === 'object' && t ? t.content : t));
    // a Set: Whisper lists 1600 of them (includes() made this quadratic)
    const seen = new Set(this.special_tokens);
    for (const t of this.additional_special_tokens) {
      if (!seen.has(t)) {
        seen.add(t);
        this.special_tokens.push(t);
      }
    }

    for (const name of ['mask', 'pad', 'sep', 'unk', 'bos', 'eos', 'cls']) {
      const key = `${name}_token`;
      const token = name === 'pad'
        ? tokenFromConfig(config, 'pad_token', 'eos_token')
        : tokenFromConfig(config, key);
      this[key] = token;
      this[`${key}_id`] = token === null || token === undefined ? undefined : this._tokenToId(token);
    }

    // A double: Llama-2 configs hold 1e30.
    this.model_max_length = config.model_max_length;
    this.remove_space = config.remove_space;
    this.clean_up_tokenization_spaces = config.clean_up_tokenization_spaces ?? true;
    this.do_lowercase_and_remove_accent = config.do_lowercase_and_remove_accent ?? false;
    this.padding_side = config.padding_side ?? 'right';
    this.truncation_side = config.truncation_side ?? 'right';
    this.add_bos_token = config.add_bos_token;
    this.add_eos_token = config.add_eos_token;
    this.legacy = config.legacy;
    this.chat_template = chatTemplateDict(config.chat_template ?? null);
    this.return_token_type_ids = this.constructor.return_token_type_ids ?? false;
    Object.defineProperty(this, '_compiled_template_cache', { value: new Map() });
  }

  _tokenToId(token) {
    return native.tokenToId(this[kNative], token);
  }

  // Loads tokenizer.json and tokenizer_config.json (see lib/hub.js) and
  // builds this class (no class lookup, as transformers.js).
  static async from_pretrained(pretrained_model_name_or_path, options = {}) {
    const { files, handle: loading } = await loadFiles(pretrained_model_name_or_path, options);
    const handle = await loading;
    return new this({ [kLoaded]: handle }, withChatTemplate(files));
  }

  // The engine's encoding of one input (the hook subclasses adjust).
  _encode_native(text, pair, addSpecialTokens, flags) {
    checkInput(text, pair);
    const r = native.encode(this[kNative], text, pair, addSpecialTokens !== false, flags);
    return this._post_encode(r, pair, addSpecialTokens, flags);
  }

  // Hook after the engine (MBart-like src_lang override).
  _post_encode(r) {
    return r;
  }

  // Many inputs on a worker thread (native.encodeBatch).
  async _encode_many_async(texts, pairs, addSpecialTokens, flags) {
    for (let i = 0; i < texts.length; i++) checkInput(texts[i], pairs ? pairs[i] : null);
    const rs = await native.encodeBatch(this[kNative], texts, pairs, addSpecialTokens !== false, flags);
    return rs.map((r, i) => this._post_encode(r, pairs ? pairs[i] : null, addSpecialTokens, flags));
  }

  // Whether the tokenizer.json post-processor produces token_type_ids for
  // transformers.js (Template/Bert/Roberta processing; not ByteLevel or
  // none). Without the JSON at hand: whether it adds special tokens.
  _producesTypeIds() {
    if (this._hasPostProcessor === null) {
      const r = native.encode(this[kNative], 'a', 'b', true, ENC_SEQ_IDS);
      this._hasPostProcessor = Array.from(r.seqIds).some((s) => s === -1);
    }
    return this._hasPostProcessor;
  }

  // v3: encode(text, { text_pair, add_special_tokens, return_token_type_ids })
  // v2: encode(text, text_pair, { add_special_tokens, return_token_type_ids })
  encode(text, second = undefined, third = undefined) {
    let textPair = null;
    let opts = {};
    if (typeof second === 'string' || second === null || (second === undefined && third !== undefined)) {
      textPair = second ?? null;
      opts = third ?? {};
    } else if (second !== undefined) {
      opts = second ?? {};
      textPair = opts.text_pair ?? null;
    }
    const { add_special_tokens = true } = opts;
    if (this.#keepsEngineEncoding()) {
      // The ids come back through the addon's scratch array (no object
      // per call), or as their own array when they outgrow it.
      checkInput(text, textPair);
      const r = native.encodeIds(this[kNative], text, textPair, add_special_tokens !== false);
      return typeof r === 'number' ? toArray(native.idsScratch, 0, r) : toArray(r);
    }
    return toArray(this._encode_native(text, textPair, add_special_tokens, 0).ids);
  }

  // Whether this class keeps the base hooks, i.e. the engine's encoding
  // as it is: then the ids-only fast paths apply.
  #keepsEngineEncoding() {
    return this._encode_native === baseEncodeNative && this._post_encode === basePostEncode;
  }

  // tokenize(text, { pair, add_special_tokens = false }) -> string[]
  tokenize(text, { pair = null, add_special_tokens = false } = {}) {
    return this._encode_native(text, pair, add_special_tokens, ENC_TOKENS).tokens;
  }

  // Python's encode_batch / an async form: ids of many texts, encoded on a
  // worker thread. text_pair: an array of the same length, or null.
  async encode_batch(texts, { text_pair = null, add_special_tokens = true } = {}) {
    if (!Array.isArray(texts)) throw invalidArgument('encode_batch expects an array of strings.');
    if (text_pair !== null && (!Array.isArray(text_pair) || text_pair.length !== texts.length)) {
      throw fail('text and text_pair must have the same length');
    }
    if (this.#keepsEngineEncoding()) {
      // The engine's ids as they are: one flat array back from the addon.
      for (let i = 0; i < texts.length; i++) checkInput(texts[i], text_pair ? text_pair[i] : null);
      const { ids, starts } = await native.encodeBatch(this[kNative], texts, text_pair, add_special_tokens !== false, ENC_FLAT);
      const out = new Array(texts.length);
      for (let i = 0; i < texts.length; i++) out[i] = toArray(ids, starts[i], starts[i + 1]);
      return out;
    }
    const rs = await this._encode_many_async(texts, text_pair, add_special_tokens, 0);
    return rs.map((r) => toArray(r.ids));
  }

  /* -------------------------- _call ------------------------------- */

  #callPlan(text, options) {
    const {
      text_pair = null,
      add_special_tokens = true,
      padding = false,
      truncation = null,
      max_length = null,
      return_tensor = true, // Different to HF (transformers.js)
      return_token_type_ids = null,
      // Python (fast tokenizer) options:
      stride = 0,
      return_overflowing_tokens = false,
      return_offsets_mapping = false,
      return_special_tokens_mask = false,
      return_attention_mask = true,
      pad_to_multiple_of = null,
      padding_side = null,
      truncation_side = null,
    } = options ?? {};
    const isBatched = Array.isArray(text);
    let texts;
    let pairs = null;
    if (isBatched) {
      if (text.length === 0) throw fail('text array must be non-empty');
      texts = text;
      if (text_pair !== null) {
        if (!Array.isArray(text_pair)) throw fail('text_pair must also be an array');
        if (text.length !== text_pair.length) throw fail('text and text_pair must have the same length');
        pairs = text_pair;
      }
    } else {
      if (text === null || text === undefined) throw fail('text may not be null or undefined');
      if (Array.isArray(text_pair)) {
        throw fail('When specifying `text_pair`, since `text` is a string, `text_pair` must also be a string (i.e., not an array).');
      }
      texts = [text];
      pairs = text_pair === null ? null : [text_pair];
    }
    if (padding_side !== null && padding_side !== 'left' && padding_side !== 'right') {
      throw fail(`padding_side must be 'left' or 'right', got ${padding_side}`);
    }
    if (truncation_side !== null && truncation_side !== 'left' && truncation_side !== 'right') {
      throw fail(`truncation_side must be 'left' or 'right', got ${truncation_side}`);
    }
    if (typeof truncation === 'string' &&
        !['longest_first', 'only_first', 'only_second', 'do_not_truncate'].includes(truncation)) {
      throw fail(`Unknown truncation strategy "${truncation}": expected true, false, 'longest_first', 'only_first', 'only_second' or 'do_not_truncate'.`);
    }
    if (typeof padding === 'string' && padding !== 'max_length' && padding !== 'longest' && padding !== 'do_not_pad') {
      throw fail(`Unknown padding strategy "${padding}": expected true, false, 'longest', 'max_length' or 'do_not_pad'.`);
    }
    if (!Number.isInteger(stride) || stride < 0) throw fail('stride must be a non-negative integer.');
    if (pad_to_multiple_of !== null && (!Number.isInteger(pad_to_multiple_of) || pad_to_multiple_of <= 0)) {
      throw fail('pad_to_multiple_of must be a positive integer.');
    }
    const wantTypeIds = !!((return_token_type_ids ?? this.return_token_type_ids) && this._producesTypeIds());
    let flags = ENC_TYPE_IDS | ENC_SEQ_IDS | ENC_SPECIAL_MASK | ENC_WORD_IDS;
    if (return_offsets_mapping) flags |= ENC_OFFSETS | ENC_CHAR_OFFSETS;
    return {
      isBatched, texts, pairs, flags, wantTypeIds,
      add_special_tokens, padding, truncation, max_length, return_tensor, stride,
      return_overflowing_tokens, return_offsets_mapping, return_special_tokens_mask, return_attention_mask,
      pad_to_multiple_of,
      padding_side: padding_side ?? this.padding_side,
      truncation_side: truncation_side ?? this.truncation_side,
    };
  }

  #encodeAll(plan) {
    return plan.texts.map((t, i) => this._encode_native(t, plan.pairs ? plan.pairs[i] : null, plan.add_special_tokens, plan.flags));
  }

  // transformers.js v3 _call, with the Python options on top.
  #finishCall(plan, results) {
    let { padding, truncation, max_length } = plan;
    // 'longest' / 'do_not_pad' / 'do_not_truncate' are Python's names.
    if (padding === 'longest') padding = true;
    if (padding === 'do_not_pad') padding = false;
    if (truncation === 'do_not_truncate') truncation = false;
    const strategy = typeof truncation === 'string' ? truncation : null;
    const rustTruncation = strategy !== null || plan.return_overflowing_tokens;

    let rows = results.map((r, sample) => ({ enc: fromNative(r), sample }));

    if (max_length === null) {
      max_length = this.model_max_length;
    } else if (truncation === null) {
      if (padding === true) {
        console.warn(
          '`max_length` is ignored when `padding: true` and there is no truncation strategy. ' +
          "To pad to max length, use `padding: 'max_length'`.",
        );
        max_length = this.model_max_length;
      } else if (padding === false) {
        console.warn('Truncation was not explicitly activated but `max_length` is provided a specific value, please use `truncation: true` to explicitly truncate examples to max length.');
        truncation = true;
      }
    }

    if (rustTruncation && truncation !== false && truncation !== null) {
      // Python: truncate each input as the Rust library does (special
      // tokens kept, stride windows as extra rows), then pad.
      const limit = Math.min(max_length ?? Infinity, this.model_max_length ?? Infinity);
      if (Number.isFinite(limit)) {
        const opts = {
          stride: plan.stride,
          strategy: strategy ?? 'longest_first',
          direction: plan.truncation_side,
          addSpecial: plan.add_special_tokens !== false,
        };
        // Overflowing parts become rows only when asked for (Python).
        const keep = plan.return_overflowing_tokens ? Infinity : 1;
        rows = rows.flatMap(({ enc, sample }) => truncateFull(enc, limit, opts).slice(0, keep).map((e) => ({ enc: e, sample })));
      }
      truncation = false;
    }

    if (padding === true) {
      max_length = Math.min(Math.max(...rows.map((x) => x.enc.ids.length)), max_length ?? Infinity);
    }
    max_length = Math.min(max_length, this.model_max_length ?? Infinity);
    let padTo = max_length;
    if (padding && plan.pad_to_multiple_of && padTo % plan.pad_to_multiple_of !== 0) {
      padTo = (Math.floor(padTo / plan.pad_to_multiple_of) + 1) * plan.pad_to_multiple_of;
    }

    // Items as transformers.js builds them, plus the Python columns.
    const items = rows.map(({ enc }) => {
      const item = { input_ids: enc.ids, attention_mask: new Array(enc.ids.length).fill(1) };
      if (plan.wantTypeIds) item.token_type_ids = enc.type_ids;
      if (plan.return_special_tokens_mask) item.special_tokens_mask = enc.special;
      if (plan.return_offsets_mapping) item.offset_mapping = enc.offsets;
      item.__words = enc.words;
      return item;
    });
    const padValue = (key) => {
      if (key === 'input_ids') return this.pad_token_id;
      if (key === 'special_tokens_mask') return 1;
      if (key === 'offset_mapping') return [0, 0];
      if (key === '__words') return null;
      return 0;
    };
    if (padding || truncation) {
      for (const item of items) {
        const len = item.input_ids.length;
        if (len === max_length && padTo === max_length) continue;
        if (len > max_length) {
          if (truncation) {
            for (const key of Object.keys(item)) item[key].length = max_length;
          }
        } else if (padding && len < padTo) {
          for (const key of Object.keys(item)) {
            const fill = new Array(padTo - item[key].length).fill(padValue(key));
            item[key] = plan.padding_side === 'right' ? item[key].concat(fill) : fill.concat(item[key]);
          }
        }
      }
    }
    const words = items.map((item) => {
      const w = item.__words;
      delete item.__words;
      return w;
    });
    if (plan.return_attention_mask === false) {
      for (const item of items) delete item.attention_mask;
    }

    const result = {};
    const first = items[0];
    if (plan.return_tensor) {
      if (!(padding && truncation) &&
          items.some((x) => Object.keys(x).some((key) => x[key].length !== first[key]?.length))) {
        throw fail(
          'Unable to create tensor, you should probably activate truncation and/or padding ' +
          "with 'padding=true' and 'truncation=true' to have batched tensors with the same length.",
        );
      }
      const dims = [items.length, first.input_ids.length];
      if (padding && this.pad_token_id === undefined && items.some((x) => x.input_ids.includes(undefined))) {
        // transformers.js fails in BigInt(undefined) here; same message.
        throw hubtokError('HUBTOK_EINVAL', 'Cannot convert undefined to a BigInt', null, TypeError);
      }
      for (const key of Object.keys(first)) {
        if (key === 'offset_mapping') {
          const data = new BigInt64Array(items.length * dims[1] * 2);
          let k = 0;
          for (const x of items) for (const [s, e] of x[key]) { data[k++] = BigInt(s); data[k++] = BigInt(e); }
          result[key] = new Tensor('int64', data, [dims[0], dims[1], 2]);
        } else {
          result[key] = new Tensor('int64', BigInt64Array.from(items.flatMap((x) => x[key]).map(BigInt)), dims);
        }
      }
      if (plan.return_overflowing_tokens) {
        result.overflow_to_sample_mapping = new Tensor('int64', BigInt64Array.from(rows.map((r) => BigInt(r.sample))), [rows.length]);
      }
    } else {
      for (const key of Object.keys(first)) result[key] = items.map((x) => x[key]);
      if (plan.return_overflowing_tokens) {
        result.overflow_to_sample_mapping = rows.map((r) => r.sample);
      } else if (!plan.isBatched) {
        for (const key of Object.keys(result)) result[key] = result[key][0];
      }
    }
    // Python BatchEncoding.word_ids(batch_index = 0): word index per token,
    // null for special and padding tokens. Not enumerable: the result's
    // keys stay transformers.js's.
    Object.defineProperty(result, 'word_ids', {
      value: (batch_index = 0) => {
        if (!Number.isInteger(batch_index) || batch_index < 0 || batch_index >= words.length) {
          throw fail(`word_ids: batch_index ${batch_index} out of range (batch of ${words.length}).`, RangeError);
        }
        return words[batch_index].slice();
      },
    });
    return result;
  }

  // tokenizer(text | text[], options) -> BatchEncoding (transformers.js v3).
  _call(text, options = {}) {
    const plan = this.#callPlan(text, options);
    return this.#finishCall(plan, this.#encodeAll(plan));
  }

  // The same as tokenizer(text, options), with the tokenization done on a
  // worker thread (for large inputs); resolves to the same BatchEncoding.
  async call_async(text, options = {}) {
    const plan = this.#callPlan(text, options);
    const results = await this._encode_many_async(plan.texts, plan.pairs, plan.add_special_tokens, plan.flags);
    return this.#finishCall(plan, results);
  }

  /* -------------------------- decode ------------------------------ */

  decode(token_ids, decode_args = {}) {
    return this.decode_single(toIdArray(token_ids), decode_args ?? {});
  }

  decode_single(ids, { skip_special_tokens = false, clean_up_tokenization_spaces = null } = {}) {
    if (!(ids instanceof Uint32Array)) ids = toIdArray(ids);
    if (skip_special_tokens && this.additional_special_tokens.length) {
      const skip = new Set(this.all_special_ids);
      for (const t of this.additional_special_tokens) {
        const id = this._tokenToId(t);
        if (id !== undefined) skip.add(id);
      }
      ids = ids.filter((id) => !skip.has(id));
    }
    let text = this._decode_ids(ids, !!skip_special_tokens);
    if (clean_up_tokenization_spaces ?? this.clean_up_tokenization_spaces) {
      text = cleanUpTokenization(text);
    }
    return text;
  }

  // The decoder pipeline (engine), before the clean-up pass.
  _decode_ids(ids, skipSpecial) {
    return native.decode(this[kNative], ids, skipSpecial);
  }

  batch_decode(batch, decode_args = {}) {
    if (isTensorLike(batch)) {
      const [rows, cols] = batch.dims.length === 2 ? batch.dims : [1, batch.dims[0]];
      const out = [];
      for (let r = 0; r < rows; r++) {
        out.push(this.decode(Array.prototype.slice.call(batch.data, r * cols, (r + 1) * cols), decode_args));
      }
      return out;
    }
    if (!Array.isArray(batch)) throw invalidArgument('batch_decode expects an array of token id arrays or a 2-D Tensor.');
    return batch.map((ids) => this.decode(ids, decode_args));
  }

  // An incremental decoder for streamed generation (see lib/streamer.js).
  decode_stream(options = {}) {
    return new DecodeStream(this, options);
  }

  /* ------------------------ vocabulary ---------------------------- */

  // v4: Map<token, id> over the whole vocabulary, added tokens included.
  get_vocab() {
    const tokens = native.vocabTokens(this[kNative]);
    const vocab = new Map();
    tokens.forEach((t, id) => {
      if (t !== undefined) vocab.set(t, id);
    });
    return vocab;
  }

  // v4: a token or a list of tokens; unknown tokens give undefined.
  convert_tokens_to_ids(tokens) {
    if (typeof tokens === 'string') return this._tokenToId(tokens);
    if (!Array.isArray(tokens)) throw invalidArgument('convert_tokens_to_ids expects a string or an array of strings.');
    return tokens.map((t) => this._tokenToId(String(t)));
  }

  convert_ids_to_tokens(ids) {
    const one = (id) => native.idToToken(this[kNative], typeof id === 'bigint' ? Number(id) : id);
    if (typeof ids === 'number' || typeof ids === 'bigint') return one(ids);
    return Array.from(ids, one);
  }

  // v4: named special tokens then additional ones, without duplicates (the
  // order of Python's all_special_tokens).
  get all_special_tokens() {
    const out = [];
    for (const key of SPECIAL_TOKEN_ATTRIBUTES) {
      const t = this[key];
      if (t && !out.includes(t)) out.push(t);
    }
    for (const t of this.additional_special_tokens) {
      if (!out.includes(t)) out.push(t);
    }
    return out;
  }

  get vocab_size() {
    return native.vocabSize(this[kNative], false);
  }

  /* ---------------------- chat templates -------------------------- */

  // transformers.js v3 get_chat_template.
  get_chat_template({ chat_template = null, tools = null } = {}) {
    if (this.chat_template && typeof this.chat_template === 'object') {
      const dict = this.chat_template;
      if (chat_template !== null && Object.hasOwn(dict, chat_template)) {
        chat_template = dict[chat_template];
      } else if (chat_template === null) {
        if (tools !== null && 'tool_use' in dict) {
          chat_template = dict.tool_use;
        } else if ('default' in dict) {
          chat_template = dict.default;
        } else {
          throw fail(
            'This model has multiple chat templates with no default specified! Please either pass a chat ' +
            "template or the name of the template you wish to use to the 'chat_template' argument. Available " +
            `template names are ${Object.keys(dict).sort()}.`,
          );
        }
      }
    } else if (chat_template === null) {
      if (this.chat_template) {
        chat_template = this.chat_template;
      } else {
        throw fail(
          'Cannot use apply_chat_template() because tokenizer.chat_template is not set and no template ' +
          'argument was passed! For information about writing templates and setting the ' +
          'tokenizer.chat_template attribute, please see the documentation at ' +
          'https://huggingface.co/docs/transformers/main/en/chat_templating',
        );
      }
    }
    return chat_template;
  }

  // transformers.js v3 apply_chat_template (return_dict defaults to false).
  apply_chat_template(conversation, {
    tools = null,
    documents = null,
    chat_template = null,
    add_generation_prompt = false,
    tokenize = true,
    padding = false,
    truncation = false,
    max_length = null,
    return_tensor = true,
    return_dict = false,
    tokenizer_kwargs = {},
    ...kwargs
  } = {}) {
    chat_template = this.get_chat_template({ chat_template, tools });
    if (typeof chat_template !== 'string') {
      throw fail(`chat_template must be a string, but got ${typeof chat_template}`);
    }
    const special = Object.create(null);
    for (const key of SPECIAL_TOKEN_ATTRIBUTES) {
      const value = tokenFromConfig(this.config, key);
      if (value) special[key] = value;
    }
    const rendered = renderChatTemplate(this._compiled_template_cache, chat_template, {
      messages: conversation,
      add_generation_prompt,
      tools,
      documents,
      ...special,
      ...kwargs,
    });
    if (tokenize) {
      const out = this._call(rendered, {
        add_special_tokens: false,
        padding,
        truncation,
        max_length,
        return_tensor,
        ...tokenizer_kwargs,
      });
      return return_dict ? out : out.input_ids;
    }
    return rendered;
  }
}

// The base hooks; encode() takes its fast path when a class keeps both.
const baseEncodeNative = PreTrainedTokenizer.prototype._encode_native;
const basePostEncode = PreTrainedTokenizer.prototype._post_encode;

// Python transformers reads chat_template.jinja and prefers it to the
// config's chat_template.
function withChatTemplate(files) {
  if (files.chatTemplate === null || files.chatTemplate === undefined) return files.config;
  return { ...files.config, chat_template: files.chatTemplate };
}

/* ------------------------------------------------------------------ */
/* The class zoo                                                       */
/* ------------------------------------------------------------------ */

// BERT-like classes return token_type_ids from _call (transformers.js).
const TOKEN_TYPE_CLASSES = ['BertTokenizer', 'AlbertTokenizer', 'MobileBertTokenizer', 'SqueezeBertTokenizer',
  'DebertaTokenizer', 'DebertaV2Tokenizer', 'HerbertTokenizer', 'ConvBertTokenizer', 'RoFormerTokenizer',
  'ElectraTokenizer', 'XLMTokenizer'];

// Classes that add nothing over the base class (transformers.js v3, plus
// v2's Grok1 and v4's CohereAsr).
const PLAIN_CLASSES = [
  'CodeLlamaTokenizer', 'BloomTokenizer', 'GPT2Tokenizer', 'GemmaTokenizer', 'BlenderbotTokenizer',
  'BlenderbotSmallTokenizer', 'T5Tokenizer', 'RobertaTokenizer', 'XLMRobertaTokenizer', 'BartTokenizer',
  'DistilBertTokenizer', 'CamembertTokenizer', 'MPNetTokenizer', 'FalconTokenizer', 'GPTNeoXTokenizer',
  'EsmTokenizer', 'Qwen2Tokenizer', 'Grok1Tokenizer', 'CohereTokenizer', 'CodeGenTokenizer', 'CLIPTokenizer',
  'SiglipTokenizer', 'Wav2Vec2CTCTokenizer', 'SpeechT5Tokenizer', 'NougatTokenizer', 'MgpstrTokenizer',
  'CohereAsrTokenizer',
];

const classes = {};
for (const name of [...TOKEN_TYPE_CLASSES, ...PLAIN_CLASSES]) {
  const cls = { [name]: class extends PreTrainedTokenizer {} }[name];
  if (TOKEN_TYPE_CLASSES.includes(name)) cls.return_token_type_ids = true;
  classes[name] = cls;
}

const NOT_FAST_WARNING = (name) => `WARNING: \`${name}\` is not yet supported by Hugging Face's "fast" tokenizers library. Therefore, you may experience slightly inaccurate results.`;

classes.XLMTokenizer = class XLMTokenizer extends PreTrainedTokenizer {
  static return_token_type_ids = true;

  constructor(tokenizerJSON, tokenizerConfig) {
    super(tokenizerJSON, tokenizerConfig);
    console.warn(NOT_FAST_WARNING('XLMTokenizer'));
  }
};

// transformers.js v3/v4: LlamaTokenizer pads on the left whatever the config.
classes.LlamaTokenizer = class LlamaTokenizer extends PreTrainedTokenizer {
  constructor(tokenizerJSON, tokenizerConfig) {
    super(tokenizerJSON, tokenizerConfig);
    this.padding_side = 'left';
  }
};

// Translation tokenizers (transformers.js `_build_translation_inputs`):
// language codes are special tokens; a src_lang replaces the first language
// code special token of the single-sequence template from then on (the
// post-processor mutation transformers.js does, applied to the engine's
// output here).
function translationMixin(Base, regex, langToToken, codeOf) {
  return class extends Base {
    constructor(tokenizerJSON, tokenizerConfig) {
      super(tokenizerJSON, tokenizerConfig);
      this.languageRegex = regex;
      this.language_codes = this.special_tokens.filter((x) => regex.test(x)).map(codeOf);
      this.lang_to_token = langToToken;
      Object.defineProperty(this, '_srcLangId', { value: undefined, writable: true });
    }

    _encode_native(text, pair, addSpecialTokens, flags) {
      return super._encode_native(text, pair, addSpecialTokens, flags | ENC_SEQ_IDS);
    }

    _encode_many_async(texts, pairs, addSpecialTokens, flags) {
      return super._encode_many_async(texts, pairs, addSpecialTokens, flags | ENC_SEQ_IDS);
    }

    _post_encode(r, pair, addSpecialTokens) {
      if (this._srcLangId === undefined || pair !== null || addSpecialTokens === false) return r;
      // Which special token of the single template is the language code:
      // its rank among the template's special tokens.
      const t = native.encode(this[kNative], '', null, true, ENC_TOKENS | ENC_SEQ_IDS);
      let rank = -1;
      for (let i = 0, seen = 0; i < t.tokens.length; i++) {
        if (t.seqIds[i] !== -1) continue;
        if (this.languageRegex.test(t.tokens[i])) {
          rank = seen;
          break;
        }
        seen++;
      }
      if (rank < 0) return r;
      let idx = -1;
      for (let i = 0, seen = 0; i < r.ids.length; i++) {
        if (r.seqIds[i] !== -1) continue;
        if (seen === rank) {
          idx = i;
          break;
        }
        seen++;
      }
      if (idx < 0) return r;
      const out = { ...r, ids: new Uint32Array(r.ids) };
      out.ids[idx] = this._srcLangId;
      if (r.tokens) {
        out.tokens = r.tokens.slice();
        out.tokens[idx] = native.idToToken(this[kNative], this._srcLangId);
      }
      return out;
    }

    _build_translation_inputs(raw_inputs, tokenizer_options, generate_kwargs) {
      const src = generate_kwargs.src_lang;
      const tgt = generate_kwargs.tgt_lang;
      if (!this.language_codes.includes(tgt)) {
        throw fail(`Target language code "${tgt}" is not valid. Must be one of: {${this.language_codes.join(', ')}}`);
      }
      if (src !== undefined) {
        if (!this.language_codes.includes(src)) {
          throw fail(`Source language code "${src}" is not valid. Must be one of: {${this.language_codes.join(', ')}}`);
        }
        this._srcLangId = this._tokenToId(this.lang_to_token(src));
      }
      generate_kwargs.forced_bos_token_id = this._tokenToId(this.lang_to_token(tgt));
      return this._call(raw_inputs, tokenizer_options);
    }
  };
}

const identity = (x) => x;
classes.MBartTokenizer = { MBartTokenizer: class extends translationMixin(PreTrainedTokenizer, /^[a-z]{2}_[A-Z]{2}$/, identity, identity) {} }.MBartTokenizer;
classes.MBart50Tokenizer = { MBart50Tokenizer: class extends classes.MBartTokenizer {} }.MBart50Tokenizer;
classes.NllbTokenizer = { NllbTokenizer: class extends translationMixin(PreTrainedTokenizer, /^[a-z]{3}_[A-Z][a-z]{3}$/, identity, identity) {} }.NllbTokenizer;
classes.M2M100Tokenizer = { M2M100Tokenizer: class extends translationMixin(PreTrainedTokenizer, /^__[a-z]{2,3}__$/, (x) => `__${x}__`, (x) => x.slice(2, -2)) {} }.M2M100Tokenizer;

// Marian: a leading `>>lang<<` code is one token, the rest is encoded
// without it (transformers.js `_encode_text`; the text is trimmed).
classes.MarianTokenizer = class MarianTokenizer extends PreTrainedTokenizer {
  constructor(tokenizerJSON, tokenizerConfig) {
    super(tokenizerJSON, tokenizerConfig);
    this.languageRegex = /^(>>\w+<<)\s*/g;
    // transformers.js filters with its global (stateful) regex, which skips
    // a code right after a match; kept so the warnings are the same.
    this.supported_language_codes = native.vocabTokens(this[kNative]).filter((x) => this.languageRegex.test(x));
    console.warn(NOT_FAST_WARNING('MarianTokenizer'));
  }

  #marianText(text) {
    if (text === null || typeof text !== 'string') return { code: null, text };
    const [matchInfo, ...remainder] = text.trim().split(this.languageRegex);
    if (remainder.length !== 2) return { code: null, text: matchInfo };
    const [language, rest] = remainder;
    if (!this.supported_language_codes.includes(language)) {
      console.warn(`Unsupported language code "${language}" detected, which may lead to unexpected behavior. Should be one of: ${JSON.stringify(this.supported_language_codes)}`);
    }
    return { code: language, text: rest };
  }

  // Where the engine's post-processor puts sequence `seq`'s first token:
  // the number of tokens before it (special tokens, and sequence A for B).
  #sequenceStart(out, seq, addSpecialTokens) {
    for (let i = 0; i < out.ids.length; i++) if (out.seqIds[i] === seq) return i;
    const probe = native.encode(this[kNative], 'a', seq === 1 ? 'b' : null, addSpecialTokens !== false, ENC_SEQ_IDS);
    let at = 0;
    let nA = 0;
    for (; at < probe.seqIds.length && probe.seqIds[at] !== seq; at++) if (probe.seqIds[at] === 0) nA++;
    let realA = 0;
    for (const s of out.seqIds) if (s === 0) realA++;
    return at - nA + realA;
  }

  _encode_native(text, pair, addSpecialTokens, flags) {
    const a = this.#marianText(text);
    const b = this.#marianText(pair);
    let out = super._encode_native(a.text, b.text, addSpecialTokens, flags | ENC_SEQ_IDS);
    for (const [code, seq] of [[b.code, 1], [a.code, 0]]) {
      if (code === null) continue;
      const at = this.#sequenceStart(out, seq, addSpecialTokens);
      out = insertToken(out, at, this._tokenToId(code) ?? this.unk_token_id, code, seq);
    }
    return out;
  }

  // The language-code split happens in JS, so Marian's async forms encode
  // on the main thread.
  async _encode_many_async(texts, pairs, addSpecialTokens, flags) {
    return texts.map((t, i) => this._encode_native(t, pairs ? pairs[i] : null, addSpecialTokens, flags));
  }
};

function insertToken(r, at, id, token, seq) {
  const ins = (arr, v, Ctor) => {
    const out = new Ctor(arr.length + 1);
    out.set(arr.subarray(0, at), 0);
    out[at] = v;
    out.set(arr.subarray(at), at + 1);
    return out;
  };
  const out = { ...r };
  out.ids = ins(r.ids, id, Uint32Array);
  if (r.typeIds) out.typeIds = ins(r.typeIds, at < r.typeIds.length ? r.typeIds[at] : (r.typeIds[at - 1] ?? 0), Uint32Array);
  if (r.specialMask) out.specialMask = ins(r.specialMask, 0, Uint8Array);
  if (r.seqIds) out.seqIds = ins(r.seqIds, seq, Int8Array);
  if (r.wordIds) out.wordIds = ins(r.wordIds, -1, Int32Array);
  if (r.offsets) {
    const o = new Float64Array(r.offsets.length + 2);
    o.set(r.offsets.subarray(0, 2 * at), 0);
    o.set(r.offsets.subarray(2 * at), 2 * at + 2);
    out.offsets = o;
  }
  if (r.tokens) out.tokens = [...r.tokens.slice(0, at), token, ...r.tokens.slice(at)];
  return out;
}

// Whisper: decode_with_timestamps renders timestamp tokens as <|t.tt|>
// (time_precision seconds per step, default 0.02).
classes.WhisperTokenizer = class WhisperTokenizer extends PreTrainedTokenizer {
  get timestamp_begin() {
    return this._tokenToId('<|notimestamps|>') + 1;
  }

  decode(token_ids, decode_args) {
    if (decode_args?.decode_with_timestamps) {
      const ids = isTensorLike(token_ids) ? Array.from(tensorRow(token_ids)) : token_ids;
      return this.#decodeWithTimestamps(ids, decode_args);
    }
    return super.decode(token_ids, decode_args);
  }

  #decodeWithTimestamps(token_ids, decode_args) {
    const timePrecision = decode_args?.time_precision ?? 0.02;
    const timestampBegin = Array.from(this.all_special_ids).at(-1) + 1;
    let outputs = [[]];
    for (let token of token_ids) {
      token = Number(token);
      if (token >= timestampBegin) {
        const timestamp = ((token - timestampBegin) * timePrecision).toFixed(2);
        outputs.push(`<|${timestamp}|>`);
        outputs.push([]);
      } else {
        outputs[outputs.length - 1].push(token);
      }
    }
    outputs = outputs.map((s) => (typeof s === 'string' ? s : super.decode(s, decode_args)));
    return outputs.join('');
  }
};

// Vits: the decoder joins every second token (transformers.js VitsDecoder).
classes.VitsTokenizer = class VitsTokenizer extends PreTrainedTokenizer {
  _decode_ids(ids) {
    let out = '';
    for (let i = 1; i < ids.length; i += 2) out += native.idToToken(this[kNative], ids[i]) ?? '';
    return out;
  }

  decode_single(ids, { skip_special_tokens = false, clean_up_tokenization_spaces = null } = {}) {
    if (!(ids instanceof Uint32Array)) ids = toIdArray(ids);
    if (skip_special_tokens) {
      const skip = new Set(this.special_tokens);
      ids = ids.filter((id) => !skip.has(native.idToToken(this[kNative], id)));
    }
    let text = this._decode_ids(ids);
    if (clean_up_tokenization_spaces ?? this.clean_up_tokenization_spaces) text = cleanUpTokenization(text);
    return text;
  }
};

class AutoTokenizer {
  // Picks the class from tokenizer_config.json's tokenizer_class (minus
  // "Fast"); unknown classes fall back to PreTrainedTokenizer with a
  // warning, as transformers.js does.
  static async from_pretrained(pretrained_model_name_or_path, options = {}) {
    const { files, handle: loading } = await loadFiles(pretrained_model_name_or_path, options);
    const { config } = files;
    const handle = await loading;
    const name = config.tokenizer_class?.replace(/Fast$/, '') ?? 'PreTrainedTokenizer';
    let cls = name === 'PreTrainedTokenizer' ? PreTrainedTokenizer : classes[name];
    if (!cls) {
      console.warn(`Unknown tokenizer class "${name}", attempting to construct from base class.`);
      cls = PreTrainedTokenizer;
    }
    return new cls({ [kLoaded]: handle }, withChatTemplate(files));
  }
}

module.exports = {
  PreTrainedTokenizer,
  AutoTokenizer,
  ...classes,
  TokenizersBackend: PreTrainedTokenizer,
  Tensor,
  DecodeStream,
};
