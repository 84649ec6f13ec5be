// The specification's third example: a learnable scale. As written it passes
// learnable_scale.item(), a plain number, so the scale gets no gradient; the
// second call passes the 0-d tensor itself, and backward fills its grad.
#include <iostream>

#include <sgmm/sgmm.hpp>

namespace F = sgmm::nn::functional;

int example_learnable_scale() {
  auto batch = sgmm::randn({8, 100, 50});
  auto weights = sgmm::randn({8, 50, 30});
  auto learnable_scale = sgmm::tensor(1.5, sgmm::TensorOptions().requires_grad(true));
  auto output = F::scaled_grouped_mm(batch, weights, learnable_scale.item<double>());
  std::cout << "learnable scale, .item(): " << output.sizes() << "\n";

  auto trained = F::scaled_grouped_mm(batch, weights, learnable_scale);
  trained.sum().backward();
  std::cout << "learnable scale, tensor: " << trained.sizes()
            << ", scale.grad() = " << learnable_scale.grad().item<double>() << "\n";
  return 0;
}

#ifndef SGMM_EXAMPLES_NO_MAIN
int main() { return example_learnable_scale(); }
#endif
