// The specification's fourth example: multi-head attention with the heads
// folded into the batch. Like the first example it passes K where K^T is
// meant; the corrected call passes K.transpose(1, 2).
#include <cmath>
#include <iostream>

#include <sgmm/sgmm.hpp>

namespace F = sgmm::nn::functional;

int example_multi_head_attention() {
  const int64_t batch = 32, heads = 8, seq = 10, dim = 64;
  auto Q = sgmm::randn({batch * heads, seq, dim});
  auto K = sgmm::randn({batch * heads, seq, dim});
  const double scale = 1.0 / std::sqrt(static_cast<double>(dim));
  try {
    auto attention = F::scaled_grouped_mm(Q, K, scale);
    std::cout << "multi-head attention: " << attention.sizes() << " (unexpected)\n";
    return 1;
  } catch (const sgmm::ShapeError& e) {
    std::cout << "multi-head attention, as written: ShapeError: " << e.what() << "\n";
  }
  auto attention = F::scaled_grouped_mm(Q, K.transpose(1, 2), scale);
  std::cout << "multi-head attention, K.transpose(1, 2): " << attention.sizes() << "\n";
  return 0;
}

#ifndef SGMM_EXAMPLES_NO_MAIN
int main() { return example_multi_head_attention(); }
#endif
