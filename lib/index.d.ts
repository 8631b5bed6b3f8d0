// Type declarations for hubtok: the transformers.js tokenizer API.

export interface Env {
  /** hubtok's version. */
  readonly version: string;
  allowRemoteModels: boolean;
  /** Hub endpoint; null: HF_ENDPOINT, else https://huggingface.co. */
  remoteHost: string | null;
  /** Accepted for compatibility; hubtok always uses {model}/resolve/{revision}/. */
  remotePathTemplate: string;
  allowLocalModels: boolean;
  localModelPath: string;
  useFS: boolean;
  useFSCache: boolean;
  /** Hub cache root; null: HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub. */
  cacheDir: string | null;
  useBrowserCache: boolean;
  useCustomCache: boolean;
  customCache: unknown;
}

export const env: Env;
export const version: string;

export type ProgressInfo =
  | { status: 'initiate'; name: string; file: string }
  | { status: 'download'; name: string; file: string }
  | { status: 'progress'; name: string; file: string; progress: number; loaded: number; total: number }
  | { status: 'done'; name: string; file: string };

export interface PretrainedOptions {
  /** Branch, tag or commit (default 'main'). */
  revision?: string;
  /** Folder inside the repo holding the tokenizer files. */
  subfolder?: string;
  /** Hub cache root for this call. */
  cache_dir?: string | null;
  /** Never touch the network. */
  local_files_only?: boolean;
  progress_callback?: ((info: ProgressInfo) => void) | null;
  /** Access token for this call (multi-tenant servers); false: anonymous. */
  token?: string | false | null;
  /** Accepted and ignored, as in transformers.js. */
  config?: unknown;
  legacy?: boolean | null;
}

export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export interface EncodeOptions {
  text_pair?: string | null;
  add_special_tokens?: boolean;
  return_token_type_ids?: boolean | null;
}

export interface DecodeOptions {
  skip_special_tokens?: boolean;
  clean_up_tokenization_spaces?: boolean | null;
}

export interface WhisperDecodeOptions extends DecodeOptions {
  /** Render timestamp tokens as <|t.tt|>. */
  decode_with_timestamps?: boolean;
  /** Seconds per timestamp step (default 0.02). */
  time_precision?: number;
}

export interface TensorLike {
  dims: number[];
  data: ArrayLike<number | bigint>;
}

export type TokenIds = ArrayLike<number | bigint> | TensorLike;

export type TensorType = 'int64' | 'int32' | 'float32' | 'float64' | 'uint8' | 'int8' | 'bool';

/** transformers.js's Tensor as tokenizers return it: int64 ids and masks. */
export class Tensor {
  constructor(type: TensorType, data: ArrayLike<number | bigint> | BigInt64Array, dims: number[]);
  readonly type: TensorType;
  readonly data: BigInt64Array | Int32Array | Float32Array | Float64Array | Uint8Array | Int8Array;
  readonly dims: number[];
  readonly size: number;
  /** Nested arrays of the dims' shape (bigint for int64). */
  tolist(): any[];
}

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
export type PaddingStrategy = boolean | 'max_length' | 'longest' | 'do_not_pad';

/** Options of tokenizer(text, options): transformers.js v3's, then Python's. */
export interface CallOptions {
  text_pair?: string | string[] | null;
  add_special_tokens?: boolean;
  /** true: to the longest; 'max_length': to max_length. */
  padding?: PaddingStrategy;
  /** true: cut the end (transformers.js); a strategy: as the Rust library. */
  truncation?: boolean | TruncationStrategy | null;
  max_length?: number | null;
  /** Tensors (default) or plain arrays. */
  return_tensor?: boolean;
  return_token_type_ids?: boolean | null;
  /** Python: overlap between overflowing windows. */
  stride?: number;
  /** Python: the cut parts as extra rows, with overflow_to_sample_mapping. */
  return_overflowing_tokens?: boolean;
  /** Python: [start, end) of each token in code points of its sequence. */
  return_offsets_mapping?: boolean;
  return_special_tokens_mask?: boolean;
  return_attention_mask?: boolean;
  pad_to_multiple_of?: number | null;
  padding_side?: 'left' | 'right' | null;
  truncation_side?: 'left' | 'right' | null;
}

type Column<T> = T extends Tensor ? Tensor : T;

/** The result of tokenizer(...): Tensors, or arrays with return_tensor: false. */
export interface BatchEncoding<T = Tensor | number[] | number[][]> {
  input_ids: T;
  attention_mask: T;
  token_type_ids?: T;
  special_tokens_mask?: T;
  /** [batch, seq, 2] */
  offset_mapping?: Column<T> | [number, number][] | [number, number][][];
  overflow_to_sample_mapping?: Column<T> | number[];
  /** Python's BatchEncoding.word_ids(batch_index): null for special/padding tokens. */
  word_ids(batch_index?: number): (number | null)[];
}

export interface Message {
  role: string;
  content?: string;
  [key: string]: unknown;
}

export interface ChatTemplateOptions {
  tools?: object[] | null;
  documents?: Record<string, string>[] | null;
  chat_template?: string | null;
  add_generation_prompt?: boolean;
  tokenize?: boolean;
  padding?: PaddingStrategy;
  truncation?: boolean | TruncationStrategy;
  max_length?: number | null;
  return_tensor?: boolean;
  return_dict?: boolean;
  tokenizer_kwargs?: CallOptions;
  [kwarg: string]: unknown;
}

export interface DecodeStreamOptions {
  skip_special_tokens?: boolean;
  clean_up_tokenization_spaces?: boolean | null;
}

/** Incremental decoding: text comes out only when complete. */
export class DecodeStream {
  constructor(tokenizer: PreTrainedTokenizer, options?: DecodeStreamOptions);
  /** Feed one id or several; returns the newly completed text ('' if none). */
  step(ids: number | bigint | ArrayLike<number | bigint>): string;
  /** End of stream: the rest (as decode() renders it). */
  flush(): string;
}

/** Errors thrown by hubtok carry a stable code ("HUBTOK_..."). */
export interface HubtokError extends Error {
  code: string;
  /** Final HTTP status, for Hub errors. */
  status?: number;
  /** The Hub's X-Error-Code (GatedRepo, RepoNotFound, ...). */
  serverErrorCode?: string;
  /** The Hub's X-Error-Message. */
  serverErrorMessage?: string;
  /** Byte offset in a malformed JSON file. */
  pos?: number;
}

export interface PreTrainedTokenizer {
  /** The tokenizer is callable: tokenizer(text, options) is _call(text, options). */
  (text: string | string[], options?: CallOptions & { return_tensor?: true }): BatchEncoding<Tensor>;
  (text: string, options: CallOptions & { return_tensor: false }): BatchEncoding<number[]>;
  (text: string[], options: CallOptions & { return_tensor: false }): BatchEncoding<number[][]>;
  (text: string | string[], options?: CallOptions): BatchEncoding;
}

export class PreTrainedTokenizer {
  constructor(tokenizerJSON: object | string, tokenizerConfig?: Record<string, unknown>);
  static from_pretrained<T extends typeof PreTrainedTokenizer>(
    this: T, pretrained_model_name_or_path: string, options?: PretrainedOptions): Promise<InstanceType<T>>;

  config: Record<string, any>;
  added_tokens: AddedToken[];
  special_tokens: string[];
  all_special_ids: number[];
  additional_special_tokens: string[];
  readonly all_special_tokens: string[];
  readonly vocab_size: number;
  bos_token: string | null; bos_token_id: number | undefined;
  eos_token: string | null; eos_token_id: number | undefined;
  unk_token: string | null; unk_token_id: number | undefined;
  pad_token: string | null; pad_token_id: number | undefined;
  sep_token: string | null; sep_token_id: number | undefined;
  cls_token: string | null; cls_token_id: number | undefined;
  mask_token: string | null; mask_token_id: number | undefined;
  /** A double: Llama-2 configs hold 1e30. */
  model_max_length: number | undefined;
  padding_side: 'left' | 'right';
  truncation_side: 'left' | 'right';
  clean_up_tokenization_spaces: boolean;
  remove_space: boolean | undefined;
  do_lowercase_and_remove_accent: boolean;
  add_bos_token: boolean | undefined;
  add_eos_token: boolean | undefined;
  legacy: boolean | undefined;
  chat_template: string | Record<string, string> | null;
  return_token_type_ids: boolean;

  _call(text: string | string[], options?: CallOptions): BatchEncoding;
  /** tokenizer(text, options) with the tokenization on a worker thread. */
  call_async(text: string | string[], options?: CallOptions): Promise<BatchEncoding>;
  encode(text: string, options?: EncodeOptions): number[];
  /** transformers.js v2 form. */
  encode(text: string, text_pair: string | null, options?: EncodeOptions): number[];
  /** Ids of many texts, encoded on a worker thread. */
  encode_batch(texts: string[], options?: { text_pair?: (string | null)[] | null; add_special_tokens?: boolean }): Promise<number[][]>;
  tokenize(text: string, options?: { pair?: string | null; add_special_tokens?: boolean }): string[];
  decode(token_ids: TokenIds, options?: DecodeOptions): string;
  decode_single(token_ids: ArrayLike<number | bigint>, options?: DecodeOptions): string;
  batch_decode(batch: ArrayLike<number | bigint>[] | TensorLike, options?: DecodeOptions): string[];
  decode_stream(options?: DecodeStreamOptions): DecodeStream;
  get_vocab(): Map<string, number>;
  convert_tokens_to_ids(tokens: string): number | undefined;
  convert_tokens_to_ids(tokens: string[]): (number | undefined)[];
  convert_ids_to_tokens(ids: number | bigint): string | undefined;
  convert_ids_to_tokens(ids: ArrayLike<number | bigint>): (string | undefined)[];
  get_chat_template(options?: { chat_template?: string | null; tools?: object[] | null }): string;
  apply_chat_template(conversation: Message[], options: ChatTemplateOptions & { tokenize: false }): string;
  apply_chat_template(conversation: Message[], options: ChatTemplateOptions & { return_dict: true }): BatchEncoding;
  apply_chat_template(conversation: Message[], options: ChatTemplateOptions & { return_tensor: false }): number[];
  apply_chat_template(conversation: Message[], options?: ChatTemplateOptions): Tensor;
}

export class TokenizersBackend extends PreTrainedTokenizer {}

export class AutoTokenizer {
  static from_pretrained(pretrained_model_name_or_path: string, options?: PretrainedOptions): Promise<PreTrainedTokenizer>;
}

export class BertTokenizer extends PreTrainedTokenizer {}
export class AlbertTokenizer extends PreTrainedTokenizer {}
export class MobileBertTokenizer extends PreTrainedTokenizer {}
export class SqueezeBertTokenizer extends PreTrainedTokenizer {}
export class DebertaTokenizer extends PreTrainedTokenizer {}
export class DebertaV2Tokenizer extends PreTrainedTokenizer {}
export class HerbertTokenizer extends PreTrainedTokenizer {}
export class ConvBertTokenizer extends PreTrainedTokenizer {}
export class RoFormerTokenizer extends PreTrainedTokenizer {}
export class ElectraTokenizer extends PreTrainedTokenizer {}
export class XLMTokenizer extends PreTrainedTokenizer {}
export class LlamaTokenizer extends PreTrainedTokenizer {}
export class CodeLlamaTokenizer extends PreTrainedTokenizer {}
export class BloomTokenizer extends PreTrainedTokenizer {}
export class MarianTokenizer extends PreTrainedTokenizer {
  languageRegex: RegExp;
  supported_language_codes: string[];
}
export class MBartTokenizer extends PreTrainedTokenizer {
  languageRegex: RegExp;
  language_codes: string[];
  lang_to_token(lang: string): string;
  /** transformers.js: validates the codes, sets generate_kwargs.forced_bos_token_id, encodes. */
  _build_translation_inputs(raw_inputs: string | string[], tokenizer_options: CallOptions,
    generate_kwargs: { src_lang?: string; tgt_lang: string; forced_bos_token_id?: number; [k: string]: unknown }): BatchEncoding;
}
export class MBart50Tokenizer extends MBartTokenizer {}
export class NllbTokenizer extends PreTrainedTokenizer {
  languageRegex: RegExp;
  language_codes: string[];
  lang_to_token(lang: string): string;
  /** transformers.js: validates the codes, sets generate_kwargs.forced_bos_token_id, encodes. */
  _build_translation_inputs(raw_inputs: string | string[], tokenizer_options: CallOptions,
    generate_kwargs: { src_lang?: string; tgt_lang: string; forced_bos_token_id?: number; [k: string]: unknown }): BatchEncoding;
}
export class M2M100Tokenizer extends PreTrainedTokenizer {
  languageRegex: RegExp;
  language_codes: string[];
  lang_to_token(lang: string): string;
  /** transformers.js: validates the codes, sets generate_kwargs.forced_bos_token_id, encodes. */
  _build_translation_inputs(raw_inputs: string | string[], tokenizer_options: CallOptions,
    generate_kwargs: { src_lang?: string; tgt_lang: string; forced_bos_token_id?: number; [k: string]: unknown }): BatchEncoding;
}
export class WhisperTokenizer extends PreTrainedTokenizer {
  readonly timestamp_begin: number;
  decode(token_ids: TokenIds, options?: WhisperDecodeOptions): string;
}
export class VitsTokenizer extends PreTrainedTokenizer {}
export class GPT2Tokenizer extends PreTrainedTokenizer {}
export class GemmaTokenizer extends PreTrainedTokenizer {}
export class BlenderbotTokenizer extends PreTrainedTokenizer {}
export class BlenderbotSmallTokenizer extends PreTrainedTokenizer {}
export class T5Tokenizer extends PreTrainedTokenizer {}
export class RobertaTokenizer extends PreTrainedTokenizer {}
export class XLMRobertaTokenizer extends PreTrainedTokenizer {}
export class BartTokenizer extends PreTrainedTokenizer {}
export class DistilBertTokenizer extends PreTrainedTokenizer {}
export class CamembertTokenizer extends PreTrainedTokenizer {}
export class MPNetTokenizer extends PreTrainedTokenizer {}
export class FalconTokenizer extends PreTrainedTokenizer {}
export class GPTNeoXTokenizer extends PreTrainedTokenizer {}
export class EsmTokenizer extends PreTrainedTokenizer {}
export class Qwen2Tokenizer extends PreTrainedTokenizer {}
export class Grok1Tokenizer extends PreTrainedTokenizer {}
export class CohereTokenizer extends PreTrainedTokenizer {}
export class CodeGenTokenizer extends PreTrainedTokenizer {}
export class CLIPTokenizer extends PreTrainedTokenizer {}
export class SiglipTokenizer extends PreTrainedTokenizer {}
export class Wav2Vec2CTCTokenizer extends PreTrainedTokenizer {}
export class SpeechT5Tokenizer extends PreTrainedTokenizer {}
export class NougatTokenizer extends PreTrainedTokenizer {}
export class MgpstrTokenizer extends PreTrainedTokenizer {}
export class CohereAsrTokenizer extends PreTrainedTokenizer {}

declare const hubtok: {
  env: Env;
  version: string;
  AutoTokenizer: typeof AutoTokenizer;
  PreTrainedTokenizer: typeof PreTrainedTokenizer;
  Tensor: typeof Tensor;
  DecodeStream: typeof DecodeStream;
  [className: string]: unknown;
};
export default hubtok;
