'use strict';
// The transformers.js tokenizer classes over the C engine. The engine does
// the whole tokenization (src/tokenizer/); this layer applies
// transformers.js's policy: argument forms, special-token properties from
// tokenizer_config.json, decode's clean-up pass, class selection.

const native = require('./native');
const { loadTokenizerFiles } = require('./hub');
const { hubtokError, invalidArgument } = require('./errors');

// Load the engine's tokenizer off the main thread: tokenizer.json, or the
// legacy files a converter builds one from.
function loadHandle({ tokenizerPath, legacy }) {
  return tokenizerPath ? native.loadTokenizerFile(tokenizerPath) : native.loadTokenizerLegacy(legacy);
}

// Private slot for the native handle: not enumerable, not shown by
// util.inspect's default view, never serialised.
const kNative = Symbol('hubtok.native');
// Marks a tokenizer.json already loaded by the engine (from_pretrained
// loads it off the main thread and hands the handle to the constructor).
const kLoaded = Symbol('hubtok.loaded');

// transformers.js `getToken`: a string, or an AddedToken object's content.
function tokenFromConfig(config, ...keys) {
  for (const key of keys) {
    const item = config[key];
    if (!item) continue;
    if (typeof item === 'object') {
      if (item.__type === 'AddedToken' || typeof item.content === 'string') return item.content;
      throw hubtokError('HUBTOK_EINVAL', `Unknown token: ${item}`);
    }
    return item;
  }
  return null;
}

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

function toIdArray(tokenIds) {
  // Tensors (ours or transformers.js's): 1-D, or [1, n].
  if (tokenIds && typeof tokenIds === 'object' && !Array.isArray(tokenIds) &&
      !ArrayBuffer.isView(tokenIds) && Array.isArray(tokenIds.dims) && tokenIds.data) {
    const dims = tokenIds.dims;
    if (dims.length > 2 || (dims.length === 2 && dims[0] !== 1)) {
      throw hubtokError('HUBTOK_EINVAL', 'Unable to decode tensor with `batch size !== 1`. Use `tokenizer.batch_decode(...)` for batched inputs.');
    }
    tokenIds = tokenIds.data;
  }
  const isArray = Array.isArray(tokenIds) || (ArrayBuffer.isView(tokenIds) && !(tokenIds instanceof DataView));
  if (!isArray || tokenIds.length === 0) {
    throw hubtokError('HUBTOK_EINVAL', 'token_ids must be a non-empty array of integers.');
  }
  const out = new Uint32Array(tokenIds.length);
  let n = 0;
  for (let i = 0; i < tokenIds.length; i++) {
    const v = tokenIds[i];
    const num = typeof v === 'bigint' ? Number(v) : v;
    if (typeof num !== 'number' || !Number.isInteger(num)) {
      throw hubtokError('HUBTOK_EINVAL', 'token_ids must be a non-empty array of integers.');
    }
    // Ids outside the vocabulary decode to nothing, as in the Rust library.
    if (num >= 0 && num <= 0xffffffff) out[n++] = num;
  }
  return n === out.length ? out : out.subarray(0, n);
}

class PreTrainedTokenizer {
  // new PreTrainedTokenizer(tokenizerJSON, tokenizerConfig), as in
  // transformers.js: tokenizerJSON is the parsed tokenizer.json (or its
  // text); tokenizerConfig the parsed tokenizer_config.json.
  constructor(tokenizerJSON, tokenizerConfig = {}) {
    let handle;
    if (tokenizerJSON && tokenizerJSON[kLoaded]) {
      handle = tokenizerJSON[kLoaded];
    } else if (typeof tokenizerJSON === 'string') {
      handle = native.loadTokenizerJson(tokenizerJSON);
    } else if (tokenizerJSON && typeof tokenizerJSON === 'object') {
      handle = native.loadTokenizerJson(JSON.stringify(tokenizerJSON));
    } else {
      throw invalidArgument('tokenizerJSON must be the parsed tokenizer.json object or its text.');
    }
    Object.defineProperty(this, kNative, { value: handle });
    const config = tokenizerConfig ?? {};
    this.config = config;

    this.added_tokens = native.addedTokens(handle);
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
    for (const t of this.additional_special_tokens) {
      if (!this.special_tokens.includes(t)) this.special_tokens.push(t);
    }

    for (const name of ['mask', 'pad', 'sep', 'unk', 'bos', 'eos', 'cls']) {
      const key = `${name}_token`;
      const token = name === 'pad'
        ? tokenFromConfig(config, 'pad_token', 'eos_token')
        : tokenFromConfig(config, key);
      this[key] = token;
      this[`${key}_id`] = token === null || token === undefined ? undefined : this.#tokenToId(token);
    }

    this.model_max_length = config.model_max_length;
    this.remove_space = config.remove_space;
    this.clean_up_tokenization_spaces = config.clean_up_tokenization_spaces ?? true;
    this.do_lowercase_and_remove_accent = config.do_lowercase_and_remove_accent ?? false;
    this.padding_side = config.padding_side ?? 'right';
    this.legacy = config.legacy;
    this.chat_template = config.chat_template ?? null;
    this.return_token_type_ids = this.constructor.return_token_type_ids ?? false;
  }

  #tokenToId(token) {
    return native.tokenToId(this[kNative], token);
  }

  // Loads tokenizer.json and tokenizer_config.json (see lib/hub.js) and
  // builds this class (no class lookup, as transformers.js).
  static async from_pretrained(pretrained_model_name_or_path, options = {}) {
    const files = await loadTokenizerFiles(pretrained_model_name_or_path, options ?? {});
    const handle = await loadHandle(files);
    return new this({ [kLoaded]: handle }, files.config);
  }

  #encode(text, pair, addSpecialTokens, flags) {
    if (typeof text !== 'string') {
      throw invalidArgument('text must be a string.');
    }
    if (pair !== null && typeof pair !== 'string') {
      throw invalidArgument('text_pair must be a string or null.');
    }
    return native.encode(this[kNative], text, pair, addSpecialTokens !== false, flags);
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
    return Array.from(this.#encode(text, textPair, add_special_tokens, 0).ids);
  }

  // tokenize(text, { pair, add_special_tokens = false }) -> string[]
  tokenize(text, { pair = null, add_special_tokens = false } = {}) {
    return this.#encode(text, pair, add_special_tokens, 1).tokens;
  }

  decode(token_ids, decode_args = {}) {
    return this.decode_single(toIdArray(token_ids), decode_args ?? {});
  }

  decode_single(ids, { skip_special_tokens = false, clean_up_tokenization_spaces = null } = {}) {
    if (!(ids instanceof Uint32Array)) ids = toIdArray(ids);
    if (skip_special_tokens && this.additional_special_tokens.length) {
      const skip = new Set(this.all_special_ids);
      for (const t of this.additional_special_tokens) {
        const id = this.#tokenToId(t);
        if (id !== undefined) skip.add(id);
      }
      ids = ids.filter((id) => !skip.has(id));
    }
    let text = native.decode(this[kNative], ids, !!skip_special_tokens);
    if (clean_up_tokenization_spaces ?? this.clean_up_tokenization_spaces) {
      text = cleanUpTokenization(text);
    }
    return text;
  }

  batch_decode(batch, decode_args = {}) {
    if (batch && !Array.isArray(batch) && Array.isArray(batch.dims) && batch.data) {
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
    if (typeof tokens === 'string') return this.#tokenToId(tokens);
    if (!Array.isArray(tokens)) throw invalidArgument('convert_tokens_to_ids expects a string or an array of strings.');
    return tokens.map((t) => this.#tokenToId(String(t)));
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
    for (const key of ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token']) {
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
}

// BERT-like classes return token_type_ids from _call (transformers.js).
const TOKEN_TYPE_CLASSES = ['BertTokenizer', 'AlbertTokenizer', 'MobileBertTokenizer', 'SqueezeBertTokenizer',
  'DebertaTokenizer', 'DebertaV2Tokenizer', 'HerbertTokenizer', 'ConvBertTokenizer', 'RoFormerTokenizer',
  'ElectraTokenizer', 'XLMTokenizer'];

// Every transformers.js tokenizer class name (v3 plus v2's Grok1 and v4's
// CohereAsr). Behaviour specific to a class beyond token_type_ids and
// Llama's padding side comes with the tokenizer API work.
const CLASS_NAMES = [
  ...TOKEN_TYPE_CLASSES, 'LlamaTokenizer', 'CodeLlamaTokenizer', 'BloomTokenizer', 'MarianTokenizer',
  'MBartTokenizer', 'MBart50Tokenizer', 'NllbTokenizer', 'M2M100Tokenizer', 'WhisperTokenizer', 'VitsTokenizer',
  'GPT2Tokenizer', 'GemmaTokenizer', 'BlenderbotTokenizer', 'BlenderbotSmallTokenizer', 'T5Tokenizer',
  'RobertaTokenizer', 'XLMRobertaTokenizer', 'BartTokenizer', 'DistilBertTokenizer', 'CamembertTokenizer',
  'MPNetTokenizer', 'FalconTokenizer', 'GPTNeoXTokenizer', 'EsmTokenizer', 'Qwen2Tokenizer', 'Grok1Tokenizer',
  'CohereTokenizer', 'CodeGenTokenizer', 'CLIPTokenizer', 'SiglipTokenizer', 'Wav2Vec2CTCTokenizer',
  'SpeechT5Tokenizer', 'NougatTokenizer', 'MgpstrTokenizer', 'CohereAsrTokenizer',
];

const classes = {};
for (const name of CLASS_NAMES) {
  const cls = { [name]: class extends PreTrainedTokenizer {} }[name];
  if (TOKEN_TYPE_CLASSES.includes(name)) cls.return_token_type_ids = true;
  classes[name] = cls;
}
// transformers.js v3/v4: LlamaTokenizer pads on the left whatever the config.
classes.LlamaTokenizer = class LlamaTokenizer extends PreTrainedTokenizer {
  constructor(tokenizerJSON, tokenizerConfig) {
    super(tokenizerJSON, tokenizerConfig);
    this.padding_side = 'left';
  }
};

class AutoTokenizer {
  // Picks the class from tokenizer_config.json's tokenizer_class (minus
  // "Fast"); unknown classes fall back to PreTrainedTokenizer with a
  // warning, as transformers.js does.
  static async from_pretrained(pretrained_model_name_or_path, options = {}) {
    const files = await loadTokenizerFiles(pretrained_model_name_or_path, options ?? {});
    const { config } = files;
    const handle = await loadHandle(files);
    const name = config.tokenizer_class?.replace(/Fast$/, '') ?? 'PreTrainedTokenizer';
    let cls = name === 'PreTrainedTokenizer' ? PreTrainedTokenizer : classes[name];
    if (!cls) {
      console.warn(`Unknown tokenizer class "${name}", attempting to construct from base class.`);
      cls = PreTrainedTokenizer;
    }
    return new cls({ [kLoaded]: handle }, config);
  }
}

module.exports = { PreTrainedTokenizer, AutoTokenizer, ...classes, TokenizersBackend: PreTrainedTokenizer };
