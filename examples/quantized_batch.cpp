// The specification's second example: a batched product scaled by a
// quantization factor, fused into the GEMM epilogue.
#include <iostream>

#include <sgmm/sgmm.hpp>

namespace F = sgmm::nn::functional;

int example_quantized_batch() {
  auto input = sgmm::randn({16, 128, 256});    // [batch, m, k]
  auto weights = sgmm::randn({16, 256, 128});  // [batch, k, n]
  const double quant_scale = 0.1;
  auto output = F::scaled_grouped_mm(input, weights, quant_scale);
  std::cout << "quantized batch: " << output.sizes() << "\n";
  return 0;
}

#ifndef SGMM_EXAMPLES_NO_MAIN
int main() { return example_quantized_batch(); }
#endif
