'use strict';
// The torch namespace in JavaScript over the sgmm C++ library:
//
//   const torch = require('sgmm');
//   const y = torch.nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), 1 / Math.sqrt(64));
//
// Nearly everything is the native addon's own function (build/sgmm.node),
// exported as is so a call pays for one Node-API crossing and nothing else.
// This file adds what is plain JavaScript: the namespace layout, printing
// through util.inspect, the dtype constants and no_grad(fn).

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

const addon = loadAddon();
const { Tensor } = addon;

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
