// The specification's second example, verbatim: batched matrix
// multiplication with a quantization scale.
//   node examples/js/quantization_scale.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

// Batched matrix multiplication with quantization scale
const input = torch.randn(16, 128, 256); // [batch, m, k]
const weights = torch.randn(16, 256, 128); // [batch, k, n]
const quant_scale = 0.1; // Quantization factor
const output = torch.nn.functional.scaled_grouped_mm(input, weights, quant_scale);
// output: [16, 128, 128] scaled by 0.1

module.exports = { output };
if (require.main === module) console.log('output:', JSON.stringify(output.shape));
