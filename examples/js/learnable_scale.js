// The specification's third example, verbatim: batch processing with a
// learnable scale. As written it passes learnable_scale.item(), a plain
// number, so no gradient reaches the scale; passing the tensor itself
// (scaled_grouped_mm(batch, weights, learnable_scale)) makes it learnable.
//   node examples/js/learnable_scale.js
const torch = require('../../bindings/node'); // in a project of your own: require('sgmm')

// Batch processing with learnable scale
const batch = torch.randn(8, 100, 50);
const weights = torch.randn(8, 50, 30);
const learnable_scale = torch.tensor(1.5, { requires_grad: true });
const output = torch.nn.functional.scaled_grouped_mm(batch, weights, learnable_scale.item());
// Scale is learnable through backprop

// The learnable form: the 0-d tensor itself as the scale.
const learned = torch.nn.functional.scaled_grouped_mm(batch, weights, learnable_scale);
learned.sum().backward();

module.exports = { output, learned, learnable_scale };
if (require.main === module) {
  console.log('output:', JSON.stringify(output.shape));
  console.log('learnable_scale.grad:', JSON.stringify(learnable_scale.grad.shape), learnable_scale.grad.item());
}
