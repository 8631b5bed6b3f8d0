{
  "targets": [
    {
      "target_name": "hubtok",
      "sources": [
        "src/error.c",
        # --- binding (N-API; the only files that include node_api.h)
        "src/binding/binding.c",
        # --- tokenizer engine
        "src/util/buf.c",
        "src/util/scratch.c",
        "src/util/file.c",
        "src/util/json.c",
        "src/util/regex.c",
        "src/util/strmap.c",
        "src/util/utf8.c",
        "src/util/unicode.c",
        "src/util/trie.c",
        "src/util/image.c",
        "src/util/base64.c",
        "src/util/byte_level.c",
        "src/util/regex_unicode.c",
        "src/tokenizer/normalized.c",
        "src/tokenizer/added_vocab.c",
        "src/tokenizer/encoding.c",
        "src/tokenizer/tokenizer.c",
        "src/normalizers/normalizer.c",
        "src/normalizers/prepend.c",
        "src/normalizers/replace.c",
        "src/normalizers/unicode.c",
        "src/normalizers/lowercase.c",
        "src/normalizers/strip.c",
        "src/normalizers/bert.c",
        "src/normalizers/byte_level.c",
        "src/normalizers/precompiled.c",
        "src/pre_tokenizers/pre_tokenizer.c",
        "src/pre_tokenizers/metaspace.c",
        "src/pre_tokenizers/whitespace_split.c",
        "src/pre_tokenizers/byte_level.c",
        "src/pre_tokenizers/split.c",
        "src/pre_tokenizers/bert.c",
        "src/pre_tokenizers/whitespace.c",
        "src/pre_tokenizers/punctuation.c",
        "src/pre_tokenizers/digits.c",
        "src/pre_tokenizers/delimiter.c",
        "src/pre_tokenizers/fixed_length.c",
        "src/pre_tokenizers/unicode_scripts.c",
        "src/models/model.c",
        "src/models/bpe.c",
        "src/models/word_cache.c",
        "src/models/unigram.c",
        "src/models/vocab.c",
        "src/models/wordpiece.c",
        "src/models/wordlevel.c",
        "src/processors/processor.c",
        "src/processors/template.c",
        "src/processors/byte_level.c",
        "src/processors/roberta.c",
        "src/processors/bert.c",
        "src/decoders/decoder.c",
        "src/decoders/replace.c",
        "src/decoders/byte_fallback.c",
        "src/decoders/fuse.c",
        "src/decoders/strip.c",
        "src/decoders/wordpiece.c",
        "src/convert/wordpiece.c",
        "src/convert/convert.c",
        "src/convert/spm_model.c",
        "src/convert/sentencepiece.c",
        "src/decoders/metaspace.c",
        "src/decoders/ctc.c",
        "src/decoders/bpe_decoder.c",
        "src/decoders/byte_level.c",
        "src/convert/bpe_files.c",
        # --- hub client (the only files that include curl.h: hub/http.c)
        "src/hub/hub.c",
        "src/hub/http.c",
        "src/hub/cache.c",
        "src/hub/digest.c",
      ],
      "include_dirs": ["src"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter",
                 "-fvisibility=hidden", "<!@(pkg-config --cflags libcurl libcjson libutf8proc oniguruma libcrypto)"],
      "cflags!": ["-fno-exceptions"],
      # libcurl and libcrypto are not linked: hub/http.c and hub/digest.c
      # load them with dlopen on first use (their headers are still needed)
      "libraries": ["<!@(pkg-config --libs libcjson libutf8proc oniguruma)", "-ldl"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": {
            "OTHER_CFLAGS": ["-std=gnu11", "<!@(pkg-config --cflags libcurl libcjson libutf8proc oniguruma libcrypto)"]
          }
        }]
      ]
    }
  ]
}
