#include "gradcheck.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "tensor_access.hpp"

namespace sgmm::testing {

Tensor make_leaf(IntArrayRef sizes, std::mt19937_64& rng, double low, double high) {
  Tensor leaf = empty(sizes, TensorOptions().dtype(kFloat64));
  fill_uniform(leaf, rng, low, high);
  leaf.requires_grad_(true);
  return leaf;
}

namespace {

double projected_loss(const Tensor& output, const std::vector<double>& projection) {
  const std::vector<double> values = values_of(output);
  double loss = 0;
  for (size_t e = 0; e < values.size(); ++e) loss += values[e] * projection[e];
  return loss;
}

}  // namespace

void expect_gradients_match_finite_differences(const std::string& what,
                                               const DifferentiableFunction& function,
                                               const std::vector<Tensor>& inputs,
                                               GradcheckTolerance tolerance) {
  for (const Tensor& input : inputs) {
    ASSERT_EQ(input.scalar_type(), kFloat64) << what << ": gradcheck needs float64 leaves";
    ASSERT_TRUE(input.is_contiguous()) << what << ": gradcheck perturbs contiguous leaves";
    input.mutable_grad() = Tensor();
  }

  const Tensor output = function(inputs);
  ASSERT_TRUE(output.defined()) << what;
  ASSERT_EQ(output.scalar_type(), kFloat64) << what;

  // A projection with distinct values catches a gradient routed to the wrong element.
  std::mt19937_64 rng(7);
  Tensor projection = empty(output.sizes(), TensorOptions().dtype(kFloat64));
  fill_uniform(projection, rng, 0.5, 1.5);
  const std::vector<double> projection_values = values_of(projection);
  output.backward(projection);

  for (size_t input_index = 0; input_index < inputs.size(); ++input_index) {
    const Tensor& input = inputs[input_index];
    const Tensor grad = input.grad();
    if (!input.requires_grad()) {
      EXPECT_FALSE(grad.defined())
          << what << ": input " << input_index << " does not require grad but received one";
      continue;
    }
    ASSERT_TRUE(grad.defined()) << what << ": input " << input_index << " received no gradient";
    ASSERT_EQ(grad.sizes(), input.sizes()) << what << ": input " << input_index << " has sizes "
                                           << input.sizes() << " but its gradient " << grad.sizes();
    ASSERT_EQ(grad.scalar_type(), kFloat64) << what << ": input " << input_index;
    const std::vector<double> analytic = values_of(grad);

    double* data = input.data_ptr<double>();
    // One failure per input, listing its first few wrong elements.
    int mismatches = 0;
    std::ostringstream report;
    report.precision(17);
    for (int64_t e = 0; e < input.numel(); ++e) {
      const double original = data[e];
      double loss_plus, loss_minus;
      {
        NoGradGuard no_grad;
        data[e] = original + tolerance.step;
        loss_plus = projected_loss(function(inputs), projection_values);
        data[e] = original - tolerance.step;
        loss_minus = projected_loss(function(inputs), projection_values);
        data[e] = original;
      }
      const double numeric = (loss_plus - loss_minus) / (2 * tolerance.step);
      const double allowed = tolerance.absolute + tolerance.relative * std::fabs(numeric);
      if (!(std::fabs(analytic[e] - numeric) <= allowed) && mismatches++ < 5) {
        report << "\n  element " << e << ": backward gives " << analytic[e]
               << ", finite difference gives " << numeric << " (allowed error " << allowed << ")";
      }
    }
    if (mismatches > 0) {
      ADD_FAILURE() << what << ": input " << input_index << " " << input.sizes() << ": "
                    << mismatches << " of " << input.numel() << " gradient elements are wrong"
                    << report.str();
    }
  }
}

}  // namespace sgmm::testing
