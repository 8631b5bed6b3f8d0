'use strict';
// The minimal Tensor of transformers.js that tokenizers return: a type
// ('int64' for ids and masks), a flat typed array, dims. decode() and
// batch_decode() accept it back (and any object with the same shape).

const ARRAY_TYPES = {
  int64: BigInt64Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  bool: Uint8Array,
};

class Tensor {
  // new Tensor(type, data, dims), as transformers.js.
  constructor(type, data, dims) {
    const Ctor = ARRAY_TYPES[type];
    if (!Ctor) {
      const err = new TypeError(`Unsupported tensor type: ${type}`);
      err.code = 'HUBTOK_EINVAL';
      throw err;
    }
    if (!(data instanceof Ctor)) data = Ctor.from(data, type === 'int64' ? BigInt : undefined);
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      const err = new RangeError(`Tensor data length ${data.length} does not match dims [${dims.join(', ')}].`);
      err.code = 'HUBTOK_EINVAL';
      throw err;
    }
    this.type = type;
    this.data = data;
    this.dims = dims;
    this.size = size;
  }

  // Nested arrays of the dims' shape (BigInts for int64, as transformers.js).
  tolist() {
    const { data, dims } = this;
    if (dims.length === 0) return data[0];
    const build = (axis, start) => {
      const n = dims[axis];
      const out = new Array(n);
      if (axis === dims.length - 1) {
        for (let i = 0; i < n; i++) out[i] = data[start + i];
        return out;
      }
      let stride = 1;
      for (let a = axis + 1; a < dims.length; a++) stride *= dims[a];
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, start + i * stride);
      return out;
    };
    return build(0, 0);
  }

  get [Symbol.toStringTag]() {
    return 'Tensor';
  }
}

function isTensorLike(x) {
  return !!x && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x) &&
    Array.isArray(x.dims) && x.data !== undefined && x.data !== null;
}

module.exports = { Tensor, isTensorLike };
