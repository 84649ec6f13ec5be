'use strict';
// Bad input of every kind arrives as a JavaScript exception of the
// documented class with a message that names the function, what was
// expected and what was given; none of it can take the process down.
//
//   wrong kind of argument (a string for a size, a missing tensor,
//   a non-number scale, a dtype mismatch)            -> TypeError
//   right kind, bad value (a negative or fractional
//   size, shapes that do not fit)                    -> RangeError

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const torch = require('..');

const F = torch.nn.functional;

function assertThrows(fn, type, message, code) {
  assert.throws(fn, (error) => {
    assert.equal(error.constructor, type, `expected a ${type.name}, got ${error.constructor.name}: ${error.message}`);
    if (message instanceof RegExp) assert.match(error.message, message);
    else assert.equal(error.message, message);
    if (code !== undefined) assert.equal(error.code, code);
    return true;
  });
}

test('the specification\'s attention call is an inner-dimension error naming the transpose', () => {
  const queries = torch.randn(32, 10, 64);
  const keys = torch.randn(32, 10, 64);
  assertThrows(() => F.scaled_grouped_mm(queries, keys, 0.125), RangeError,
    'scaled_grouped_mm: inner dimensions differ: input is [32, 10, 64] (k = 64) but weight is ' +
      '[32, 10, 64] (k = 10); weight must be [batch, k, n] -- for Q @ K^T pass K.transpose(1, 2)',
    'SGMM_SHAPE_ERROR');
});

test('shape errors of scaled_grouped_mm are RangeErrors carrying the library\'s message', () => {
  assertThrows(() => F.scaled_grouped_mm(torch.randn(2, 3, 4), torch.randn(3, 4, 5)), RangeError,
    /^scaled_grouped_mm: .*batch/, 'SGMM_SHAPE_ERROR');
  assertThrows(() => F.scaled_grouped_mm(torch.randn(3, 4), torch.randn(4, 5)), RangeError,
    /^scaled_grouped_mm: .*3-D/, 'SGMM_SHAPE_ERROR');
  assertThrows(() => F.scaled_grouped_mm(torch.randn(2, 3, 4), torch.randn(2, 4, 5), torch.ones(2)), RangeError,
    /^scaled_grouped_mm: /);
});

test('a dtype mismatch is a TypeError carrying the library\'s message', () => {
  assertThrows(() => F.scaled_grouped_mm(torch.randn(2, 3, 4), torch.randn(2, 4, 5, { dtype: 'float64' })),
    TypeError, /^scaled_grouped_mm: .*float32.*float64|^scaled_grouped_mm: .*float64.*float32/, 'SGMM_DTYPE_ERROR');
});

test('a missing or non-tensor operand is a TypeError', () => {
  const w = torch.randn(2, 4, 5);
  assertThrows(() => F.scaled_grouped_mm(undefined, w), TypeError,
    'scaled_grouped_mm: input must be a Tensor, got undefined', 'SGMM_INVALID_ARG_TYPE');
  assertThrows(() => F.scaled_grouped_mm(w), TypeError, 'scaled_grouped_mm: weight must be a Tensor, got undefined');
  assertThrows(() => F.scaled_grouped_mm({ shape: [2, 3, 4] }, w), TypeError,
    'scaled_grouped_mm: input must be a Tensor, got object');
  assertThrows(() => F.scaled_grouped_mm([[[1]]], w), TypeError, 'scaled_grouped_mm: input must be a Tensor, got array');
  assertThrows(() => torch.bmm(w, null), TypeError, 'bmm: mat2 must be a Tensor, got null');
  assertThrows(() => w.matmul('x'), TypeError, "matmul: other must be a Tensor, got string 'x'");
});

test('a scale that is not a number or a tensor is a TypeError', () => {
  const a = torch.randn(2, 3, 4);
  const w = torch.randn(2, 4, 5);
  assertThrows(() => F.scaled_grouped_mm(a, w, '0.5'), TypeError,
    "scaled_grouped_mm: the third argument must be a scale (a number or a 0-d Tensor) or an options object " +
      "{ scale }, got string '0.5'");
  assertThrows(() => F.scaled_grouped_mm(a, w, true), TypeError, /got boolean true$/);
  assertThrows(() => F.scaled_grouped_mm(a, w, 1n), TypeError, /got bigint$/);
  assertThrows(() => F.scaled_grouped_mm(a, w, { scale: '0.5' }), TypeError,
    "scaled_grouped_mm: scale must be a number or a 0-d Tensor, got string '0.5'");
  assertThrows(() => F.scaled_grouped_mm(a, w, { scal: 0.5 }), TypeError,
    "scaled_grouped_mm: unknown option 'scal' (expected scale, out or async)");
  assertThrows(() => F.scaled_grouped_mm(a, w, { async: 'yes' }), TypeError,
    "scaled_grouped_mm: async must be a boolean, got string 'yes'");
});

test('sizes of the wrong kind are TypeErrors, out of range RangeErrors', () => {
  assertThrows(() => torch.randn('a'), TypeError, "randn: a size must be a non-negative integer, got string 'a'");
  assertThrows(() => torch.zeros(2, '3'), TypeError, "zeros: a size must be a non-negative integer, got string '3'");
  assertThrows(() => torch.ones([2, null]), TypeError, 'ones: a size must be a non-negative integer, got null');
  assertThrows(() => torch.randn(-1), RangeError, 'randn: a size must be a non-negative integer, got -1',
    'SGMM_INVALID_ARG_VALUE');
  assertThrows(() => torch.randn(2, 1.5), RangeError, 'randn: a size must be a non-negative integer, got 1.5');
  assertThrows(() => torch.rand(NaN), RangeError, 'rand: a size must be a non-negative integer, got NaN');
  assertThrows(() => torch.zeros([Infinity]), RangeError, 'zeros: a size must be a non-negative integer, got Infinity');
  assertThrows(() => torch.zeros(2 ** 60), RangeError,
    'zeros: size 1152921504606846976 is too large (the limit is Number.MAX_SAFE_INTEGER)');
  // Sizes each fine but together beyond any memory: the library's check.
  assertThrows(() => torch.zeros(2 ** 40, 2 ** 40), RangeError, /^(zeros|empty)/);
  assertThrows(() => torch.randn(3).reshape(-2), RangeError,
    'reshape: a size must be a non-negative integer (or -1 to infer it), got -2');
});

test('bad options and dtypes are TypeErrors', () => {
  assertThrows(() => torch.randn(2, { dtype: 'float128' }), TypeError,
    "randn: unknown dtype 'float128' (expected float32, float64, bfloat16, float16, int8, int32, int64 or bool)");
  assertThrows(() => torch.randn(2, { dtype: 32 }), TypeError,
    "randn: dtype must be a string such as 'float32', got number 32");
  assertThrows(() => torch.randn(2, { requiresGrad: true }), TypeError,
    "randn: unknown option 'requiresGrad' (expected dtype, requires_grad or device)");
  assertThrows(() => torch.randn(2, { requires_grad: 1 }), TypeError,
    'randn: requires_grad must be a boolean, got number 1');
  assertThrows(() => torch.randn(2, { device: 'cuda' }), TypeError, /^randn: device must be 'cpu'/);
  assertThrows(() => torch.randn(2).to('complex64'), TypeError, /^to: unknown dtype 'complex64'/);
});

test('bad dims, indices and values are rejected with the function\'s name', () => {
  const t = torch.randn(2, 3);
  assertThrows(() => t.transpose('a', 1), TypeError, "transpose: dim0 must be an integer, got string 'a'");
  assertThrows(() => t.transpose(0.5, 1), RangeError, 'transpose: dim0 must be an integer, got 0.5');
  assertThrows(() => t.transpose(0, 7), RangeError, /^transpose/);
  assertThrows(() => t.item(), RangeError,
    'item: a Tensor with 6 elements cannot be converted to a number (it needs exactly one element)');
  assertThrows(() => t.add('1'), TypeError, "add: other must be a number, a boolean, a bigint or a Tensor, got string '1'");
  assertThrows(() => torch.manual_seed(-1), RangeError, 'manual_seed: seed must be a non-negative integer, got -1');
  assertThrows(() => torch.set_num_threads(0), RangeError, 'set_num_threads: the thread count must be in [1, 4096], got 0');
  assertThrows(() => torch.no_grad(5), TypeError, 'no_grad: expected a function to run, got number');
});

test('tensor() and from() reject data they cannot hold', () => {
  assertThrows(() => torch.tensor([[1, 2], [3]]), RangeError,
    'tensor: nested arrays must be regular: expected length 2 at depth 1 but got 1');
  assertThrows(() => torch.tensor([1, 'a']), TypeError,
    "tensor: elements must be numbers, booleans or bigints, got string 'a'");
  assertThrows(() => torch.tensor('abc'), TypeError, /^tensor: data must be/);
  assertThrows(() => torch.from([1, 2, 3]), TypeError, /^from: the first argument must be a typed array/);
  assertThrows(() => torch.from(new Float32Array(6), [4, 2]), RangeError,
    'from: shape [4, 2] holds 8 elements but the typed array has 6');
  assertThrows(() => torch.from(new Uint16Array(4)), TypeError, /^from: a Uint16Array has no matching dtype/);
  assertThrows(() => torch.from(new Float32Array(4), [4], { dtype: 'float64' }), TypeError,
    /^from: a Float32Array cannot be viewed as dtype float64 without a copy/);
  assertThrows(() => torch.from(new Float32Array(new ArrayBuffer(16, { maxByteLength: 32 }))), TypeError,
    /^from: the typed array's ArrayBuffer is resizable/);
});

test('a Tensor cannot be constructed directly nor its methods called on other objects', () => {
  assertThrows(() => new torch.Tensor(), TypeError, /^Tensor: tensors are made by torch.tensor\(\)/);
  // A method called on anything but a Tensor is refused, by V8's receiver
  // check or by the addon's type-tag check, before a native pointer is read.
  const refused = /^(Illegal invocation|Tensor: a Tensor method was called on (object|array|undefined), which is not a Tensor)$/;
  assertThrows(() => torch.Tensor.prototype.sum.call({}), TypeError, refused);
  assertThrows(() => torch.Tensor.prototype.sum.call(undefined), TypeError, refused);
  assertThrows(() => torch.Tensor.prototype.sum.call(Object.create(torch.Tensor.prototype)), TypeError, refused);
  assertThrows(() => Object.getOwnPropertyDescriptor(torch.Tensor.prototype, 'shape').get.call([]), TypeError, refused);
  assertThrows(() => { Object.getOwnPropertyDescriptor(torch.Tensor.prototype, 'grad').set.call({}, null); },
    TypeError, refused);
});

test('backward misuse is a JavaScript error, not a crash', () => {
  const x = torch.randn(2, 3, { requires_grad: true });
  assert.throws(() => x.mul(2).backward(), (error) => error instanceof Error && /backward/.test(error.message));
  const y = x.mul(2).sum();
  y.backward();
  assert.throws(() => y.backward(), (error) => error instanceof Error && error.message.length > 0);
  assertThrows(() => torch.randn(2).backward(torch.ones(2), 'yes'), TypeError,
    "backward: retain_graph must be a boolean, got string 'yes'");
});

test('the process is still healthy after all of the above', () => {
  const out = F.scaled_grouped_mm(torch.ones(1, 2, 3), torch.ones(1, 3, 4), 0.5);
  assert.deepEqual(out.tolist(), [[[1.5, 1.5, 1.5, 1.5], [1.5, 1.5, 1.5, 1.5]]]);
});

test('a tight loop of failing calls among allocations never aborts the process', () => {
  // test/failure_loop.js: garbage collections start while errors are thrown.
  const child = spawnSync(process.execPath, [path.join(__dirname, 'failure_loop.js')], {
    encoding: 'utf8',
    timeout: 180000,
  });
  assert.equal(child.status, 0, `failure loop died (signal ${child.signal}):\n${child.stdout}\n${child.stderr}`);
  const caught = JSON.parse(child.stdout.trim().split('\n').pop());
  assert.deepEqual(caught, {
    'shape:RangeError': 30000,
    'scale:TypeError': 30000,
    'view:RangeError': 30000,
    'getter:Error': 30000,
    'setter:TypeError': 30000,
  });
});

test('a thrown error\'s stack starts at the caller, not inside the package', () => {
  let error;
  try {
    torch.zeros(2).view(3);
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof RangeError);
  assert.match(error.stack.split('\n')[1], /errors\.test\.js/);
});
