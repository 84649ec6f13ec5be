// The specification's first example with K transposed, as Q @ K^T needs:
// keys is [32, 10, 64] and keys.transpose(1, 2) is the [32, 64, 10] view.
//   node examples/js/attention_scaling_corrected.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

// Attention scaling: Q @ K^T / sqrt(d)
const batch_size = 32;
const seq_len = 10;
const head_dim = 64;
const queries = torch.randn(batch_size, seq_len, head_dim); // Q
const keys = torch.randn(batch_size, seq_len, head_dim); // K
const scale = 1.0 / Math.sqrt(head_dim); // 1/√64 ≈ 0.125
const attn_scores = torch.nn.functional.scaled_grouped_mm(queries, keys.transpose(1, 2), scale);
// attn_scores: [32, 10, 10] - attention scores scaled by 1/√64

module.exports = { attn_scores };
if (require.main === module) console.log('attn_scores:', JSON.stringify(attn_scores.shape));
