// The specification's first example, verbatim: attention scaling Q @ K^T / sqrt(d).
//
// As written it passes K where K^T is meant (queries and keys are both
// [32, 10, 64]), so scaled_grouped_mm throws its inner-dimension error, whose
// message names the fix. This file prints that error, then runs the corrected
// call (attention_scaling_corrected.js) and prints its shape.
//
// Run from the repository root after `npm install` in bindings/node:
//   node examples/js/attention_scaling.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

try {
  // Attention scaling: Q @ K^T / sqrt(d)
  const batch_size = 32;
  const seq_len = 10;
  const head_dim = 64;
  const queries = torch.randn(batch_size, seq_len, head_dim); // Q
  const keys = torch.randn(batch_size, seq_len, head_dim); // K^T
  const scale = 1.0 / Math.sqrt(head_dim); // 1/√64 ≈ 0.125
  const attn_scores = torch.nn.functional.scaled_grouped_mm(queries, keys, scale);
  // attn_scores: [32, 10, 10] - attention scores scaled by 1/√64
  console.log('attn_scores:', JSON.stringify(attn_scores.shape));
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
}

const { attn_scores } = require('./attention_scaling_corrected.js');
console.log('corrected attn_scores:', JSON.stringify(attn_scores.shape));
