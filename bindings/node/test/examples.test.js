'use strict';
// Every example of the specification, as the files in examples/js/, run the
// way a reader would run them (`node examples/js/<name>.js` from the
// repository root): each exits 0 and prints the documented shape; the two
// attention examples print the inner-dimension error with the transpose
// hint, then their corrected call's shape.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
const INNER_DIMENSION_ERROR = /^RangeError: scaled_grouped_mm: inner dimensions differ: .*pass K\.transpose\(1, 2\)$/m;

function runExample(name) {
  const result = spawnSync(process.execPath, [path.join('examples', 'js', name)], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    timeout: 120000,
  });
  assert.equal(result.status, 0, `${name} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test('attention scaling: the verbatim call is the inner-dimension error; corrected gives [32, 10, 10]', () => {
  const output = runExample('attention_scaling.js');
  assert.match(output, INNER_DIMENSION_ERROR);
  assert.match(output, /input is \[32, 10, 64\] \(k = 64\) but weight is \[32, 10, 64\] \(k = 10\)/);
  assert.match(output, /^corrected attn_scores: \[32,10,10\]$/m);
  assert.doesNotMatch(output, /^attn_scores:/m, 'the verbatim call must not succeed');
  assert.match(runExample('attention_scaling_corrected.js'), /^attn_scores: \[32,10,10\]$/m);
});

test('quantization scale gives [16, 128, 128]', () => {
  assert.match(runExample('quantization_scale.js'), /^output: \[16,128,128\]$/m);
});

test('learnable scale gives [8, 100, 30] and the tensor form gives the scale a gradient', () => {
  const output = runExample('learnable_scale.js');
  assert.match(output, /^output: \[8,100,30\]$/m);
  assert.match(output, /^learnable_scale\.grad: \[\] -?\d/m);
});

test('multi-head attention: the verbatim call is the inner-dimension error; corrected gives [256, 10, 10]', () => {
  const output = runExample('multi_head_attention.js');
  assert.match(output, INNER_DIMENSION_ERROR);
  assert.match(output, /input is \[256, 10, 64\] \(k = 64\) but weight is \[256, 10, 64\] \(k = 10\)/);
  assert.match(output, /^corrected attention: \[256,10,10\]$/m);
  assert.doesNotMatch(output, /^attention:/m, 'the verbatim call must not succeed');
  assert.match(runExample('multi_head_attention_corrected.js'), /^attention: \[256,10,10\]$/m);
});

test('no scaling gives [64, 256, 256], equal to input.bmm(weights)', () => {
  const output = runExample('no_scaling.js');
  assert.match(output, /^result: \[64,256,256\]$/m);
  assert.match(output, /^equal to input\.bmm\(weights\): true$/m);
});
