'use strict';
// The Promise form of scaled_grouped_mm: same result as the synchronous
// call, the event loop keeps running while the kernel works, inputs stay
// alive while it runs, and errors reject with the synchronous form's error.

const test = require('node:test');
const assert = require('node:assert/strict');
const torch = require('..');

const F = torch.nn.functional;

test('scaled_grouped_mm_async and { async: true } give the synchronous result, bit for bit', async () => {
  torch.manual_seed(1);
  const input = torch.randn(8, 33, 17);
  const weight = torch.randn(8, 17, 29);
  const scale = torch.tensor(0.3);
  const expected = F.scaled_grouped_mm(input, weight, 0.3);
  const viaFunction = await F.scaled_grouped_mm_async(input, weight, 0.3);
  const viaOption = await F.scaled_grouped_mm(input, weight, { scale: 0.3, async: true });
  const viaTensor = await F.scaled_grouped_mm_async(input, weight, { scale });
  assert.ok(torch.equal(viaFunction, expected));
  assert.ok(torch.equal(viaOption, expected));
  assert.ok(torch.equal(viaTensor, F.scaled_grouped_mm(input, weight, scale)));
  const out = torch.zeros(8, 33, 29);
  assert.equal(await F.scaled_grouped_mm_async(input, weight, { scale: 0.3, out }), out);
  assert.ok(torch.equal(out, expected));
});

test('the event loop keeps running while the kernel works', async () => {
  // About 8.6 GFLOP: long enough that a 1 ms timer comes due while it runs.
  const input = torch.randn(64, 256, 512);
  const weight = torch.randn(64, 512, 256);
  let settled = false;
  let ticksBeforeSettled = 0;
  const timer = setInterval(() => {
    if (!settled) ticksBeforeSettled += 1;
  }, 1);
  try {
    const pending = F.scaled_grouped_mm_async(input, weight, 0.5).then((result) => {
      settled = true;
      return result;
    });
    const result = await pending;
    assert.deepEqual(result.shape, [64, 256, 256]);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticksBeforeSettled > 0, 'a timer fired while the async call was running');
});

test('gradients flow through an async result; no_grad is carried to the worker', async () => {
  const input = torch.randn(2, 3, 4, { dtype: 'float64', requires_grad: true });
  const weight = torch.randn(2, 4, 5, { dtype: 'float64', requires_grad: true });
  const result = await F.scaled_grouped_mm_async(input, weight, 2);
  assert.equal(result.requires_grad, true);
  result.sum().backward();
  const syncInput = input.detach().requires_grad_(true);
  F.scaled_grouped_mm(syncInput, weight.detach(), 2).sum().backward();
  assert.ok(torch.allclose(input.grad, syncInput.grad));
  const pending = torch.no_grad(() => F.scaled_grouped_mm_async(input, weight, 2));
  assert.equal((await pending).requires_grad, false);
});

test('inputs dropped by the script stay alive until the call settles', async () => {
  const pending = (() => {
    const input = torch.from(new Float32Array(4 * 64 * 64).fill(1), [4, 64, 64]);
    const weight = torch.full([4, 64, 64], 2);
    return F.scaled_grouped_mm_async(input, weight, 0.5);
  })();
  if (global.gc) global.gc();
  const result = await pending;
  assert.ok(Array.from(result.toArray()).every((x) => x === 64));
});

test('errors reject with the synchronous form\'s class and message', async () => {
  const queries = torch.randn(32, 10, 64);
  const keys = torch.randn(32, 10, 64);
  let syncError;
  try {
    F.scaled_grouped_mm(queries, keys, 0.125);
  } catch (error) {
    syncError = error;
  }
  assert.ok(syncError instanceof RangeError);
  await assert.rejects(F.scaled_grouped_mm_async(queries, keys, 0.125), (error) => {
    assert.equal(error.constructor, RangeError);
    assert.equal(error.message, syncError.message);
    assert.equal(error.code, 'SGMM_SHAPE_ERROR');
    return true;
  });
  await assert.rejects(F.scaled_grouped_mm(queries, keys, { scale: 0.125, async: true }), RangeError);
  // Argument errors reject too, rather than throw.
  await assert.rejects(F.scaled_grouped_mm_async(queries, 'keys'), (error) => {
    assert.equal(error.constructor, TypeError);
    assert.equal(error.message, "scaled_grouped_mm: weight must be a Tensor, got string 'keys'");
    return true;
  });
  const corrected = await F.scaled_grouped_mm_async(queries, keys.transpose(1, 2), 0.125);
  assert.deepEqual(corrected.shape, [32, 10, 10]);
});

test('many concurrent async calls all settle with the right results', async () => {
  const input = torch.randn(4, 16, 16);
  const weight = torch.randn(4, 16, 16);
  const expected = F.scaled_grouped_mm(input, weight, 0.5);
  const results = await Promise.all(Array.from({ length: 32 }, () => F.scaled_grouped_mm_async(input, weight, 0.5)));
  for (const result of results) assert.ok(torch.equal(result, expected));
});
