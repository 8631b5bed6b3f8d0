'use strict';
// Deterministic generated inputs for the differential tests: every script,
// all Unicode planes, emoji sequences, combining marks, whitespace runs,
// controls, lone surrogates, special tokens inside text and near misses,
// long words and a long document. Same seed, same strings, every run.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Hello', 'world', 'the', 'quick', 'brown', 'fox', "don't", "it's", 'I', 'a', 'tokenizer',
  'Führer', 'naïve', 'café', 'œuvre', 'straße', 'İstanbul', 'ΑΒΓ', 'σοφία', 'ΣΟΦΟΣ', 'привет', 'мир',
  'مرحبا', 'שלום', 'नमस्ते', 'สวัสดี', '你好', '世界', '日本語', 'カタカナ', 'ひらがな', '안녕하세요',
  'ÅÄÖ', '½', '①', 'ﬁ', 'Ⅻ', 'x²', '3333', '123456789', '0.5', '1e10', 'https://example.com/a?b=c',
  'user@example.com', '#include', 'def', 'foo_bar', 'camelCase', 'CONST', '<html>', '{"a": 1}'];
const PUNCT = ['.', ',', '!', '?', ';', ':', '-', '--', '...', '(', ')', '[', ']', '{', '}', '"', "'", '`',
  '/', '\\', '@', '#', '$', '%', '^', '&', '*', '+', '=', '~', '|', '<', '>', '«', '»', '—', '…', '¿', '¡'];
const SPACES = [' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', '\r', ' \n ', '\u00a0', '\u3000', '\u2028',
  '\u2029', '\u200b', '\u2009', '\u202f', '\ufeff', '\v', '\f', '\u0085'];
const EMOJI = ['🦙', '😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '❤️', '🤦🏼‍♂️', '🧑🏿‍💻', '☺', '✨', '𝕳𝖊𝖑𝖑𝖔', '🀄', '🫠'];
const COMBINING = ['\u0301', '\u0300', '\u0308', '\u0327', '\u20dd', '\u0489', '\u1ab0', '\ufe0f', '\u200d', '\u0654'];
const CONTROLS = ['\u0000', '\u0001', '\u0007', '\u0008', '\u001b', '\u001f', '\u007f', '\u0080', '\u009f'];
const SURROGATES = ['\ud800', '\udfff', '\ud83d', '\ude00', 'a\ud800b', '\udc00\ud800'];

// Code point ranges: one per script or plane region.
const RANGES = [[0x20, 0x7e], [0xa0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x530, 0x58f], [0x590, 0x5ff],
  [0x600, 0x6ff], [0x900, 0x97f], [0x980, 0x9ff], [0xe00, 0xe7f], [0x10a0, 0x10ff], [0x1100, 0x11ff],
  [0x1e00, 0x1eff], [0x2000, 0x206f], [0x20a0, 0x20cf], [0x2100, 0x214f], [0x2190, 0x23ff], [0x2500, 0x27bf],
  [0x3040, 0x30ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xe000, 0xf8ff], [0xf900, 0xfaff],
  [0xfb00, 0xfb4f], [0xfe30, 0xfe4f], [0xff00, 0xffef], [0xfff0, 0xffff], [0x10000, 0x1007f],
  [0x10300, 0x1034f], [0x1d400, 0x1d7ff], [0x1f300, 0x1faff], [0x20000, 0x2a6df], [0x2f800, 0x2fa1f],
  [0x30000, 0x3134f], [0xe0000, 0xe007f], [0xf0000, 0xf00ff], [0x10fff0, 0x10ffff]];

function generateStrings({ seed = 1234, count = 3000, specials = [] } = {}) {
  const rnd = mulberry32(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const int = (n) => Math.floor(rnd() * n);
  const cp = () => {
    const [lo, hi] = pick(RANGES);
    return String.fromCodePoint(lo + int(hi - lo + 1));
  };
  const near = specials.flatMap((s) => [s, s.slice(1), s.slice(0, -1), ` ${s} `, s.toUpperCase(), s + s,
    s.slice(0, 1) + ' ' + s.slice(1)]);
  const parts = [
    () => pick(WORDS), () => pick(WORDS), () => pick(WORDS), () => pick(PUNCT), () => pick(SPACES),
    () => pick(SPACES), () => pick(EMOJI), () => pick(WORDS) + pick(COMBINING), () => pick(COMBINING),
    () => pick(CONTROLS), () => cp(), () => cp(), () => cp() + cp() + cp(), () => String(int(1e6)),
    () => (near.length ? pick(near) : pick(WORDS)), () => pick(SURROGATES), () => ' '.repeat(1 + int(20)),
  ];
  const out = ['', ' ', '  ', '\n', '\t', 'Hello world!', ' Hello world!', 'Hello  world', '▁', '▁▁a',
    '<0x41>', 'a'.repeat(10000), 'ab '.repeat(3000), '🦙'.repeat(500), 'e\u0301'.repeat(400),
    '\u0301'.repeat(2000), 'e' + '\u0301\u0302\u0323\u0327'.repeat(300), ' '.repeat(5000), 'x'.repeat(100) + ' ' + 'y'.repeat(100), ...specials,
    ...SURROGATES, ...CONTROLS, ...SPACES];
  while (out.length < count) {
    const n = 1 + int(rnd() < 0.1 ? 60 : 12);
    let s = '';
    for (let i = 0; i < n; i++) {
      s += pick(parts)();
      if (rnd() < 0.5) s += ' ';
    }
    out.push(s);
  }
  // A long document (~40 KB) made of the pieces above.
  let doc = '';
  while (doc.length < 40000) doc += pick(WORDS) + pick([' ', ' ', ' ', '\n', ', ', '. ']);
  out.push(doc);
  return out;
}

// Pairs for encode(text, pair).
function generatePairs(strings, { seed = 99, count = 300 } = {}) {
  const rnd = mulberry32(seed);
  const pairs = [];
  for (let i = 0; i < count; i++) {
    pairs.push([strings[Math.floor(rnd() * strings.length)], strings[Math.floor(rnd() * strings.length)]]);
  }
  return pairs;
}

// llama.cpp's vocab test files: inputs separated by __ggml_vocab_test__,
// one line of space-prefixed ids per input.
function readLlamaCppVocabTest(base) {
  const fs = require('node:fs');
  const inp = fs.readFileSync(`${base}.inp`, 'utf8').split('\n__ggml_vocab_test__\n');
  inp.pop(); // after the last separator
  const out = fs.readFileSync(`${base}.out`, 'utf8').split('\n');
  return inp.map((text, i) => ({
    text,
    ids: out[i].trim() === '' ? [] : out[i].trim().split(/\s+/).map(Number),
  }));
}

module.exports = { generateStrings, generatePairs, readLlamaCppVocabTest, mulberry32 };
