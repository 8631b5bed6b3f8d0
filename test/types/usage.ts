// Compiled by test/types.test.js with `tsc --noEmit --strict`: code written
// for transformers.js v3's tokenizer API, plus hubtok's additions, must
// type-check against lib/index.d.ts (through the package's "exports").
import {
  AutoTokenizer, PreTrainedTokenizer, LlamaTokenizer, BertTokenizer, WhisperTokenizer, MarianTokenizer,
  NllbTokenizer, MBart50Tokenizer, M2M100Tokenizer, VitsTokenizer, Tensor, DecodeStream, env,
  type BatchEncoding, type Message, type HubtokError,
} from 'hubtok';

export async function main(): Promise<void> {
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained('TinyLlama/TinyLlama-1.1B-Chat-v1.0', {
    revision: 'main', local_files_only: true, progress_callback: (p) => { void p.status; },
  });
  const llama: LlamaTokenizer = await LlamaTokenizer.from_pretrained('./model');

  // Callable, as in transformers.js.
  const out = tokenizer(['Hello world!', 'Hi'], { padding: true, truncation: true, max_length: 16 });
  const ids: Tensor = out.input_ids;
  const dims: number[] = ids.dims;
  const big: bigint = (ids.data as BigInt64Array)[0];
  const rows: any[] = out.attention_mask.tolist();
  const arrays = tokenizer('Hello', { return_tensor: false });
  const flat: number[] = arrays.input_ids;
  const nested = tokenizer(['a', 'b'], { return_tensor: false, padding: 'max_length', max_length: 4 });
  const grid: number[][] = nested.input_ids;
  const withTypes: BatchEncoding = tokenizer('a', { text_pair: 'b', return_token_type_ids: true });
  void withTypes.token_type_ids;

  // Python-style options.
  const py = tokenizer(['a long text'], {
    truncation: 'only_first', max_length: 8, stride: 2, return_overflowing_tokens: true,
    return_offsets_mapping: true, pad_to_multiple_of: 8, padding: true, padding_side: 'left', truncation_side: 'right',
  });
  const words: (number | null)[] = py.word_ids(0);
  void py.overflow_to_sample_mapping;

  // encode / decode.
  const a: number[] = tokenizer.encode('Hello', { text_pair: 'world', add_special_tokens: false });
  const b: number[] = tokenizer.encode('Hello', 'world', { add_special_tokens: true });
  const tokens: string[] = tokenizer.tokenize('Hello', { add_special_tokens: true });
  const text: string = tokenizer.decode(ids.data.length ? [1, 2, 3] : [1n], { skip_special_tokens: true });
  const texts: string[] = tokenizer.batch_decode(ids, { clean_up_tokenization_spaces: false });
  const fromTensor: string = llama.decode(new Tensor('int64', new BigInt64Array([1n, 2n]), [1, 2]));
  const vocab: Map<string, number> = tokenizer.get_vocab();
  const one: number | undefined = tokenizer.convert_tokens_to_ids('▁Hello');
  const many: (string | undefined)[] = tokenizer.convert_ids_to_tokens([1, 2]);
  const specials: string[] = tokenizer.all_special_tokens;
  const maxLen: number | undefined = tokenizer.model_max_length;

  // Chat templates.
  const chat: Message[] = [{ role: 'user', content: 'Hi' }];
  const prompt: string = tokenizer.apply_chat_template(chat, { tokenize: false, add_generation_prompt: true });
  const chatIds: Tensor = tokenizer.apply_chat_template(chat, { add_generation_prompt: true });
  const chatArr: number[] = tokenizer.apply_chat_template(chat, { return_tensor: false });
  const chatDict: BatchEncoding = tokenizer.apply_chat_template(chat, { return_dict: true, tools: [{ type: 'function' }], documents: [{ title: 't', text: 'x' }], custom: 1 });
  const template: string = tokenizer.get_chat_template({ chat_template: 'default' });

  // Streaming, async and batch.
  const stream: DecodeStream = tokenizer.decode_stream({ skip_special_tokens: true });
  let streamed: string = stream.step(15043) + stream.step([3186n, 29991]);
  streamed += stream.flush();
  const later: BatchEncoding = await tokenizer.call_async(['a', 'b'], { padding: true });
  const batchIds: number[][] = await tokenizer.encode_batch(['a', 'b'], { text_pair: ['c', null] });

  // Class-specific.
  const whisper = await WhisperTokenizer.from_pretrained('openai/whisper-tiny');
  const ts: string = whisper.decode([50364, 50414], { decode_with_timestamps: true, time_precision: 0.02 });
  const begin: number = whisper.timestamp_begin;
  const marian = await MarianTokenizer.from_pretrained('Helsinki-NLP/opus-mt-en-ROMANCE');
  const codes: string[] = marian.supported_language_codes;
  const nllb = await NllbTokenizer.from_pretrained('facebook/nllb-200-distilled-600M');
  const kwargs: { src_lang?: string; tgt_lang: string; forced_bos_token_id?: number } = { src_lang: 'eng_Latn', tgt_lang: 'fra_Latn' };
  nllb._build_translation_inputs('Hello', { padding: true }, kwargs);
  const m50: MBart50Tokenizer = await MBart50Tokenizer.from_pretrained('x/y');
  const langs: string[] = m50.language_codes.concat((await M2M100Tokenizer.from_pretrained('x/z')).language_codes);
  const vits = new VitsTokenizer({}, {});
  const bert: BertTokenizer = new BertTokenizer('{}', { model_max_length: 512 });
  const base: PreTrainedTokenizer = bert;

  try {
    tokenizer.decode([]);
  } catch (e) {
    const err = e as HubtokError;
    const code: string = err.code;
    void code;
  }
  void [dims, big, rows, flat, grid, words, a, b, tokens, text, texts, fromTensor, vocab, one, many, specials, maxLen,
    prompt, chatIds, chatArr, chatDict, template, streamed, later, batchIds, ts, begin, codes, langs, vits, base];
}
