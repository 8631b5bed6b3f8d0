'use strict';
// Chat templates, rendered with @huggingface/jinja (the renderer
// transformers.js uses). The template choice rules live on the tokenizer
// (get_chat_template); this file holds the loading and rendering helpers.

const { hubtokError } = require('./errors');

// The renderer is required on the first chat template only: most
// processes never render one, and it costs about 1.3 MB of RSS.
let Template = null;

// tokenizer_config.json's chat_template: a string, or a list of
// { name, template } turned into a dict (as transformers.js does).
function chatTemplateDict(value) {
  if (!Array.isArray(value)) return value;
  const dict = Object.create(null);
  for (const item of value) {
    const { name, template } = item ?? {};
    if (typeof name !== 'string' || typeof template !== 'string') {
      throw hubtokError('HUBTOK_EINVAL', 'Chat template must be a list of objects with "name" and "template" properties');
    }
    dict[name] = template;
  }
  return dict;
}

// Render `template` with `context`; compiled templates are cached per
// string in `cache` (a Map owned by the tokenizer).
function renderChatTemplate(cache, template, context) {
  try {
    let compiled = cache.get(template);
    if (compiled === undefined) {
      if (!Template) ({ Template } = require('@huggingface/jinja'));
      compiled = new Template(template);
      cache.set(template, compiled);
    }
    return compiled.render(context);
  } catch (err) {
    // jinja's own errors (syntax, raise_exception): message unchanged, a
    // stable code added.
    if (err && typeof err === 'object' && err.code === undefined) err.code = 'HUBTOK_ETEMPLATE';
    throw err;
  }
}

module.exports = { chatTemplateDict, renderChatTemplate };
