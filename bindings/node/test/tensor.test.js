'use strict';
// The Tensor object and the creation functions as JavaScript sees them:
// shapes, dtypes, values out (item, tolist, toArray) and in (tensor, from),
// the zero-copy paths and their lifetimes, views, printing and autograd.

const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const torch = require('..');
const { valuesOf } = require('./reference');

test('creation functions take sizes as arguments or as an array, and options', () => {
  for (const make of [torch.randn, torch.rand, torch.zeros, torch.ones, torch.empty]) {
    assert.deepEqual(make(2, 3).shape, [2, 3]);
    assert.deepEqual(make([2, 3]).shape, [2, 3]);
    assert.deepEqual(make(4, { dtype: 'float64' }).dtype, 'float64');
    assert.deepEqual(make([4], { dtype: torch.float64, requires_grad: true }).requires_grad, true);
    assert.deepEqual(make().shape, []);
  }
  assert.equal(torch.randn(2).dtype, 'float32');
  assert.deepEqual(torch.zeros(2, 2).tolist(), [[0, 0], [0, 0]]);
  assert.deepEqual(torch.ones(3).tolist(), [1, 1, 1]);
  assert.deepEqual(torch.full([2], 2.5).tolist(), [2.5, 2.5]);
  assert.deepEqual(torch.full([2], 7n).dtype, 'int64');
  assert.deepEqual(torch.arange(4).tolist(), [0, 1, 2, 3]);
  assert.equal(torch.arange(4).dtype, 'float32');
  assert.equal(torch.arange(4n).dtype, 'int64');
  assert.deepEqual(torch.arange(1, 2, 0.25).tolist(), [1, 1.25, 1.5, 1.75]);
  assert.equal(torch.arange(3, { dtype: 'float64' }).dtype, 'float64');
  const values = torch.rand(1000).tolist();
  assert.ok(values.every((x) => x >= 0 && x < 1));
});

test('manual_seed makes random tensors repeat', () => {
  torch.manual_seed(42);
  const first = torch.randn(5).tolist();
  torch.manual_seed(42);
  assert.deepEqual(torch.randn(5).tolist(), first);
  torch.manual_seed(43n);
  assert.notDeepEqual(torch.randn(5).tolist(), first);
});

test('tensor() infers shape and dtype from nested arrays and scalars', () => {
  const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.equal(t.numel(), 6);
  assert.equal(t.dim(), 2);
  assert.equal(t.ndim, 2);
  assert.deepEqual(t.size(), [2, 3]);
  assert.equal(t.size(-1), 3);
  assert.deepEqual(t.stride(), [3, 1]);
  assert.deepEqual(t.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(torch.tensor(1.5).item(), 1.5);
  assert.deepEqual(torch.tensor(1.5).shape, []);
  assert.equal(torch.tensor([true, false]).dtype, 'bool');
  assert.deepEqual(torch.tensor([true, false]).tolist(), [true, false]);
  assert.equal(torch.tensor([1n, 2n]).dtype, 'int64');
  assert.deepEqual(torch.tensor([1n, 2n]).toArray(), new BigInt64Array([1n, 2n]));
  assert.equal(torch.tensor([1, 2], { dtype: 'int32' }).dtype, 'int32');
  assert.deepEqual(torch.tensor([1.5, -2.5], { dtype: 'int32' }).tolist(), [1, -2]);
  assert.deepEqual(torch.tensor([]).shape, [0]);
  assert.deepEqual(torch.tensor(new Float64Array([1, 2])).dtype, 'float64');
  assert.deepEqual(torch.tensor(new Int32Array([1, 2]), { dtype: 'float32' }).tolist(), [1, 2]);
  const learnable = torch.tensor(1.5, { requires_grad: true });
  assert.equal(learnable.requires_grad, true);
  assert.equal(learnable.is_leaf, true);
  assert.equal(learnable.item(), 1.5);
});

test('toArray() gives the matching typed array for each dtype', () => {
  assert.ok(torch.ones(2).toArray() instanceof Float32Array);
  assert.ok(torch.ones(2, { dtype: 'float64' }).toArray() instanceof Float64Array);
  assert.ok(torch.ones(2, { dtype: 'int32' }).toArray() instanceof Int32Array);
  assert.ok(torch.ones(2, { dtype: 'int8' }).toArray() instanceof Int8Array);
  assert.ok(torch.ones(2, { dtype: 'int64' }).toArray() instanceof BigInt64Array);
  assert.ok(torch.ones(2, { dtype: 'bool' }).toArray() instanceof Uint8Array);
  // 16-bit floats come as their raw bit patterns: 1.0 is 0x3f80 in bfloat16, 0x3c00 in float16.
  assert.deepEqual(torch.ones(2, { dtype: 'bfloat16' }).toArray(), new Uint16Array([0x3f80, 0x3f80]));
  assert.deepEqual(torch.ones(2, { dtype: 'float16' }).toArray(), new Uint16Array([0x3c00, 0x3c00]));
  assert.deepEqual(torch.tensor([1.5, -2], { dtype: 'bfloat16' }).to('float32').tolist(), [1.5, -2]);
  assert.deepEqual(valuesOf(torch.tensor([0.1], { dtype: 'float16' })), [0.0999755859375]);
  assert.deepEqual(torch.zeros(0).toArray(), new Float32Array(0));
});

test('toArray() of a contiguous tensor views its memory; of a strided one, a copy', () => {
  const t = torch.zeros(2, 3);
  const view = t.toArray();
  view[4] = 7;
  assert.deepEqual(t.tolist(), [[0, 0, 0], [0, 7, 0]]);
  t.mul(1); // a new tensor; t is unchanged
  const transposed = t.transpose(0, 1);
  assert.equal(transposed.is_contiguous(), false);
  assert.deepEqual(Array.from(transposed.toArray()), [0, 0, 0, 7, 0, 0]);
  const copy = transposed.toArray();
  copy[0] = 99;
  assert.equal(t.tolist()[0][0], 0, 'writing into the copy leaves the tensor alone');
});

test('the memory behind toArray() outlives the tensor object', async () => {
  let array = (() => torch.full([1000], 3).toArray())();
  // The tensor object is unreachable now; collect it if gc is exposed.
  if (global.gc) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
    global.gc();
  }
  for (let i = 0; i < 50; ++i) torch.randn(1000);
  assert.ok(array.every((x) => x === 3));
  array = null;
});

test('from() wraps a typed array without copying, both ways', () => {
  const data = new Float32Array([1, 2, 3, 4, 5, 6]);
  const t = torch.from(data, [2, 3]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  data[0] = 10;
  assert.equal(t.tolist()[0][0], 10, 'the tensor sees writes to the array');
  t.toArray()[5] = 60;
  assert.equal(data[5], 60, 'the array sees writes through the tensor');
  assert.deepEqual(torch.from(new Float64Array(3)).shape, [3]);
  assert.equal(torch.from(new Float64Array(3)).dtype, 'float64');
  assert.equal(torch.from(new Uint16Array([0x3f80]), [1], { dtype: 'bfloat16' }).to('float32').item(), 1);
  assert.equal(torch.from(new Float64Array([2]), null, { requires_grad: true }).requires_grad, true);
  // A view into the middle of a buffer starts at its own offset.
  const buffer = new Float32Array([0, 1, 2, 3, 4, 5]);
  assert.deepEqual(torch.from(buffer.subarray(2, 5)).tolist(), [2, 3, 4]);
});

test('a tensor from() keeps the typed array\'s memory alive after the array is dropped', async () => {
  let t = (() => torch.from(new Float64Array([1, 2, 3]).fill(4)))();
  if (global.gc) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
    global.gc();
  }
  for (let i = 0; i < 50; ++i) new Float64Array(1000).fill(9);
  assert.deepEqual(t.tolist(), [4, 4, 4]);
  assert.deepEqual(t.mul(2).tolist(), [8, 8, 8]);
  t = null;
});

test('views share memory: transpose, permute, view, reshape, expand, select, narrow', () => {
  const t = torch.arange(24).reshape(2, 3, 4);
  assert.deepEqual(t.shape, [2, 3, 4]);
  assert.deepEqual(t.transpose(1, 2).shape, [2, 4, 3]);
  assert.deepEqual(t.transpose(1, 2).contiguous().stride(), [12, 3, 1]);
  assert.deepEqual(t.permute(2, 0, 1).shape, [4, 2, 3]);
  assert.deepEqual(t.permute([2, 0, 1]).shape, [4, 2, 3]);
  assert.deepEqual(t.view(6, -1).shape, [6, 4]);
  assert.deepEqual(t.reshape([-1]).shape, [24]);
  assert.deepEqual(torch.ones(1, 3).expand(4, 3).stride(), [0, 1]);
  assert.deepEqual(t.select(0, 1).shape, [3, 4]);
  assert.deepEqual(t.narrow(2, 1, 2).shape, [2, 3, 2]);
  assert.deepEqual(t.unsqueeze(0).shape, [1, 2, 3, 4]);
  assert.deepEqual(t.unsqueeze(0).squeeze(0).shape, [2, 3, 4]);
  assert.deepEqual(torch.tensor([[1, 2], [3, 4]]).t().tolist(), [[1, 3], [2, 4]]);
  assert.deepEqual(t.transpose(0, 2).tolist()[1][2], [9, 21]);
  const contiguous = torch.randn(2, 2);
  assert.equal(contiguous.contiguous(), contiguous, 'contiguous() of a contiguous tensor is itself');
  assert.equal(contiguous.to('float32'), contiguous, 'to() the same dtype is itself');
  assert.equal(contiguous.to(torch.float64).dtype, 'float64');
});

test('arithmetic, reductions and matmul', () => {
  const a = torch.tensor([[1, 2], [3, 4]]);
  const b = torch.tensor([[10, 20], [30, 40]]);
  assert.deepEqual(a.add(b).tolist(), [[11, 22], [33, 44]]);
  assert.deepEqual(a.add(1).tolist(), [[2, 3], [4, 5]]);
  assert.deepEqual(b.sub(a).tolist(), [[9, 18], [27, 36]]);
  assert.deepEqual(a.mul(2).tolist(), [[2, 4], [6, 8]]);
  assert.deepEqual(b.div(a).tolist(), [[10, 10], [10, 10]]);
  assert.deepEqual(a.neg().tolist(), [[-1, -2], [-3, -4]]);
  assert.deepEqual(torch.add(a, torch.tensor([100, 200])).tolist(), [[101, 202], [103, 204]]);
  assert.deepEqual(torch.mul(a, 3).tolist(), [[3, 6], [9, 12]]);
  assert.equal(a.sum().item(), 10);
  assert.equal(a.mean().item(), 2.5);
  assert.deepEqual(a.sum(0).tolist(), [4, 6]);
  assert.deepEqual(a.sum(1, true).shape, [2, 1]);
  assert.deepEqual(torch.mean(a, -1).tolist(), [1.5, 3.5]);
  assert.deepEqual(a.matmul(b).tolist(), [[70, 100], [150, 220]]);
  assert.deepEqual(torch.matmul(a, torch.tensor([1, 1])).tolist(), [3, 7]);
  assert.deepEqual(a.unsqueeze(0).bmm(b.unsqueeze(0)).tolist(), [[[70, 100], [150, 220]]]);
  assert.ok(torch.allclose(a, a.add(1e-9)));
  assert.ok(!torch.equal(a, b));
});

test('toString() and util.inspect print like torch', () => {
  const t = torch.tensor([[1, 2], [3, 4]], { dtype: 'float64' });
  assert.equal(t.toString(), t.toString());
  assert.match(t.toString(), /^tensor\(\[\[1\., 2\.\],\s*\[3\., 4\.\]\], dtype=torch\.float64\)$/);
  assert.equal(util.inspect(t), t.toString());
  assert.equal(`${torch.tensor(1.5)}`, 'tensor(1.5000)');
  assert.match(torch.tensor(1.5, { requires_grad: true }).toString(), /requires_grad=True/);
});

test('backward fills grad; detach, requires_grad and no_grad behave as in torch', () => {
  const x = torch.tensor([1, 2, 3], { requires_grad: true });
  assert.equal(x.grad, null);
  const y = x.mul(x).sum();
  assert.equal(y.requires_grad, true);
  assert.equal(y.is_leaf, false);
  y.backward();
  assert.deepEqual(x.grad.tolist(), [2, 4, 6]);
  x.grad = null;
  assert.equal(x.grad, null);
  assert.equal(x.detach().requires_grad, false);
  const z = torch.ones(2);
  z.requires_grad = true;
  assert.equal(z.requires_grad, true);
  assert.equal(z.requires_grad_(false), z);
  assert.equal(z.requires_grad, false);
  torch.no_grad(() => {
    assert.equal(torch.is_grad_enabled(), false);
    assert.equal(x.mul(2).requires_grad, false);
    torch.enable_grad(() => assert.equal(x.mul(2).requires_grad, true));
  });
  assert.equal(torch.is_grad_enabled(), true);
  assert.throws(() => torch.no_grad(() => { throw new Error('inside'); }), /inside/);
  assert.equal(torch.is_grad_enabled(), true, 'no_grad restores the mode when fn throws');
  const w = torch.ones(3, { requires_grad: true });
  w.mul(2).backward(torch.tensor([1, 2, 3]));
  assert.deepEqual(w.grad.tolist(), [2, 4, 6]);
});

test('threads and dtype constants', () => {
  const before = torch.get_num_threads();
  torch.set_num_threads(1);
  assert.equal(torch.get_num_threads(), 1);
  torch.set_num_threads(before);
  assert.equal(torch.get_num_threads(), before);
  assert.equal(torch.float32, 'float32');
  assert.equal(torch.float, 'float32');
  assert.equal(torch.float64, 'float64');
  assert.equal(torch.bfloat16, 'bfloat16');
  assert.equal(torch.half, 'float16');
  assert.equal(torch.long, 'int64');
  const info = torch.runtime_info();
  assert.equal(typeof info.kernel, 'string');
  assert.ok(Array.isArray(info.kernels));
});
