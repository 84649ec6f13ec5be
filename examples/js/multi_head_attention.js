// The specification's fourth example, verbatim: multi-head attention.
//
// As written it passes K where K^T is meant (Q and K are both [256, 10, 64]),
// so scaled_grouped_mm throws its inner-dimension error, whose message names
// the fix. This file prints that error, then runs the corrected call
// (multi_head_attention_corrected.js) and prints its shape.
//   node examples/js/multi_head_attention.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

try {
  // Multi-head attention implementation
  const batch = 32, heads = 8, seq = 10, dim = 64;
  // Reshape [batch, seq, heads*dim] → [batch*heads, seq, dim] for faster matmul
  const Q = torch.randn(batch * heads, seq, dim);
  const K = torch.randn(batch * heads, seq, dim);
  const scale = 1.0 / Math.sqrt(dim);
  const attention = torch.nn.functional.scaled_grouped_mm(Q, K, scale);
  // attention: [batch*heads, seq, seq]
  console.log('attention:', JSON.stringify(attention.shape));
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
}

const { attention } = require('./multi_head_attention_corrected.js');
console.log('corrected attention:', JSON.stringify(attention.shape));
