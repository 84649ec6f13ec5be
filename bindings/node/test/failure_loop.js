'use strict';
// A tight loop of failing calls among allocations, run by errors.test.js in
// a child process: garbage collections then start while an error is being
// thrown, which is when a finalizer run inside the collection could abort
// Node 20 had the addon thrown the error itself (src/errors.hpp).
// Prints the number of errors caught by kind.

const torch = require('..');

const F = torch.nn.functional;
const ITERATIONS = 150000;

const input = torch.randn(2, 3, 4);
const weight = torch.randn(2, 4, 5);
const throwingOptions = {
  get scale() {
    throw new Error('a getter that throws');
  },
};

const caught = {};
function expectFailure(kind, fn) {
  try {
    fn();
  } catch (error) {
    const key = `${kind}:${error.constructor.name}`;
    caught[key] = (caught[key] || 0) + 1;
    return;
  }
  throw new Error(`${kind} did not fail`);
}

for (let i = 0; i < ITERATIONS; ++i) {
  F.scaled_grouped_mm(input, weight, 0.5).transpose(1, 2).sum();
  switch (i % 5) {
    case 0: expectFailure('shape', () => F.scaled_grouped_mm(input, input, 0.5)); break;
    case 1: expectFailure('scale', () => F.scaled_grouped_mm(input, weight, 'a')); break;
    case 2: expectFailure('view', () => input.view(7)); break;
    case 3: expectFailure('getter', () => F.scaled_grouped_mm(input, weight, throwingOptions)); break;
    default: expectFailure('setter', () => { input.requires_grad = 5; }); break;
  }
}
console.log(JSON.stringify(caught));
