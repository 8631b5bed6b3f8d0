'use strict';
// Chat templates against transformers.js v3: TinyLlama's real template,
// templates written here for tools and documents, templates as a string, a
// name, a list of { name, template }, and chat_template.jinja next to the
// tokenizer files; get_chat_template and transformers.js's errors.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const hubtok = require('../lib/index.js');
const { FIXTURES, loadTjs, readFixture, plain } = require('./helpers/tjs.js');

const LLAMA = 'TinyLlama--TinyLlama-1.1B-Chat-v1.0';
const json = readFixture(LLAMA);
const config = readFixture(LLAMA, 'tokenizer_config.json');

const CONVERSATIONS = [
  [{ role: 'user', content: 'Hello, how are you?' }],
  [
    { role: 'system', content: 'You are a friendly chatbot who always responds in the style of a pirate' },
    { role: 'user', content: 'How many helicopters can a human eat in one sitting?' },
    { role: 'assistant', content: 'Arr, none, matey! 🦜' },
    { role: 'user', content: 'Tell me more.' },
  ],
];

// A tool-use template in the style of Llama 3.1 / Qwen 2.5 (tojson, loops,
// namespace, conditionals on tools).
const TOOLS_TEMPLATE = `{%- if tools %}
{{- '<|system|>\\nYou can call these tools:\\n' }}
{%- for tool in tools %}
{{- tool | tojson }}
{{- '\\n' }}
{%- endfor %}
{{- eos_token }}
{%- endif %}
{%- set ns = namespace(calls=0) %}
{%- for message in messages %}
{%- if message.role == 'assistant' and message.tool_calls %}
{%- for call in message.tool_calls %}{%- set ns.calls = ns.calls + 1 %}
{{- '<|assistant|>\\n<tool_call>' + call.function.name + '(' + (call.function.arguments | tojson) + ')</tool_call>' + eos_token }}
{%- endfor %}
{%- elif message.role == 'tool' %}
{{- '<|tool|>\\n' + message.content + eos_token }}
{%- else %}
{{- '<|' + message.role + '|>\\n' + message.content + eos_token }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|assistant|>\\n' }}{%- endif %}
{{- '<!-- calls: ' ~ ns.calls ~ ' -->' }}`;

// A RAG template in the style of Command-R (documents with title/text).
const DOCUMENTS_TEMPLATE = `{{ bos_token }}
{%- if documents %}
{{- '<|system|>\\nDocuments:\\n' }}
{%- for doc in documents %}
{{- 'Document ' ~ loop.index0 ~ ': ' ~ doc.title | upper ~ '\\n' ~ doc.text | trim ~ '\\n' }}
{%- endfor %}
{{- eos_token }}
{%- endif %}
{%- for message in messages %}
{{- '<|' + message['role'] + '|>\\n' + message['content'] | trim + eos_token }}
{%- endfor %}
{%- if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}
{%- if custom_flag is defined %}[{{ custom_flag }}]{% endif %}`;

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
        required: ['location'],
      },
    },
  },
];
const TOOL_CONVERSATION = [
  { role: 'user', content: 'What is the weather in Paris?' },
  { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'get_current_weather', arguments: { location: 'Paris, France', unit: 'celsius' } } }] },
  { role: 'tool', content: '{"temperature": 22}' },
];
const DOCUMENTS = [
  { title: 'Tides', text: '  The tide rises twice a day.  ' },
  { title: 'Moon', text: 'The moon pulls the sea.' },
];

function both(fn) {
  const run = (f) => {
    try {
      return { value: plain(f()) };
    } catch (err) {
      return { error: err.message };
    }
  };
  return run;
}

let T;
test.before(async () => {
  T = await loadTjs();
});

function pairOf(Cls = 'LlamaTokenizer', cfg = config, j = json) {
  return [new T[Cls](j, cfg), new hubtok[Cls](j, cfg)];
}

// Ids: transformers.js encodes the text after a special token without the
// Prepend normalizer's "▁" ("</s>\n" -> [2, 13]); the Rust library
// normalizes every section ([2, 29871, 13]). The Rust library wins, so the
// transformers.js tokenizer used for expected values gets its tokens from
// the Rust library (its padding, truncation, tensor and dict rules stay).
const { Tokenizer } = require('tokenizers');
const rust = Tokenizer.fromFile(path.join(FIXTURES, LLAMA, 'tokenizer.json'));
const rustTokens = new Map();
function rustBacked(theirs) {
  theirs._tokenize_helper = (text, { pair = null, add_special_tokens = false } = {}) => {
    const hit = rustTokens.get(JSON.stringify([text, pair, add_special_tokens]));
    if (!hit) throw new Error(`no Rust encoding prepared for ${JSON.stringify(text)}`);
    return hit;
  };
  return theirs;
}
async function prepareRust(text) {
  const e = await rust.encode(text, null, { addSpecialTokens: false });
  rustTokens.set(JSON.stringify([text, null, false]), { tokens: e.getTokens(), token_type_ids: Array.from(e.getTypeIds()) });
}

async function same(theirs, ours, conversation, options) {
  const run = both();
  const text = run(() => theirs.apply_chat_template(conversation, { ...options, tokenize: false }));
  if (text.value !== undefined) await prepareRust(text.value);
  const want = run(() => rustBacked(theirs).apply_chat_template(conversation, { ...options }));
  const got = run(() => ours.apply_chat_template(conversation, { ...options }));
  assert.deepEqual(got, want, JSON.stringify(options));
  return want;
}

test('TinyLlama\'s template: text, ids, tensors, dicts, padding and truncation as transformers.js', async () => {
  const [theirs, ours] = pairOf();
  let n = 0;
  for (const conversation of CONVERSATIONS) {
    for (const add_generation_prompt of [false, true]) {
      for (const extra of [{ tokenize: false }, {}, { return_tensor: false }, { return_dict: true },
        { return_dict: true, return_tensor: false }, { truncation: true, max_length: 10 },
        { padding: 'max_length', max_length: 80, return_tensor: false }, { tokenizer_kwargs: { return_token_type_ids: true } }]) {
        await same(theirs, ours, conversation, { add_generation_prompt, ...extra });
        n++;
      }
    }
  }
  assert.equal(n, 32);
  // Where transformers.js's own ids differ (the Rust library wins).
  const plainTjs = new T.LlamaTokenizer(json, config);
  assert.deepEqual(plainTjs.apply_chat_template(CONVERSATIONS[0], { return_tensor: false }).slice(-2), [2, 13]);
  assert.deepEqual(ours.apply_chat_template(CONVERSATIONS[0], { return_tensor: false }).slice(-3), [2, 29871, 13]);
  // Exact text.
  assert.equal(ours.apply_chat_template(CONVERSATIONS[0], { tokenize: false, add_generation_prompt: true }),
    '<|user|>\nHello, how are you?</s>\n<|assistant|>\n');
  assert.deepEqual(ours.apply_chat_template(CONVERSATIONS[0], { return_tensor: false }).slice(0, 6), [529, 29989, 1792, 29989, 29958, 13]);
});

test('tools and documents templates, extra kwargs, template given as a string', async () => {
  const [theirs, ours] = pairOf();
  for (const opts of [
    { chat_template: TOOLS_TEMPLATE, tools: TOOLS, tokenize: false },
    { chat_template: TOOLS_TEMPLATE, tools: TOOLS, add_generation_prompt: true, return_tensor: false },
    { chat_template: TOOLS_TEMPLATE, tokenize: false },
    { chat_template: DOCUMENTS_TEMPLATE, documents: DOCUMENTS, tokenize: false },
    { chat_template: DOCUMENTS_TEMPLATE, documents: DOCUMENTS, add_generation_prompt: true, return_dict: true },
    { chat_template: DOCUMENTS_TEMPLATE, documents: DOCUMENTS, custom_flag: 'on', tokenize: false },
  ]) {
    await same(theirs, ours, opts.chat_template === TOOLS_TEMPLATE ? TOOL_CONVERSATION : CONVERSATIONS[1], opts);
  }
  const text = ours.apply_chat_template(TOOL_CONVERSATION, { chat_template: TOOLS_TEMPLATE, tools: TOOLS, tokenize: false });
  assert.ok(text.startsWith('<|system|>\nYou can call these tools:\n{"type": "function", "function": {"name": "get_current_weather"'), text);
  assert.ok(text.includes('<tool_call>get_current_weather({"location": "Paris, France", "unit": "celsius"})</tool_call></s>'), text);
  assert.ok(text.endsWith('<|tool|>\n{"temperature": 22}</s><!-- calls: 1 -->'), text);
  assert.equal(ours.apply_chat_template([{ role: 'user', content: ' Hi ' }], { chat_template: DOCUMENTS_TEMPLATE, documents: DOCUMENTS, tokenize: false, custom_flag: 7 }),
    '<s><|system|>\nDocuments:\nDocument 0: TIDES\nThe tide rises twice a day.\nDocument 1: MOON\nThe moon pulls the sea.\n</s><|user|>\nHi</s>[7]');
});

test('templates as a list of { name, template }: by name, tool_use with tools, default, and the errors', async () => {
  const list = [
    { name: 'default', template: config.chat_template },
    { name: 'tool_use', template: TOOLS_TEMPLATE },
    { name: 'rag', template: DOCUMENTS_TEMPLATE },
  ];
  const cfg = { ...config, chat_template: list };
  const [theirs, ours] = pairOf('LlamaTokenizer', cfg);
  assert.deepEqual({ ...ours.chat_template }, { ...theirs.chat_template });
  for (const opts of [{ tokenize: false }, { tokenize: false, tools: TOOLS }, { tokenize: false, chat_template: 'rag', documents: DOCUMENTS },
    { tokenize: false, chat_template: 'tool_use' }, { chat_template: 'rag', return_tensor: false }]) {
    await same(theirs, ours, TOOL_CONVERSATION.slice(0, 1), opts);
  }
  for (const opts of [{}, { chat_template: 'rag' }, { tools: TOOLS }, { chat_template: 'no-such-name' }]) {
    assert.equal(ours.get_chat_template(opts), theirs.get_chat_template(opts));
  }
  assert.equal(ours.get_chat_template({ tools: TOOLS }), TOOLS_TEMPLATE);
  // No default: transformers.js's error.
  const noDefault = { ...config, chat_template: list.slice(1) };
  const [t2, o2] = pairOf('LlamaTokenizer', noDefault);
  const want = both()(() => t2.apply_chat_template(CONVERSATIONS[0]));
  assert.match(want.error, /^This model has multiple chat templates with no default specified!/);
  assert.throws(() => o2.apply_chat_template(CONVERSATIONS[0]), { code: 'HUBTOK_EINVAL', message: want.error });
  // A malformed list.
  const bad = { ...config, chat_template: [{ name: 'x' }] };
  assert.throws(() => new T.LlamaTokenizer(json, bad), { message: 'Chat template must be a list of objects with "name" and "template" properties' });
  assert.throws(() => new hubtok.LlamaTokenizer(json, bad), { code: 'HUBTOK_EINVAL', message: 'Chat template must be a list of objects with "name" and "template" properties' });
});

test('no template (Whisper\'s config has none): transformers.js v3\'s error, no fallback', () => {
  const name = 'openai--whisper-tiny';
  const cfg = readFixture(name, 'tokenizer_config.json');
  const theirs = new T.WhisperTokenizer(readFixture(name), cfg);
  const want = both()(() => theirs.apply_chat_template(CONVERSATIONS[0]));
  assert.match(want.error, /^Cannot use apply_chat_template\(\) because tokenizer.chat_template is not set/);
  const [, ours] = pairOf('LlamaTokenizer', { ...config, chat_template: undefined });
  assert.throws(() => ours.apply_chat_template(CONVERSATIONS[0]), { code: 'HUBTOK_EINVAL', message: want.error });
  assert.throws(() => ours.get_chat_template(), { code: 'HUBTOK_EINVAL', message: want.error });
  // A template error from jinja surfaces as is (raise_exception).
  const raising = "{{ raise_exception('Only user messages') }}";
  const w2 = both()(() => theirs.apply_chat_template(CONVERSATIONS[0], { chat_template: raising }));
  assert.throws(() => ours.apply_chat_template(CONVERSATIONS[0], { chat_template: raising }), { code: 'HUBTOK_ETEMPLATE', message: w2.error });
  const w3 = both()(() => theirs.apply_chat_template(CONVERSATIONS[0], { chat_template: '{% for %}' }));
  assert.throws(() => ours.apply_chat_template(CONVERSATIONS[0], { chat_template: '{% for %}' }), { code: 'HUBTOK_ETEMPLATE', message: w3.error });
});

test('chat_template.jinja beside the tokenizer files is loaded by from_pretrained and wins over the config', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubtok-chat-'));
  try {
    fs.symlinkSync(path.join(FIXTURES, LLAMA, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    let tok = await hubtok.AutoTokenizer.from_pretrained(dir);
    assert.equal(tok.get_chat_template(), config.chat_template);
    fs.writeFileSync(path.join(dir, 'chat_template.jinja'), DOCUMENTS_TEMPLATE);
    tok = await hubtok.AutoTokenizer.from_pretrained(dir);
    assert.equal(tok.get_chat_template(), DOCUMENTS_TEMPLATE);
    assert.equal(tok.config.chat_template, DOCUMENTS_TEMPLATE);
    const plainTok = await hubtok.PreTrainedTokenizer.from_pretrained(dir);
    assert.equal(plainTok.get_chat_template(), DOCUMENTS_TEMPLATE);
    // Rendered as transformers.js renders that template.
    const theirs = new T.LlamaTokenizer(json, { ...config, chat_template: DOCUMENTS_TEMPLATE });
    await same(theirs, tok, CONVERSATIONS[1], { documents: DOCUMENTS, add_generation_prompt: true, tokenize: false });
    await same(theirs, tok, CONVERSATIONS[1], { documents: DOCUMENTS, return_tensor: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
