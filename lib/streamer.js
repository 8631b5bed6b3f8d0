'use strict';
// Incremental decoding for streamed generation: ids arrive one by one and
// only complete text comes out (never half of a UTF-8 character from
// byte-fallback tokens; Metaspace / Strip decoders handled by decoding a
// window that starts one emitted token back). The algorithm is the Rust
// library's DecodeStream (tokenizers/src/tokenizer/mod.rs
// step_decode_stream). The concatenation of everything returned by step()
// and flush() equals tokenizer.decode(all ids, same options).
//
// clean_up_tokenization_spaces (a pass over the whole text) is applied to
// the emitted text with a hold-back: text that a clean-up pattern could
// still change (from a space among the last characters) waits for more.

const { hubtokError } = require('./errors');

const CLEANUP_MAX = 4; // longest clean-up pattern: " n't"

function cleanUp(text) {
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

class DecodeStream {
  // new DecodeStream(tokenizer, { skip_special_tokens = false,
  //   clean_up_tokenization_spaces = tokenizer's setting })
  constructor(tokenizer, { skip_special_tokens = false, clean_up_tokenization_spaces = null } = {}) {
    this.tokenizer = tokenizer;
    this.skip_special_tokens = !!skip_special_tokens;
    this.clean_up_tokenization_spaces = !!(clean_up_tokenization_spaces ?? tokenizer.clean_up_tokenization_spaces);
    this.ids = [];
    this.prefix = '';
    this.prefixIndex = 0;
    this.pending = ''; // raw text held back for the clean-up pass
  }

  #decode(ids) {
    if (ids.length === 0) return '';
    return this.tokenizer.decode(ids, { skip_special_tokens: this.skip_special_tokens, clean_up_tokenization_spaces: false });
  }

  // Raw (no clean-up) new text for one id, or '' while incomplete.
  #stepRaw(id) {
    this.ids.push(id);
    const text = this.#decode(this.ids);
    if (text.length > this.prefix.length && !text.endsWith('\uFFFD')) {
      if (!text.startsWith(this.prefix)) {
        throw hubtokError('HUBTOK_EINVAL', 'DecodeStream: invalid prefix (the decoder rewrote text already emitted).');
      }
      const added = text.slice(this.prefix.length);
      const newPrefixIndex = this.ids.length - this.prefixIndex;
      this.ids = this.ids.slice(this.prefixIndex);
      this.prefix = this.#decode(this.ids);
      this.prefixIndex = newPrefixIndex;
      return added;
    }
    return '';
  }

  #emit(raw, final) {
    if (!this.clean_up_tokenization_spaces) return raw;
    const buf = this.pending + raw;
    if (final) {
      this.pending = '';
      return cleanUp(buf);
    }
    // Cut where no pattern (a space then up to 3 more chars) can straddle.
    let cut = buf.length;
    for (;;) {
      const from = Math.max(0, cut - (CLEANUP_MAX - 1));
      const sp = buf.indexOf(' ', from);
      if (sp === -1 || sp >= cut) break;
      cut = sp;
    }
    this.pending = buf.slice(cut);
    return cleanUp(buf.slice(0, cut));
  }

  // Feed one id (number or bigint) or several; returns the text completed
  // by them ('' when nothing is complete yet).
  step(ids) {
    const list = typeof ids === 'number' || typeof ids === 'bigint' ? [ids] : Array.from(ids);
    let raw = '';
    for (const v of list) {
      const id = typeof v === 'bigint' ? Number(v) : v;
      if (!Number.isInteger(id) || id < 0) {
        throw hubtokError('HUBTOK_EINVAL', 'DecodeStream.step: ids must be non-negative integers.', null, TypeError);
      }
      raw += this.#stepRaw(id);
    }
    return this.#emit(raw, false);
  }

  // End of stream: whatever is still held (an incomplete character decodes
  // to U+FFFD, as decode() does).
  flush() {
    const text = this.#decode(this.ids);
    const raw = text.length > this.prefix.length ? text.slice(this.prefix.length) : '';
    this.ids = [];
    this.prefix = '';
    this.prefixIndex = 0;
    return this.#emit(raw, true);
  }
}

module.exports = { DecodeStream };
