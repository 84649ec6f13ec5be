// The package as an ES module: `import torch from 'sgmm'` (the package
// resolving its own name through "exports") and named imports.
import test from 'node:test';
import assert from 'node:assert/strict';
import torch, { randn, nn, float64 } from 'sgmm';

test('default and named imports expose the same functions', () => {
  assert.equal(torch.randn, randn);
  assert.equal(torch.nn, nn);
  assert.equal(float64, 'float64');
  const q = randn(2, 3, 4);
  const k = randn(2, 3, 4);
  const scores = nn.functional.scaled_grouped_mm(q, k.transpose(1, 2), 0.5);
  assert.deepEqual(scores.shape, [2, 3, 3]);
});
