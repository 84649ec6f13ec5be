// Every differentiable operation's backward against central finite
// differences in float64 (micrograd's check, without PyTorch).

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "autograd/node.hpp"
#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

namespace F = nn::functional;
using Function = std::function<Tensor(const std::vector<Tensor>&)>;

Tensor leaf(IntArrayRef sizes) {
  return randn(sizes, kFloat64).requires_grad_();
}

// Checks d sum(f(inputs) * probe) / d input against central differences,
// for every element of every input that requires grad.
void expect_gradients_match(const Function& f, std::vector<Tensor> inputs) {
  Tensor out = f(inputs);
  Tensor probe = randn(out.sizes(), kFloat64);
  (out * probe).sum().backward();
  NoGradGuard no_grad;
  constexpr double kStep = 1e-6;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor& x = inputs[i];
    if (!x.requires_grad()) continue;
    ASSERT_TRUE(x.grad().defined()) << "input " << i << " got no gradient";
    ASSERT_EQ(x.grad().sizes(), x.sizes()) << "input " << i;
    ASSERT_TRUE(x.is_contiguous());
    double* data = x.data_ptr<double>();
    Tensor grad = x.grad().contiguous();
    const double* analytic = grad.data_ptr<double>();
    for (int64_t e = 0; e < x.numel(); ++e) {
      double saved = data[e];
      data[e] = saved + kStep;
      double plus = (f(inputs) * probe).sum().item<double>();
      data[e] = saved - kStep;
      double minus = (f(inputs) * probe).sum().item<double>();
      data[e] = saved;
      double numeric = (plus - minus) / (2 * kStep);
      EXPECT_NEAR(analytic[e], numeric, 1e-6 * (1 + std::abs(numeric)))
          << "input " << i << " element " << e;
    }
  }
}

TEST(Gradients, ElementwiseWithBroadcasting) {
  manual_seed(10);
  expect_gradients_match([](auto& v) { return v[0] + v[1]; }, {leaf({2, 3}), leaf({3})});
  expect_gradients_match([](auto& v) { return v[0] - v[1]; }, {leaf({2, 1}), leaf({1, 3})});
  expect_gradients_match([](auto& v) { return v[0] * v[1]; }, {leaf({4, 2, 3}), leaf({2, 1})});
  expect_gradients_match([](auto& v) { return v[0] / (v[1] * v[1] + 1); },
                         {leaf({2, 3}), leaf({2, 3})});
  expect_gradients_match([](auto& v) { return -v[0]; }, {leaf({3})});
}

TEST(Gradients, ScalarOperands) {
  manual_seed(11);
  expect_gradients_match([](auto& v) { return v[0] * 2.5 + 1; }, {leaf({3})});
  expect_gradients_match([](auto& v) { return 3.0 - v[0] / 4; }, {leaf({3})});
  expect_gradients_match([](auto& v) { return 2.0 / (v[0] * v[0] + 1); }, {leaf({3})});
  expect_gradients_match([](auto& v) { return 2.0 * v[0] + 1.0; }, {leaf({3})});
}

TEST(Gradients, Reductions) {
  manual_seed(12);
  expect_gradients_match([](auto& v) { return v[0].sum(); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].mean(); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].sum(1); }, {leaf({2, 3, 2})});
  expect_gradients_match([](auto& v) { return v[0].mean(-1, true); }, {leaf({2, 3})});
}

TEST(Gradients, Views) {
  manual_seed(13);
  expect_gradients_match([](auto& v) { return v[0].transpose(0, 2) * v[1]; },
                         {leaf({2, 3, 4}), leaf({4, 3, 2})});
  expect_gradients_match([](auto& v) { return v[0].permute({1, 2, 0}); }, {leaf({2, 3, 4})});
  expect_gradients_match([](auto& v) { return v[0].view({3, 2}); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].t().reshape({6}); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].expand({4, 2, 3}); }, {leaf({2, 1})});
  expect_gradients_match([](auto& v) { return v[0].select(1, 2); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].narrow(0, 1, 2); }, {leaf({4, 2})});
  expect_gradients_match([](auto& v) { return v[0].unsqueeze(1).squeeze(1); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].t().contiguous(); }, {leaf({2, 3})});
  expect_gradients_match([](auto& v) { return v[0].clone(); }, {leaf({2})});
}

TEST(Gradients, ConversionBetweenFloatDtypes) {
  manual_seed(14);
  Tensor x = leaf({3});
  Tensor y = x.to(kFloat32);
  EXPECT_EQ(y.grad_fn()->name(), std::string("ToCopyBackward0"));
  (y * 2).sum().backward();
  EXPECT_EQ(x.grad().scalar_type(), kFloat64);
  EXPECT_TRUE(equal(x.grad(), full({3}, 2.0, kFloat64)));
  EXPECT_FALSE(x.to(kInt64).requires_grad());
}

TEST(Gradients, Bmm) {
  manual_seed(15);
  expect_gradients_match([](auto& v) { return bmm(v[0], v[1]); }, {leaf({2, 3, 4}), leaf({2, 4, 5})});
  expect_gradients_match([](auto& v) { return v[0].transpose(1, 2).bmm(v[1]); },
                         {leaf({2, 4, 3}), leaf({2, 4, 2})});
}

TEST(Gradients, ScaledGroupedMm) {
  manual_seed(16);
  expect_gradients_match([](auto& v) { return F::scaled_grouped_mm(v[0], v[1], 0.125); },
                         {leaf({3, 4, 5}), leaf({3, 5, 2})});
  // Q @ K^T with K passed as a transposed view.
  expect_gradients_match(
      [](auto& v) { return F::scaled_grouped_mm(v[0], v[1].transpose(1, 2), 0.5); },
      {leaf({2, 3, 4}), leaf({2, 3, 4})});
  // A learnable scale.
  expect_gradients_match([](auto& v) { return F::scaled_grouped_mm(v[0], v[1], v[2]); },
                         {leaf({2, 3, 4}), leaf({2, 4, 3}), randn({}, kFloat64).requires_grad_()});
}

TEST(Gradients, ScaledGroupedMmWithASharedWeight) {
  manual_seed(17);
  // The weight is expanded over the batch (batch stride 0): its gradient
  // sums over the batch through expand's backward.
  expect_gradients_match(
      [](auto& v) { return F::scaled_grouped_mm(v[0], v[1].expand({4, 3, 2}), 2.0); },
      {leaf({4, 5, 3}), leaf({1, 3, 2})});
  expect_gradients_match(
      [](auto& v) { return F::scaled_grouped_mm(v[0], v[1].unsqueeze(0).expand({4, 3, 2}), 2.0); },
      {leaf({4, 5, 3}), leaf({3, 2})});
}

TEST(Gradients, ScaleGradientOnlyWhenItIsWanted) {
  manual_seed(18);
  Tensor a = leaf({2, 3, 4});
  Tensor w = randn({2, 4, 3}, kFloat64);
  Tensor s = tensor(0.5, kFloat64);
  F::scaled_grouped_mm(a, w, s).sum().backward();
  EXPECT_TRUE(a.grad().defined());
  EXPECT_FALSE(s.grad().defined());
  EXPECT_FALSE(w.grad().defined());
}

TEST(Gradients, ScaleGradientKeepsTheScaleDtype) {
  manual_seed(19);
  Tensor a = randn({2, 3, 4});
  Tensor w = randn({2, 4, 3});
  Tensor s = tensor(2.0, kFloat64).requires_grad_();
  Tensor y = F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions().scale(s));
  EXPECT_EQ(y.scalar_type(), kFloat32);
  y.sum().backward();
  EXPECT_EQ(s.grad().scalar_type(), kFloat64);
  EXPECT_EQ(s.grad().dim(), 0);
  double expected = bmm(a, w).to(kFloat64).sum().item<double>();
  EXPECT_NEAR(s.grad().item<double>(), expected, 1e-4 * (1 + std::abs(expected)));
}

TEST(Gradients, Matmul) {
  manual_seed(20);
  auto mm = [](auto& v) { return matmul(v[0], v[1]); };
  expect_gradients_match(mm, {leaf({3, 4}), leaf({4, 2})});
  expect_gradients_match(mm, {leaf({4}), leaf({4})});
  expect_gradients_match(mm, {leaf({4}), leaf({4, 3})});
  expect_gradients_match(mm, {leaf({3, 4}), leaf({4})});
  expect_gradients_match(mm, {leaf({2, 3, 4}), leaf({4})});
  expect_gradients_match(mm, {leaf({2, 3, 4}), leaf({4, 5})});
  expect_gradients_match(mm, {leaf({3, 4}), leaf({2, 4, 5})});
  expect_gradients_match(mm, {leaf({2, 1, 3, 4}), leaf({3, 4, 2})});
  expect_gradients_match([](auto& v) { return v[0].matmul(v[1].t()); },
                         {leaf({2, 3, 4}), leaf({5, 4})});
}

TEST(Gradients, EmptyProductsGiveEmptyOrZeroGradients) {
  Tensor a = randn({0, 3, 2, 4}, kFloat64).requires_grad_();
  Tensor b = randn({3, 4, 5}, kFloat64).requires_grad_();
  Tensor y = matmul(a, b);
  EXPECT_EQ(y.sizes(), IntArrayRef({0, 3, 2, 5}));
  y.sum().backward();
  EXPECT_EQ(a.grad().sizes(), a.sizes());
  EXPECT_TRUE(equal(b.grad(), zeros({3, 4, 5}, kFloat64)));
  // k = 0: the product is zeros, and so are the gradients of the empty operands.
  Tensor c = randn({2, 3, 0}, kFloat64).requires_grad_();
  Tensor d = randn({2, 0, 4}, kFloat64).requires_grad_();
  Tensor z = F::scaled_grouped_mm(c, d, 3.0);
  EXPECT_TRUE(equal(z, zeros({2, 3, 4}, kFloat64)));
  z.sum().backward();
  EXPECT_EQ(c.grad().sizes(), c.sizes());
  EXPECT_EQ(d.grad().sizes(), d.sizes());
}

}  // namespace
}  // namespace sgmm
