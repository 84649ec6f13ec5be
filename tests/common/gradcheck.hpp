#pragma once
// Gradient checks against central finite differences in float64 (as
// torch.autograd.gradcheck): backward's answer for every input element is
// compared with (f(x + h) - f(x - h)) / 2h.

#include <functional>
#include <random>
#include <sgmm/sgmm.hpp>
#include <string>
#include <vector>

namespace sgmm::testing {

using DifferentiableFunction = std::function<Tensor(const std::vector<Tensor>& inputs)>;

struct GradcheckTolerance {
  double step = 1e-6;
  double absolute = 1e-6;
  double relative = 1e-5;
};

// Leaves of the given sizes, float64, uniform in [low, high), requiring grad.
Tensor make_leaf(IntArrayRef sizes, std::mt19937_64& rng, double low = -1.0, double high = 1.0);

// Projects the output on a fixed random tensor w (loss = sum(f(x) * w),
// computed by the test, not by the library), backpropagates w through f, and
// compares each input's grad() with the central difference of the loss.
// Inputs must be contiguous float64 leaves; those with requires_grad false
// are checked to receive no gradient. Reports every mismatch through
// ADD_FAILURE with the input, element, analytic and numeric values.
void expect_gradients_match_finite_differences(const std::string& what,
                                               const DifferentiableFunction& function,
                                               const std::vector<Tensor>& inputs,
                                               GradcheckTolerance tolerance = {});

}  // namespace sgmm::testing
