// Elementwise arithmetic with broadcasting, dtype rules, reductions.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

TEST(Elementwise, BroadcastsLikeTorch) {
  Tensor a = arange(6, kFloat32).view({2, 3});
  Tensor b = tensor({10.0, 20.0, 30.0});
  EXPECT_TRUE(equal(a + b, tensor({10, 21, 32, 13, 24, 35}).view({2, 3})));
  Tensor col = tensor({1.0, 2.0}).view({2, 1});
  EXPECT_TRUE(equal(a * col, tensor({0, 1, 2, 6, 8, 10}).view({2, 3})));
  Tensor outer = tensor({1.0, 2.0}).view({2, 1}) - tensor({1.0, 2.0, 3.0});
  EXPECT_EQ(outer.sizes(), IntArrayRef({2, 3}));
  EXPECT_TRUE(equal(outer, tensor({0, -1, -2, 1, 0, -1}).view({2, 3})));
  EXPECT_THROW(a + tensor({1.0, 2.0}), ShapeError);
}

TEST(Elementwise, WorksOnStridedViews) {
  Tensor a = arange(12, kFloat64).view({3, 4});
  Tensor t = a.t();  // [4, 3]
  Tensor sum = t + t.contiguous();
  EXPECT_TRUE(equal(sum, (a + a).t().contiguous()));
  Tensor d = a.narrow(1, 1, 2) / a.narrow(1, 0, 1).add(1);
  EXPECT_DOUBLE_EQ(d.select(0, 2).select(0, 1).item<double>(), 10.0 / 9.0);
}

TEST(Elementwise, ScalarsTakeTheTensorDtype) {
  Tensor h = ones({2}, kBFloat16);
  EXPECT_EQ((h * 0.5).scalar_type(), kBFloat16);
  EXPECT_EQ((h * 0.5).to(kFloat32).data_ptr<float>()[0], 0.5f);
  EXPECT_EQ((2.0 - h).to(kFloat32).data_ptr<float>()[0], 1.0f);
  EXPECT_EQ((3.0 / ones({1})).item<float>(), 3.0f);
  Tensor i = arange(4, kInt32);
  EXPECT_EQ((i + 1).scalar_type(), kInt32);
  EXPECT_EQ((i * 3).data_ptr<int32_t>()[3], 9);
  EXPECT_THROW(i + 0.5, DTypeError);
}

TEST(Elementwise, DtypesMustMatch) {
  try {
    (void)(ones({2}) + ones({2}, kFloat64));
    FAIL() << "no error";
  } catch (const DTypeError& e) {
    EXPECT_NE(std::string(e.what()).find(".to("), std::string::npos) << e.what();
  }
  EXPECT_THROW(ones({2}, kBool) + ones({2}, kBool), DTypeError);
}

TEST(Elementwise, IntegerDivisionGivesFloat32) {
  Tensor q = arange(1, 4) / arange(1, 4).add(1);
  EXPECT_EQ(q.scalar_type(), kFloat32);
  EXPECT_FLOAT_EQ(q.data_ptr<float>()[0], 0.5f);
  EXPECT_EQ((arange(3) / 2).scalar_type(), kFloat32);
  EXPECT_FLOAT_EQ((arange(3) / 2).data_ptr<float>()[1], 0.5f);
}

TEST(Elementwise, IntegerArithmeticWrapsAround) {
  Tensor big = full({1}, std::numeric_limits<int64_t>::max());
  EXPECT_EQ((big + 1).item<int64_t>(), std::numeric_limits<int64_t>::min());
}

TEST(Elementwise, NegFlipsTheSignOfZero) {
  Tensor z = zeros({1}).neg();
  EXPECT_TRUE(std::signbit(z.item<float>()));
  EXPECT_EQ((-arange(3)).data_ptr<int64_t>()[2], -2);
}

TEST(Elementwise, IeeeSpecialValuesPropagate) {
  double inf = std::numeric_limits<double>::infinity();
  Tensor x = tensor({1.0, 0.0, inf}, kFloat64);
  Tensor y = x / tensor({0.0, 0.0, inf}, kFloat64);
  EXPECT_TRUE(std::isinf(y.data_ptr<double>()[0]));
  EXPECT_TRUE(std::isnan(y.data_ptr<double>()[1]));
  EXPECT_TRUE(std::isnan(y.data_ptr<double>()[2]));
}

TEST(Reduce, SumAndMeanOverEverything) {
  Tensor a = arange(6, kFloat32).view({2, 3});
  EXPECT_EQ(a.sum().dim(), 0);
  EXPECT_EQ(a.sum().item<float>(), 15.0f);
  EXPECT_EQ(a.mean().item<float>(), 2.5f);
  EXPECT_EQ(arange(5).sum().scalar_type(), kInt64);
  EXPECT_EQ(arange(5, kInt8).sum().item<int64_t>(), 10);
  EXPECT_THROW(arange(5).mean(), DTypeError);
  EXPECT_TRUE(std::isnan(empty({0}).mean().item<float>()));
  EXPECT_EQ(empty({0}).sum().item<float>(), 0.0f);
}

TEST(Reduce, OverOneDimWithAndWithoutKeepdim) {
  Tensor a = arange(24, kFloat64).view({2, 3, 4});
  Tensor s1 = a.sum(1);
  EXPECT_EQ(s1.sizes(), IntArrayRef({2, 4}));
  EXPECT_EQ(s1.select(0, 1).select(0, 2).item<double>(), 14 + 18 + 22);
  Tensor s2 = a.sum(-1, true);
  EXPECT_EQ(s2.sizes(), IntArrayRef({2, 3, 1}));
  EXPECT_EQ(s2.select(0, 0).select(0, 0).item<double>(), 6);
  Tensor m = a.transpose(0, 2).mean(0);  // over the original last dim
  EXPECT_EQ(m.sizes(), IntArrayRef({3, 2}));
  EXPECT_EQ(m.select(0, 0).select(0, 1).item<double>(), (12 + 13 + 14 + 15) / 4.0);
  EXPECT_THROW(a.sum(3), ValueError);
}

TEST(Reduce, Float32SumsAccumulateInDouble) {
  // 2^24 + 1 + 1 + ... is stuck at 2^24 in float accumulation.
  Tensor x = ones({1000});
  x.narrow(0, 0, 1).fill_(16777216.0);
  EXPECT_EQ(x.sum().item<float>(), 16777216.0f + 999.0f);
}

TEST(Reduce, MeanDividesBeforeRounding) {
  // (1 + 2^-23) * 3 / 3 in float32: dividing the double sum returns the
  // input exactly; dividing a rounded float sum would not.
  float v = 1.0f + std::ldexp(1.0f, -23);
  Tensor x = full({3}, static_cast<double>(v));
  EXPECT_EQ(x.mean().item<float>(), v);
  EXPECT_EQ(x.view({1, 3}).mean(1).item<float>(), v);
}

TEST(Compare, EqualAndAllclose) {
  Tensor a = tensor({1.0, 2.0});
  EXPECT_TRUE(equal(a, a.clone()));
  EXPECT_FALSE(equal(a, a.to(kFloat64)));
  EXPECT_FALSE(equal(a, tensor({1.0, 2.0, 3.0})));
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(equal(tensor({nan}), tensor({nan})));
  EXPECT_TRUE(allclose(a, tensor({1.0, 2.0 + 1e-6}, kFloat64)));
  EXPECT_FALSE(allclose(a, tensor({1.0, 2.1})));
  EXPECT_FALSE(allclose(tensor({nan}), tensor({nan})));
}

}  // namespace
}  // namespace sgmm
