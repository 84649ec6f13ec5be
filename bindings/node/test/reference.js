'use strict';
// Plain JavaScript references the tests compare the addon against: a
// triple-loop batched matmul in float64 and a seeded random generator, so
// every failure can be replayed from the printed seed.

// Mulberry32: a small seeded generator of uniform [0, 1) numbers.
function makeRandom(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// a: batch*m*k values, w: batch*k*n values, both row-major. Returns out
// (batch*m*n) = scale * a @ w per batch, and magnitude = |scale| * sum |a||w|
// per element, which bounds how far rounding can move the result.
function referenceScaledBmm(a, w, scale, [batch, m, k, n]) {
  const out = new Float64Array(batch * m * n);
  const magnitude = new Float64Array(batch * m * n);
  for (let b = 0; b < batch; ++b) {
    for (let i = 0; i < m; ++i) {
      for (let j = 0; j < n; ++j) {
        let sum = 0;
        let abs = 0;
        for (let p = 0; p < k; ++p) {
          const product = a[(b * m + i) * k + p] * w[(b * k + p) * n + j];
          sum += product;
          abs += Math.abs(product);
        }
        out[(b * m + i) * n + j] = sum * scale;
        magnitude[(b * m + i) * n + j] = abs * Math.abs(scale);
      }
    }
  }
  return { out, magnitude };
}

// Flattens nested arrays (tolist() output) in row-major order.
function flatten(nested) {
  const result = [];
  (function walk(value) {
    if (Array.isArray(value)) value.forEach(walk);
    else result.push(value);
  })(nested);
  return result;
}

// A tensor of the given shape filled from random (uniform in [-1, 1)),
// made through torch.tensor from nested arrays, so the values the test
// knows are exactly the values the tensor holds (after rounding to dtype).
function randomNested(random, shape) {
  if (shape.length === 0) return random() * 2 - 1;
  const [first, ...rest] = shape;
  const result = [];
  for (let i = 0; i < first; ++i) result.push(randomNested(random, rest));
  return result;
}

module.exports = { makeRandom, referenceScaledBmm, flatten, randomNested };

// Decoders for the raw 16-bit patterns toArray() returns for bfloat16 and
// float16, written independently of the library's own conversions.
const conversionView = new DataView(new ArrayBuffer(4));
function bfloat16BitsToNumber(bits) {
  conversionView.setUint32(0, bits << 16);
  return conversionView.getFloat32(0);
}
function float16BitsToNumber(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// A tensor's values in row-major order as plain numbers.
function valuesOf(tensor) {
  const array = tensor.toArray();
  if (tensor.dtype === 'bfloat16') return Array.from(array, bfloat16BitsToNumber);
  if (tensor.dtype === 'float16') return Array.from(array, float16BitsToNumber);
  if (tensor.dtype === 'int64') return Array.from(array, Number);
  return Array.from(array);
}

module.exports.valuesOf = valuesOf;
module.exports.bfloat16BitsToNumber = bfloat16BitsToNumber;
module.exports.float16BitsToNumber = float16BitsToNumber;
