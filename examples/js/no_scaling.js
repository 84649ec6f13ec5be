// The specification's fifth example, verbatim: scale = 1.0 skips the
// multiply, and the result equals input @ weights exactly.
//   node examples/js/no_scaling.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

// No scaling optimization: scale=1.0 is efficient
const input = torch.randn(64, 256, 512);
const weights = torch.randn(64, 512, 256);
const result = torch.nn.functional.scaled_grouped_mm(input, weights, 1.0);
// Equivalent to input @ weights, no-op scaling

module.exports = { result, input, weights };
if (require.main === module) {
  console.log('result:', JSON.stringify(result.shape));
  console.log('equal to input.bmm(weights):', torch.equal(result, input.bmm(weights)));
}
