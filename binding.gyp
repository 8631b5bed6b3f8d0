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
        "src/util/json.c",
        "src/util/regex.c",
        "src/util/strmap.c",
        "src/util/utf8.c",
        "src/util/trie.c",
        "src/util/base64.c",
        "src/util/byte_level.c",
        "src/tokenizer/normalized.c",
        "src/tokenizer/added_vocab.c",
        "src/tokenizer/encoding.c",
        "src/tokenizer/tokenizer.c",
        "src/normalizers/normalizer.c",
        "src/normalizers/prepend.c",
        "src/normalizers/replace.c",
        "src/normalizers/precompiled.c",
        "src/pre_tokenizers/pre_tokenizer.c",
        "src/pre_tokenizers/byte_level.c",
        "src/pre_tokenizers/split.c",
        "src/models/model.c",
        "src/models/bpe.c",
        "src/models/unigram.c",
        "src/processors/processor.c",
        "src/processors/template.c",
        "src/decoders/decoder.c",
        "src/decoders/replace.c",
        "src/decoders/byte_fallback.c",
        "src/decoders/fuse.c",
        "src/decoders/strip.c",
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
      "libraries": ["<!@(pkg-config --libs libcurl libcjson libutf8proc oniguruma libcrypto)"],
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
