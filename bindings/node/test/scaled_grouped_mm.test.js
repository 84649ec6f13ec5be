'use strict';
// torch.nn.functional.scaled_grouped_mm through the addon: values against a
// plain JavaScript triple loop (random shapes, strided and broadcast
// layouts, every floating dtype), the forms of the scale, the scale == 1
// identity with bmm, empty shapes, and gradients against finite differences.

const test = require('node:test');
const assert = require('node:assert/strict');
const torch = require('..');
const { makeRandom, referenceScaledBmm, randomNested, valuesOf, flatten } = require('./reference');

const F = torch.nn.functional;
const SIZES = [0, 1, 2, 3, 5, 7, 13, 17, 33];
const UNIT_ROUNDOFF = { float64: 2 ** -53, float32: 2 ** -24, bfloat16: 2 ** -24, float16: 2 ** -24 };
// Rounding of the result itself to a 16-bit type (half an ulp, with slack).
const OUTPUT_ROUNDING = { float64: 0, float32: 2 ** -24, bfloat16: 2 ** -8, float16: 2 ** -10 };

function pick(random, values) {
  return values[Math.floor(random() * values.length)];
}

// Builds input [b, m, k] and weight [b, k, n] in the requested layout and
// returns them with their logical values (row-major) as the tensors hold them.
function makeOperands(random, [b, m, k, n], dtype, layout) {
  // Flat values reshaped, since nested arrays cannot spell a zero size
  // followed by more dimensions.
  const random3d = (shape) =>
    torch.tensor(randomNested(random, [shape[0] * shape[1] * shape[2]]), { dtype }).reshape(shape);
  let input;
  let weight;
  if (layout.inputTransposed) {
    input = random3d([b, k, m]).transpose(1, 2);
  } else {
    input = random3d([b, m, k]);
  }
  if (layout.weightBroadcast) {
    weight = random3d([1, k, n]).expand(b, k, n);
  } else if (layout.weightTransposed) {
    weight = random3d([b, n, k]).transpose(1, 2);
  } else {
    weight = random3d([b, k, n]);
  }
  return { input, weight, a: valuesOf(input), w: valuesOf(weight) };
}

function assertClose(got, expected, magnitude, dtype, k, context) {
  assert.equal(got.length, expected.length, `${context}: element count`);
  const accumulation = (k + 2) * 2 * UNIT_ROUNDOFF[dtype];
  for (let i = 0; i < got.length; ++i) {
    const tolerance = accumulation * magnitude[i] + 2 * OUTPUT_ROUNDING[dtype] * Math.abs(expected[i]) + 1e-300;
    if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
      assert.fail(`${context}: element ${i}: expected ${expected[i]}, got ${got[i]} (tolerance ${tolerance})`);
    }
  }
}

test('values agree with a JavaScript triple loop on random shapes, layouts and dtypes', () => {
  const layouts = [
    {},
    { inputTransposed: true },
    { weightTransposed: true },
    { weightBroadcast: true },
    { inputTransposed: true, weightTransposed: true },
  ];
  for (const dtype of ['float64', 'float32', 'bfloat16', 'float16']) {
    for (let trial = 0; trial < 12; ++trial) {
      const seed = 1000 * trial + dtype.length;
      const random = makeRandom(seed);
      const shape = [pick(random, [1, 2, 3]), pick(random, SIZES), pick(random, SIZES), pick(random, SIZES)];
      const layout = layouts[trial % layouts.length];
      const scale = pick(random, [1.0, 0.125, -2.5, 0.1]);
      const { input, weight, a, w } = makeOperands(random, shape, dtype, layout);
      const out = F.scaled_grouped_mm(input, weight, scale);
      const context = `dtype ${dtype}, shape [b, m, k, n] = [${shape}], layout ${JSON.stringify(layout)}, ` +
        `scale ${scale}, seed ${seed}`;
      assert.deepEqual(out.shape, [shape[0], shape[1], shape[3]], context);
      assert.equal(out.dtype, dtype, context);
      const { out: expected, magnitude } = referenceScaledBmm(a, w, scale, shape);
      assertClose(valuesOf(out), expected, magnitude, dtype, shape[2], context);
    }
  }
});

test('every form of the scale gives the same result', () => {
  const random = makeRandom(7);
  const { input, weight } = makeOperands(random, [3, 4, 5, 6], 'float32', {});
  const byNumber = F.scaled_grouped_mm(input, weight, 0.25);
  const forms = {
    'a 0-d tensor': torch.tensor(0.25),
    'an options object with a number': { scale: 0.25 },
    'an options object with a tensor': { scale: torch.tensor(0.25) },
  };
  for (const [name, scale] of Object.entries(forms)) {
    assert.ok(torch.equal(F.scaled_grouped_mm(input, weight, scale), byNumber), name);
  }
  // The scale is multiplicative: 0.25 * (input @ weight).
  const unscaled = valuesOf(F.scaled_grouped_mm(input, weight));
  assert.deepEqual(valuesOf(byNumber), unscaled.map((x) => Math.fround(x * 0.25)));
});

test('scale 1 (given, defaulted or in options) is bit-identical to bmm', () => {
  const random = makeRandom(11);
  for (const dtype of ['float32', 'float64']) {
    const { input, weight } = makeOperands(random, [4, 9, 17, 5], dtype, { weightTransposed: true });
    const product = input.bmm(weight);
    assert.ok(torch.equal(F.scaled_grouped_mm(input, weight, 1.0), product), `${dtype}: scale 1.0`);
    assert.ok(torch.equal(F.scaled_grouped_mm(input, weight), product), `${dtype}: no scale`);
    assert.ok(torch.equal(F.scaled_grouped_mm(input, weight, { scale: 1 }), product), `${dtype}: { scale: 1 }`);
    assert.ok(torch.equal(torch.bmm(input, weight), product), `${dtype}: torch.bmm`);
    assert.ok(torch.equal(input.matmul(weight), product), `${dtype}: matmul`);
  }
});

test('empty shapes give empty results and k = 0 gives zeros', () => {
  assert.deepEqual(F.scaled_grouped_mm(torch.randn(0, 3, 4), torch.randn(0, 4, 5), 2).shape, [0, 3, 5]);
  assert.deepEqual(F.scaled_grouped_mm(torch.randn(2, 0, 4), torch.randn(2, 4, 5), 2).shape, [2, 0, 5]);
  assert.deepEqual(F.scaled_grouped_mm(torch.randn(2, 3, 4), torch.randn(2, 4, 0), 2).shape, [2, 3, 0]);
  const zeroK = F.scaled_grouped_mm(torch.randn(2, 3, 0), torch.randn(2, 0, 5), 2);
  assert.deepEqual(zeroK.shape, [2, 3, 5]);
  assert.deepEqual(valuesOf(zeroK), new Array(30).fill(0));
});

test('NaN and Infinity in the scale propagate', () => {
  const input = torch.ones(1, 2, 2);
  const weight = torch.ones(1, 2, 2);
  assert.ok(valuesOf(F.scaled_grouped_mm(input, weight, NaN)).every(Number.isNaN));
  assert.deepEqual(valuesOf(F.scaled_grouped_mm(input, weight, Infinity)), new Array(4).fill(Infinity));
});

test('the out option writes into the given tensor and returns it', () => {
  const input = torch.tensor([[[1, 2], [3, 4]]]);
  const weight = torch.tensor([[[5, 6], [7, 8]]]);
  const out = torch.zeros(1, 2, 2);
  const result = F.scaled_grouped_mm(input, weight, { scale: 0.5, out });
  assert.equal(result, out);
  assert.deepEqual(out.tolist(), [[[9.5, 11], [21.5, 25]]]);
});

test('no_grad records no graph; otherwise the result requires grad', () => {
  const input = torch.randn(2, 3, 4, { requires_grad: true });
  const weight = torch.randn(2, 4, 5);
  assert.equal(F.scaled_grouped_mm(input, weight, 0.5).requires_grad, true);
  const detached = torch.no_grad(() => F.scaled_grouped_mm(input, weight, 0.5));
  assert.equal(detached.requires_grad, false);
  assert.equal(torch.is_grad_enabled(), true, 'no_grad restores the grad mode');
});

// Central differences of loss(x) = sum(scaled_grouped_mm(input, weight, scale) * probe),
// perturbing each element of a float64 leaf in place through its
// zero-copy toArray() view.
function finiteDifferenceGradient(leaf, loss) {
  const values = leaf.toArray();
  const gradient = new Float64Array(values.length);
  const step = 1e-6;
  for (let i = 0; i < values.length; ++i) {
    const saved = values[i];
    values[i] = saved + step;
    const up = loss();
    values[i] = saved - step;
    const down = loss();
    values[i] = saved;
    gradient[i] = (up - down) / (2 * step);
  }
  return gradient;
}

test('gradients of input, weight and a tensor scale agree with finite differences (float64)', () => {
  const random = makeRandom(23);
  for (const layout of [{}, { weightTransposed: true }, { inputTransposed: true }]) {
    const options = { dtype: 'float64', requires_grad: true };
    // Leaves are contiguous so toArray() views their memory; the layout under
    // test is the view handed to the operation.
    const inputLeaf = torch.tensor(randomNested(random, layout.inputTransposed ? [2, 4, 3] : [2, 3, 4]), options);
    const weightLeaf = torch.tensor(randomNested(random, layout.weightTransposed ? [2, 5, 4] : [2, 4, 5]), options);
    const scale = torch.tensor(0.7, options);
    const probe = torch.tensor(randomNested(random, [2, 3, 5]), { dtype: 'float64' });
    const forward = () => {
      const input = layout.inputTransposed ? inputLeaf.transpose(1, 2) : inputLeaf;
      const weight = layout.weightTransposed ? weightLeaf.transpose(1, 2) : weightLeaf;
      return F.scaled_grouped_mm(input, weight, scale).mul(probe).sum();
    };
    const loss = () => torch.no_grad(() => forward().item());
    forward().backward();
    for (const [name, leaf] of [['input', inputLeaf], ['weight', weightLeaf], ['scale', scale]]) {
      const analytic = valuesOf(leaf.grad);
      const numeric = finiteDifferenceGradient(leaf, loss);
      assert.deepEqual(leaf.grad.shape, leaf.shape, `${name} grad shape`);
      for (let i = 0; i < numeric.length; ++i) {
        const tolerance = 1e-6 * (1 + Math.abs(numeric[i]));
        assert.ok(Math.abs(analytic[i] - numeric[i]) <= tolerance,
          `${name} gradient ${i} (layout ${JSON.stringify(layout)}): analytic ${analytic[i]}, numeric ${numeric[i]}`);
      }
    }
  }
});

test('a number scale gets no gradient while the tensors do', () => {
  const input = torch.randn(2, 3, 4, { dtype: 'float64', requires_grad: true });
  const weight = torch.randn(2, 4, 5, { dtype: 'float64', requires_grad: true });
  F.scaled_grouped_mm(input, weight, 0.5).sum().backward();
  assert.deepEqual(input.grad.shape, [2, 3, 4]);
  assert.deepEqual(weight.grad.shape, [2, 4, 5]);
  // d sum(s * a @ w) / d a[b, i, p] = s * sum_j w[b, p, j]
  const expected = [];
  const w = weight.tolist();
  for (let b = 0; b < 2; ++b) {
    for (let i = 0; i < 3; ++i) {
      for (let p = 0; p < 4; ++p) expected.push(0.5 * w[b][p].reduce((x, y) => x + y, 0));
    }
  }
  const got = flatten(input.grad.tolist());
  for (let i = 0; i < expected.length; ++i) assert.ok(Math.abs(got[i] - expected[i]) < 1e-12, `element ${i}`);
});
