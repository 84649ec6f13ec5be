'use strict';
// The torch namespace in JavaScript over the sgmm C++ library:
//
//   const torch = require('sgmm');
//   const y = torch.nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), 1 / Math.sqrt(64));
//
// Every function is the native addon's own (build/sgmm.node) behind a thin
// guard: a failed native call returns a sentinel and parks its error, and
// the guard throws that error from JavaScript (src/errors.hpp says why the
// addon never throws itself). This file also adds what is plain
// JavaScript: the namespace layout, printing through util.inspect, the
// dtype constants and no_grad(fn).

const path = require('node:path');
const util = require('node:util');

function loadAddon() {
  const addonPath = path.join(__dirname, 'build', 'sgmm.node');
  try {
    return require(addonPath);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND') {
      throw new Error(
        `sgmm: the native addon ${addonPath} is not built; run \`npm install\` (or \`npm run build\`) ` +
          `in ${__dirname}`);
    }
    throw error;
  }
}

const native = loadAddon();
const FAILED = native.FAILED;

// Throws the error the failed native call parked, its stack starting at
// the caller of the guarded function.
function raiseParkedError(guarded) {
  const error = native.take_error();
  if (error instanceof Error) Error.captureStackTrace(error, guarded);
  throw error;
}

// The native function fn, throwing its error when it fails.
function guard(fn) {
  const guarded = {
    [fn.name](...args) {
      const result = Reflect.apply(fn, this, args);
      return result === FAILED ? raiseParkedError(guarded) : result;
    },
  }[fn.name];
  return guarded;
}

// The addon's functions, each guarded.
const addon = {};
for (const [name, value] of Object.entries(native)) {
  if (typeof value === 'function' && name !== 'Tensor' && name !== 'take_error') addon[name] = guard(value);
}

// Tensor's methods and accessors, guarded in place on its prototype.
const NativeTensor = native.Tensor;
for (const name of Object.getOwnPropertyNames(NativeTensor.prototype)) {
  if (name === 'constructor') continue;
  const descriptor = Object.getOwnPropertyDescriptor(NativeTensor.prototype, name);
  if (typeof descriptor.value === 'function') descriptor.value = guard(descriptor.value);
  if (descriptor.get) descriptor.get = guard(descriptor.get);
  if (descriptor.set) descriptor.set = guard(descriptor.set);
  Object.defineProperty(NativeTensor.prototype, name, descriptor);
}

// torch.Tensor: the class for instanceof and its prototype; tensors come
// from the creation functions, as the error says.
function Tensor() {
  throw new TypeError('Tensor: tensors are made by torch.tensor(), torch.zeros(), torch.randn(), ' +
    'torch.from() and the other creation functions, not by new Tensor()');
}
Tensor.prototype = NativeTensor.prototype;
Object.defineProperty(NativeTensor.prototype, 'constructor', {
  value: Tensor,
  writable: true,
  configurable: true,
});

// console.log(t) and util.inspect(t) print like torch: tensor([[...]], dtype=...).
Object.defineProperty(Tensor.prototype, util.inspect.custom, {
  value: function inspectTensor() {
    return this.toString();
  },
  writable: true,
  configurable: true,
});

// Runs fn with graph recording off (torch.no_grad()), restoring the previous
// mode afterwards even when fn throws. fn runs synchronously: grad mode is
// not carried across an await inside it.
function no_grad(fn) {
  return withGradMode(false, fn, 'no_grad');
}

// The opposite of no_grad, for a region inside one.
function enable_grad(fn) {
  return withGradMode(true, fn, 'enable_grad');
}

function withGradMode(enabled, fn, name) {
  if (typeof fn !== 'function') {
    throw new TypeError(`${name}: expected a function to run, got ${fn === null ? 'null' : typeof fn}`);
  }
  const previous = addon.is_grad_enabled();
  addon.set_grad_enabled(enabled);
  try {
    return fn();
  } finally {
    addon.set_grad_enabled(previous);
  }
}

const functional = Object.freeze({
  scaled_grouped_mm: addon.scaled_grouped_mm,
  scaled_grouped_mm_async: addon.scaled_grouped_mm_async,
});

const torch = {
  Tensor,

  // dtypes, as torch's names (torch.float32 === 'float32').
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  bfloat16: 'bfloat16',
  float16: 'float16',
  half: 'float16',
  int8: 'int8',
  int32: 'int32',
  int: 'int32',
  int64: 'int64',
  long: 'int64',
  bool: 'bool',

  // Creation.
  randn: addon.randn,
  rand: addon.rand,
  zeros: addon.zeros,
  ones: addon.ones,
  empty: addon.empty,
  full: addon.full,
  arange: addon.arange,
  tensor: addon.tensor,
  from: addon.from,
  manual_seed: addon.manual_seed,

  // Math.
  bmm: addon.bmm,
  matmul: addon.matmul,
  add: addon.add,
  sub: addon.sub,
  mul: addon.mul,
  div: addon.div,
  neg: addon.neg,
  sum: addon.sum,
  mean: addon.mean,
  equal: addon.equal,
  allclose: addon.allclose,

  // Autograd and runtime.
  no_grad,
  enable_grad,
  is_grad_enabled: addon.is_grad_enabled,
  set_grad_enabled: addon.set_grad_enabled,
  set_num_threads: addon.set_num_threads,
  get_num_threads: addon.get_num_threads,
  runtime_info: addon.runtime_info,

  nn: Object.freeze({ functional }),
};

module.exports = Object.freeze(torch);
