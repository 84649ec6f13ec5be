// The specification's fourth example with K transposed, as Q @ K^T needs.
//   node examples/js/multi_head_attention_corrected.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

// Multi-head attention implementation
const batch = 32, heads = 8, seq = 10, dim = 64;
// Reshape [batch, seq, heads*dim] → [batch*heads, seq, dim] for faster matmul
const Q = torch.randn(batch * heads, seq, dim);
const K = torch.randn(batch * heads, seq, dim);
const scale = 1.0 / Math.sqrt(dim);
const attention = torch.nn.functional.scaled_grouped_mm(Q, K.transpose(1, 2), scale);
// attention: [batch*heads, seq, seq]

module.exports = { attention };
if (require.main === module) console.log('attention:', JSON.stringify(attention.shape));
