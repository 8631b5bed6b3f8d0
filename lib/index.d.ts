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

export interface TensorLike {
  dims: number[];
  data: ArrayLike<number | bigint>;
}

export type TokenIds = ArrayLike<number | bigint> | TensorLike;

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
  model_max_length: number | undefined;
  padding_side: 'left' | 'right';
  clean_up_tokenization_spaces: boolean;
  remove_space: boolean | undefined;
  do_lowercase_and_remove_accent: boolean;
  legacy: boolean | undefined;
  chat_template: unknown;
  return_token_type_ids: boolean;

  encode(text: string, options?: EncodeOptions): number[];
  /** transformers.js v2 form. */
  encode(text: string, text_pair: string | null, options?: EncodeOptions): number[];
  tokenize(text: string, options?: { pair?: string | null; add_special_tokens?: boolean }): string[];
  decode(token_ids: TokenIds, options?: DecodeOptions): string;
  decode_single(token_ids: ArrayLike<number | bigint>, options?: DecodeOptions): string;
  batch_decode(batch: ArrayLike<number | bigint>[] | TensorLike, options?: DecodeOptions): string[];
  get_vocab(): Map<string, number>;
  convert_tokens_to_ids(tokens: string): number | undefined;
  convert_tokens_to_ids(tokens: string[]): (number | undefined)[];
  convert_ids_to_tokens(ids: number | bigint): string | undefined;
  convert_ids_to_tokens(ids: ArrayLike<number | bigint>): (string | undefined)[];
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
export class MarianTokenizer extends PreTrainedTokenizer {}
export class MBartTokenizer extends PreTrainedTokenizer {}
export class MBart50Tokenizer extends PreTrainedTokenizer {}
export class NllbTokenizer extends PreTrainedTokenizer {}
export class M2M100Tokenizer extends PreTrainedTokenizer {}
export class WhisperTokenizer extends PreTrainedTokenizer {}
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
  [className: string]: unknown;
};
export default hubtok;
