// Every differentiable operation's backward against central finite
// differences in float64 (gradcheck.hpp): elementwise arithmetic with
// broadcasting, reductions, views, bmm, matmul and scaled_grouped_mm.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <random>
#include <sgmm/sgmm.hpp>
#include <vector>

#include "../common/gemm_cases.hpp"
#include "../common/gradcheck.hpp"
#include "../common/reference_gemm.hpp"
#include "../common/tensor_access.hpp"

namespace {

using namespace sgmm::testing;
namespace F = sgmm::nn::functional;
using sgmm::Tensor;
using Inputs = std::vector<Tensor>;

// The checker itself must fail on a wrong gradient: x * x.detach() has
// derivative 2x, but backward only sees the x path and reports x.
TEST(Gradcheck, CatchesAWrongGradient) {
  std::mt19937_64 rng(100);
  Tensor a = make_leaf({3}, rng, 0.5, 1.0);
  EXPECT_NONFATAL_FAILURE(
      expect_gradients_match_finite_differences(
          "x * x.detach()", [](const Inputs& x) { return x[0] * x[0].detach(); }, {a}),
      "finite difference gives");
}

// ---- elementwise arithmetic ------------------------------------------------

struct BroadcastPair {
  std::vector<int64_t> a;
  std::vector<int64_t> b;
};
const BroadcastPair kBroadcastPairs[] = {
    {{2, 3, 4}, {2, 3, 4}},  // same shape
    {{2, 3, 4}, {3, 1}},     // b broadcast over the batch and the last dim
    {{4}, {2, 3, 4}},        // a broadcast over leading dims
    {{2, 1, 4}, {1, 3, 1}},  // both broadcast
    {{3, 4}, {}},            // a 0-d tensor
};

TEST(Gradients, AddSubMulDivWithBroadcasting) {
  std::mt19937_64 rng(101);
  for (const BroadcastPair& pair : kBroadcastPairs) {
    const std::string shapes = format_ints(pair.a) + " and " + format_ints(pair.b);
    Tensor a = make_leaf(pair.a, rng);
    Tensor b = make_leaf(pair.b, rng);
    expect_gradients_match_finite_differences(
        "add " + shapes, [](const Inputs& x) { return sgmm::add(x[0], x[1]); }, {a, b});
    expect_gradients_match_finite_differences("sub " + shapes,
                                              [](const Inputs& x) { return x[0] - x[1]; }, {a, b});
    expect_gradients_match_finite_differences(
        "mul " + shapes, [](const Inputs& x) { return x[0].mul(x[1]); }, {a, b});
    // Denominators away from zero, so the finite difference is well conditioned.
    Tensor denominator = make_leaf(pair.b, rng, 0.5, 1.5);
    expect_gradients_match_finite_differences(
        "div " + shapes, [](const Inputs& x) { return x[0] / x[1]; }, {a, denominator});
    expect_gradients_match_finite_differences("div (swapped) " + shapes,
                                              [](const Inputs& x) { return sgmm::div(x[1], x[0]); },
                                              {make_leaf(pair.a, rng, 0.5, 1.5), b});
  }
}

TEST(Gradients, ScalarOperandsAndOperators) {
  std::mt19937_64 rng(102);
  Tensor a = make_leaf({3, 5}, rng, 0.5, 1.5);
  expect_gradients_match_finite_differences("scalar forms",
                                            [](const Inputs& x) {
                                              return (x[0] + 2.0) * 3.0 - x[0] / 4.0 + 1.5 * x[0] -
                                                     (2.0 - x[0]) + 2.0 / x[0] -
                                                     x[0].add(1.0).mul(0.5).sub(0.25).div(3.0);
                                            },
                                            {a});
  expect_gradients_match_finite_differences(
      "neg", [](const Inputs& x) { return sgmm::neg(x[0]) + (-x[0]).mul(x[0]); }, {a});
}

TEST(Gradients, ATensorUsedTwiceAccumulatesBothPaths) {
  std::mt19937_64 rng(103);
  Tensor a = make_leaf({4, 3}, rng);
  Tensor b = make_leaf({3}, rng);
  expect_gradients_match_finite_differences(
      "x * x + x * y - y", [](const Inputs& x) { return x[0] * x[0] + x[0] * x[1] - x[1]; },
      {a, b});
}

// ---- reductions --------------------------------------------------------------

TEST(Gradients, SumAndMeanOverAllAndOverADim) {
  std::mt19937_64 rng(104);
  Tensor a = make_leaf({2, 3, 4}, rng);
  expect_gradients_match_finite_differences("sum()", [](const Inputs& x) { return x[0].sum(); },
                                            {a});
  expect_gradients_match_finite_differences("mean()",
                                            [](const Inputs& x) { return sgmm::mean(x[0]); }, {a});
  for (int64_t dim : {0, 1, 2, -1}) {
    for (bool keepdim : {false, true}) {
      const std::string where = " dim " + std::to_string(dim) + (keepdim ? " keepdim" : "");
      expect_gradients_match_finite_differences(
          "sum" + where, [dim, keepdim](const Inputs& x) { return x[0].sum(dim, keepdim); }, {a});
      expect_gradients_match_finite_differences(
          "mean" + where,
          [dim, keepdim](const Inputs& x) { return sgmm::mean(x[0], dim, keepdim); }, {a});
    }
  }
  // A reduction of a non-contiguous view.
  expect_gradients_match_finite_differences(
      "sum of a transposed view", [](const Inputs& x) { return x[0].transpose(0, 2).sum(1); }, {a});
}

// ---- views ---------------------------------------------------------------------

TEST(Gradients, Views) {
  std::mt19937_64 rng(105);
  Tensor a = make_leaf({2, 3, 4}, rng);
  // gradcheck projects each output on distinct random weights, so a view's
  // backward that sends a gradient to the wrong element cannot pass.
  const struct {
    const char* name;
    DifferentiableFunction function;
  } views[] = {
      {"transpose", [](const Inputs& x) { return x[0].transpose(0, 2) * 2.0; }},
      {"t", [](const Inputs& x) { return x[0].select(0, 1).t() * 2.0; }},
      {"permute",
       [](const Inputs& x) {
         return x[0].permute({2, 0, 1});
       }},
      {"reshape (view)",
       [](const Inputs& x) {
         return x[0].reshape({6, 4});
       }},
      {"reshape (copy)",
       [](const Inputs& x) {
         return x[0].transpose(1, 2).reshape({8, 3});
       }},
      {"view",
       [](const Inputs& x) {
         return x[0].view({4, 6});
       }},
      {"expand",
       [](const Inputs& x) {
         return x[0].select(1, 2).unsqueeze(1).expand({2, 5, 4});
       }},
      {"expand new dims",
       [](const Inputs& x) {
         return x[0].expand({3, 2, 3, 4});
       }},
      {"select", [](const Inputs& x) { return x[0].select(2, -1); }},
      {"narrow", [](const Inputs& x) { return x[0].narrow(2, 1, 2); }},
      {"unsqueeze/squeeze",
       [](const Inputs& x) { return x[0].unsqueeze(0).squeeze(0).unsqueeze(3); }},
      {"contiguous of a view",
       [](const Inputs& x) {
         return x[0].permute({1, 2, 0}).contiguous();
       }},
      {"clone", [](const Inputs& x) { return x[0].clone(); }},
      {"chained views",
       [](const Inputs& x) {
         return x[0].narrow(1, 1, 2).transpose(0, 1).reshape({2, 8}).select(0, 1);
       }},
  };
  for (const auto& view : views)
    expect_gradients_match_finite_differences(view.name, view.function, {a});
}

// ---- matrix products -----------------------------------------------------------------

TEST(Gradients, BmmWithPlainTransposedAndExpandedOperands) {
  std::mt19937_64 rng(106);
  Tensor a = make_leaf({3, 4, 5}, rng);
  Tensor b = make_leaf({3, 5, 2}, rng);
  expect_gradients_match_finite_differences(
      "bmm", [](const Inputs& x) { return sgmm::bmm(x[0], x[1]); }, {a, b});
  Tensor a_t = make_leaf({3, 5, 4}, rng);
  Tensor b_t = make_leaf({3, 2, 5}, rng);
  expect_gradients_match_finite_differences(
      "bmm of transposes",
      [](const Inputs& x) { return x[0].transpose(1, 2).bmm(x[1].transpose(1, 2)); }, {a_t, b_t});
  Tensor shared = make_leaf({1, 5, 2}, rng);
  expect_gradients_match_finite_differences("bmm with an expanded weight",
                                            [](const Inputs& x) {
                                              return sgmm::bmm(x[0], x[1].expand({3, 5, 2}));
                                            },
                                            {a, shared});
}

TEST(Gradients, MatmulOverRankCombinations) {
  std::mt19937_64 rng(107);
  const BroadcastPair pairs[] = {
      {{4}, {4}},          {{3, 4}, {4}},       {{4}, {4, 2}},
      {{3, 4}, {4, 2}},    {{2, 3, 4}, {4}},    {{4}, {2, 4, 3}},
      {{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 2}},
  };
  for (const BroadcastPair& pair : pairs) {
    Tensor a = make_leaf(pair.a, rng);
    Tensor b = make_leaf(pair.b, rng);
    expect_gradients_match_finite_differences(
        "matmul " + format_ints(pair.a) + " x " + format_ints(pair.b),
        [](const Inputs& x) { return sgmm::matmul(x[0], x[1]); }, {a, b});
  }
}

// ---- scaled_grouped_mm -----------------------------------------------------------------

TEST(Gradients, ScaledGroupedMMInputWeightAndNumberScale) {
  std::mt19937_64 rng(108);
  Tensor a = make_leaf({2, 3, 5}, rng);
  Tensor w = make_leaf({2, 5, 4}, rng);
  for (double scale : {1.0, 0.125, -3.0, 0.0}) {
    expect_gradients_match_finite_differences(
        "scaled_grouped_mm scale " + std::to_string(scale),
        [scale](const Inputs& x) { return F::scaled_grouped_mm(x[0], x[1], scale); }, {a, w});
  }
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm options.scale(double)",
      [](const Inputs& x) {
        return F::scaled_grouped_mm(x[0], x[1], F::ScaledGroupedMMFuncOptions().scale(-0.7));
      },
      {a, w});
}

TEST(Gradients, ScaledGroupedMMLearnableScale) {
  std::mt19937_64 rng(109);
  Tensor a = make_leaf({2, 3, 5}, rng);
  Tensor w = make_leaf({2, 5, 4}, rng);
  Tensor scale = make_leaf({}, rng);
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm 0-d tensor scale",
      [](const Inputs& x) { return F::scaled_grouped_mm(x[0], x[1], x[2]); }, {a, w, scale});
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm options.scale(tensor)",
      [](const Inputs& x) {
        return F::scaled_grouped_mm(x[0], x[1], F::ScaledGroupedMMFuncOptions().scale(x[2]));
      },
      {a, w, scale});
  // A scale that is itself computed: the gradient flows on through it.
  Tensor scale_root = make_leaf({1}, rng);
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm scale from a graph",
      [](const Inputs& x) { return F::scaled_grouped_mm(x[0], x[1], (x[2] * x[2]).sum()); },
      {a, w, scale_root});
}

TEST(Gradients, ScaledGroupedMMTransposedAndExpandedOperands) {
  std::mt19937_64 rng(110);
  Tensor a_t = make_leaf({3, 5, 4}, rng);       // used as [3, 4, 5]
  Tensor w_shared = make_leaf({1, 2, 5}, rng);  // used as [3, 5, 2], one weight for every batch
  Tensor scale = make_leaf({}, rng);
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm of a transposed input and an expanded transposed weight",
      [](const Inputs& x) {
        return F::scaled_grouped_mm(x[0].transpose(1, 2), x[1].transpose(1, 2).expand({3, 5, 2}),
                                    x[2]);
      },
      {a_t, w_shared, scale});
  Tensor a_row = make_leaf({1, 4, 5}, rng);  // one input for every batch
  Tensor w = make_leaf({3, 5, 2}, rng);
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm of an expanded input",
      [](const Inputs& x) {
        return F::scaled_grouped_mm(x[0].expand({3, 4, 5}), x[1], 0.5);
      },
      {a_row, w});
}

TEST(Gradients, ScaleGetsNoGradientUnlessItRequiresOne) {
  std::mt19937_64 rng(111);
  Tensor a = make_leaf({2, 3, 5}, rng);
  Tensor w = make_leaf({2, 5, 4}, rng);
  Tensor fixed_scale = sgmm::tensor(0.25, sgmm::TensorOptions().dtype(sgmm::kFloat64));
  // gradcheck checks that an input with requires_grad false receives nothing.
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm constant tensor scale",
      [](const Inputs& x) { return F::scaled_grouped_mm(x[0], x[1], x[2]); }, {a, w, fixed_scale});
  EXPECT_FALSE(fixed_scale.grad().defined());
  // And a scale that requires grad while the operands do not still gets one.
  Tensor a_fixed = a.detach(), w_fixed = w.detach();
  Tensor scale = make_leaf({}, rng);
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm only the scale learns",
      [](const Inputs& x) { return F::scaled_grouped_mm(x[0], x[1], x[2]); },
      {a_fixed, w_fixed, scale});
  EXPECT_FALSE(a_fixed.grad().defined());
}

TEST(Gradients, OnlyInputsThatRequireGradReceiveOne) {
  std::mt19937_64 rng(112);
  Tensor a = make_leaf({2, 3, 5}, rng);
  Tensor w = make_leaf({2, 5, 4}, rng).detach();
  ASSERT_FALSE(w.requires_grad());
  expect_gradients_match_finite_differences(
      "scaled_grouped_mm constant weight",
      [](const Inputs& x) { return F::scaled_grouped_mm(x[0], x[1], -3.0); }, {a, w});
}

// In every dtype, backward's products are GEMMs themselves: d input =
// scale * g @ w^T and d weight = scale * a^T @ g, within the GEMM error
// bound of the float64 reference; d scale = sum(g * (a @ w)) in the scale's
// own dtype.
TEST(Gradients, ScaledGroupedMMBackwardInEveryDtypeMatchesTheReference) {
  std::mt19937_64 rng(113);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (sgmm::ScalarType scale_dtype : {sgmm::kFloat32, sgmm::kFloat64}) {
      const sgmm::TensorOptions options = sgmm::TensorOptions().dtype(dtype);
      Tensor a = sgmm::empty({3, 17, 29}, options);
      Tensor w_base = sgmm::empty({3, 11, 29}, options);  // weight used transposed
      Tensor g = sgmm::empty({3, 17, 11}, options);
      fill_uniform(a, rng, -1, 1);
      fill_uniform(w_base, rng, -1, 1);
      fill_uniform(g, rng, -1, 1);
      a.requires_grad_(true);
      w_base.requires_grad_(true);
      Tensor scale =
          sgmm::tensor(-3.0, sgmm::TensorOptions().dtype(scale_dtype).requires_grad(true));
      const Tensor w = w_base.transpose(1, 2);
      const Tensor y = F::scaled_grouped_mm(a, w, scale);
      y.backward(g);
      const std::string where =
          std::string(sgmm::dtype_name(dtype)) + ", scale " + sgmm::dtype_name(scale_dtype);
      ASSERT_TRUE(a.grad().defined() && w_base.grad().defined() && scale.grad().defined()) << where;
      EXPECT_EQ(a.grad().scalar_type(), dtype) << where;
      EXPECT_EQ(w_base.grad().scalar_type(), dtype) << where;
      EXPECT_EQ(scale.grad().scalar_type(), scale_dtype) << where;
      EXPECT_EQ(scale.grad().dim(), 0) << where;
      // d input = scale * g @ w^T, where w^T is w_base itself.
      EXPECT_TRUE(matches_reference_bmm(a.grad(), g, w_base, -3.0)) << where << ": d input";
      // d w_base = (d w)^T = (scale * a^T @ g)^T = scale * g^T @ a.
      EXPECT_TRUE(matches_reference_bmm(w_base.grad(), g.transpose(1, 2), a.detach(), -3.0))
          << where << ": d weight";
      // d scale = sum(g * (a @ w)): compare with the float64 value, allowing
      // for the product's rounding to dtype and a k = 29 GEMM plus a
      // 561-term sum in the accumulation dtype, and the rounding to the
      // scale's dtype.
      const ReferenceProduct product = reference_bmm(a.detach(), w.detach(), 1.0);
      const std::vector<double> g_values = values_of(g);
      double expected = 0, magnitude = 0;
      for (size_t e = 0; e < g_values.size(); ++e) {
        expected += g_values[e] * product.values[e];
        magnitude += std::fabs(g_values[e]) * product.absolute_sums[e];
      }
      const double tolerance =
          4 * (epsilon_of(dtype) + (29 + 561) * epsilon_of(accumulation_dtype_of(dtype))) *
              magnitude +
          epsilon_of(scale_dtype) * std::fabs(expected);
      EXPECT_NEAR(scale.grad().item<double>(), expected, tolerance) << where << ": d scale";
    }
  }
}

// ---- graph behaviour ---------------------------------------------------------------------

TEST(Gradients, AccumulateAcrossBackwardCalls) {
  const sgmm::TensorOptions options =
      sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true);
  Tensor x = sgmm::tensor({1.0, 2.0, 3.0}, options);
  (x * 2.0).sum().backward();
  (x * x).sum().backward();
  EXPECT_EQ(values_of(x.grad()), (std::vector<double>{4.0, 6.0, 8.0}));  // 2 + 2x
  x.mutable_grad() = Tensor();
  (x * 3.0).sum().backward();
  EXPECT_EQ(values_of(x.grad()), (std::vector<double>{3.0, 3.0, 3.0}));
}

TEST(Gradients, RetainGraphAllowsASecondBackward) {
  const sgmm::TensorOptions options =
      sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true);
  Tensor a = sgmm::ones({1, 2, 3}, options);
  Tensor w = sgmm::full({1, 3, 2}, 2.0, options);
  Tensor y = F::scaled_grouped_mm(a, w, 0.5).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  // d sum / d a = 0.5 * rowsum(w) = 0.5 * 4 = 2 per element, twice.
  for (double v : values_of(a.grad())) EXPECT_EQ(v, 4.0);
}

TEST(Gradients, DetachAndNoGradStopTheGraph) {
  const sgmm::TensorOptions options =
      sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true);
  Tensor x = sgmm::tensor({1.0, 2.0}, options);
  Tensor y = (x * x.detach()).sum();
  y.backward();
  EXPECT_EQ(values_of(x.grad()), (std::vector<double>{1.0, 2.0}));
  {
    sgmm::NoGradGuard no_grad;
    EXPECT_FALSE(sgmm::is_grad_enabled());
    EXPECT_FALSE((x * 2.0).requires_grad());
  }
  EXPECT_TRUE(sgmm::is_grad_enabled());
  EXPECT_TRUE((x * 2.0).requires_grad());
}

TEST(Gradients, BackwardOfSeveralRootsSumsTheirGradients) {
  const sgmm::TensorOptions options =
      sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true);
  Tensor x = sgmm::tensor({1.0, -2.0}, options);
  sgmm::autograd::backward({(x * 3.0).sum(), (x * x).sum()});
  EXPECT_EQ(values_of(x.grad()), (std::vector<double>{5.0, -1.0}));  // 3 + 2x
}

TEST(Gradients, DeepChainsDoNotOverflowTheStack) {
  const sgmm::TensorOptions options =
      sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true);
  Tensor x = sgmm::tensor({1.0}, options);
  Tensor y = x;
  for (int i = 0; i < 50000; ++i) y = y + 1.0;
  y.sum().backward();
  EXPECT_EQ(values_of(x.grad()), (std::vector<double>{1.0}));
}

}  // namespace
