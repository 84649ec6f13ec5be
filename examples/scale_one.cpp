// The specification's fifth example: scale == 1.0 skips the multiply, so the
// result is bit-identical to a plain bmm.
#include <iostream>

#include <sgmm/sgmm.hpp>

namespace F = sgmm::nn::functional;

int example_scale_one() {
  auto input = sgmm::randn({64, 256, 512});
  auto weights = sgmm::randn({64, 512, 256});
  auto result = F::scaled_grouped_mm(input, weights, 1.0);
  const bool same = sgmm::equal(result, sgmm::bmm(input, weights));
  std::cout << "scale one: " << result.sizes()
            << (same ? ", bit-identical to bmm" : ", DIFFERS from bmm") << "\n";
  return same ? 0 : 1;
}

#ifndef SGMM_EXAMPLES_NO_MAIN
int main() { return example_scale_one(); }
#endif
