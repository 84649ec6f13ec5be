// Runs scaled_grouped_mm with autograd against the installed package and
// checks the weight gradient: d sum(scale * A @ W) / dW = scale * A^T @ ones.
#include <cmath>
#include <iostream>

#include <sgmm/sgmm.hpp>

namespace F = sgmm::nn::functional;

int main() {
  sgmm::manual_seed(1);
  auto a = sgmm::randn({4, 8, 16}, sgmm::kFloat64);
  auto w = sgmm::randn({4, 16, 8}, sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true));
  auto y = F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions().scale(0.5));
  y.sum().backward();
  auto expected = sgmm::bmm(a.transpose(1, 2), sgmm::ones({4, 8, 8}, sgmm::kFloat64)) * 0.5;
  if (y.sizes() != sgmm::IntArrayRef{4, 8, 8} || !sgmm::allclose(w.grad(), expected, 1e-12, 1e-12)) {
    std::cerr << "consumer: wrong result from the installed sgmm\n";
    return 1;
  }
  std::cout << "consumer: y " << y.sizes() << ", w.grad() " << w.grad().sizes() << " ok\n";
  return 0;
}
