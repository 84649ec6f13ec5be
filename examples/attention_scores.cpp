// The specification's first example: attention scores Q @ K^T / sqrt(d).
// The specification passes K itself as the weight; that is an inner-dimension
// error (weight must be [batch, k, n]), and sgmm says so instead of silently
// transposing. The corrected call passes K.transpose(1, 2), a strided view.
#include <cmath>
#include <iostream>

#include <sgmm/sgmm.hpp>

namespace F = sgmm::nn::functional;

int example_attention_scores() {
  const int64_t batch_size = 32, seq_len = 10, head_dim = 64;
  auto queries = sgmm::randn({batch_size, seq_len, head_dim});
  auto keys = sgmm::randn({batch_size, seq_len, head_dim});
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  try {
    auto attn_scores = F::scaled_grouped_mm(queries, keys, scale);
    std::cout << "attention scores: " << attn_scores.sizes() << " (unexpected)\n";
    return 1;
  } catch (const sgmm::ShapeError& e) {
    std::cout << "attention scores, as written: ShapeError: " << e.what() << "\n";
  }
  auto attn_scores = F::scaled_grouped_mm(queries, keys.transpose(1, 2), scale);
  std::cout << "attention scores, K.transpose(1, 2): " << attn_scores.sizes() << "\n";
  return 0;
}

#ifndef SGMM_EXAMPLES_NO_MAIN
int main() { return example_attention_scores(); }
#endif
