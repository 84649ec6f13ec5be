// dtype names and conversions, including bf16/f16 rounding.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

TEST(Dtype, ParseDtypeAcceptsTorchNames) {
  ScalarType t = kInt8;
  EXPECT_TRUE(parse_dtype("float32", &t));
  EXPECT_EQ(t, kFloat32);
  EXPECT_TRUE(parse_dtype("torch.float64", &t));
  EXPECT_EQ(t, kFloat64);
  EXPECT_TRUE(parse_dtype("half", &t));
  EXPECT_EQ(t, kFloat16);
  EXPECT_TRUE(parse_dtype("long", &t));
  EXPECT_EQ(t, kInt64);
  EXPECT_TRUE(parse_dtype("bfloat16", &t));
  EXPECT_EQ(t, kBFloat16);
  EXPECT_FALSE(parse_dtype("float8", &t));
  EXPECT_FALSE(parse_dtype(nullptr, &t));
}

TEST(Dtype, BFloat16RoundsToNearestEven) {
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1).
  Tensor t = tensor({1.0 + std::ldexp(1.0, -8), 1.0 + 3 * std::ldexp(1.0, -8)}).to(kBFloat16);
  EXPECT_EQ(t.to(kFloat32).data_ptr<float>()[0], 1.0f);
  EXPECT_EQ(t.to(kFloat32).data_ptr<float>()[1], 1.0f + std::ldexp(1.0f, -6));
}

TEST(Dtype, Float16RoundsOverflowsAndKeepsSubnormals) {
  Tensor t = tensor({1.0 + std::ldexp(1.0, -11), 70000.0, std::ldexp(1.0, -24), 65504.0},
                    kFloat64)
                 .to(kFloat16)
                 .to(kFloat64);
  const double* p = t.data_ptr<double>();
  EXPECT_EQ(p[0], 1.0);  // tie to even
  EXPECT_TRUE(std::isinf(p[1]));
  EXPECT_EQ(p[2], std::ldexp(1.0, -24));  // smallest subnormal
  EXPECT_EQ(p[3], 65504.0);
}

TEST(Dtype, FloatToIntTruncatesAndSaturates) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor t = tensor({2.7, -2.7, 1e30, -1e30, nan}, kFloat64).to(kInt32);
  const int32_t* p = t.data_ptr<int32_t>();
  EXPECT_EQ(p[0], 2);
  EXPECT_EQ(p[1], -2);
  EXPECT_EQ(p[2], std::numeric_limits<int32_t>::max());
  EXPECT_EQ(p[3], std::numeric_limits<int32_t>::min());
  EXPECT_EQ(p[4], 0);
  Tensor s = tensor({300.0, -200.0}).to(kInt8);
  EXPECT_EQ(s.data_ptr<int8_t>()[0], 127);
  EXPECT_EQ(s.data_ptr<int8_t>()[1], -128);
}

TEST(Dtype, BoolConversions) {
  Tensor b = tensor({0.0, 0.5, -2.0}).to(kBool);
  EXPECT_FALSE(b.data_ptr<bool>()[0]);
  EXPECT_TRUE(b.data_ptr<bool>()[1]);
  EXPECT_TRUE(b.data_ptr<bool>()[2]);
  Tensor back = b.to(kInt64);
  EXPECT_EQ(back.data_ptr<int64_t>()[2], 1);
}

TEST(Dtype, EveryPairConvertsSmallIntegersExactly) {
  const ScalarType all[] = {kFloat32, kFloat64, kBFloat16, kFloat16, kInt8, kInt32, kInt64};
  for (ScalarType from : all) {
    Tensor source = tensor({0.0, 1.0, -5.0, 100.0}, from);
    for (ScalarType to : all) {
      Tensor converted = source.to(to).to(kFloat64);
      const double* p = converted.data_ptr<double>();
      EXPECT_EQ(p[0], 0.0) << from << "->" << to;
      EXPECT_EQ(p[2], -5.0) << from << "->" << to;
      EXPECT_EQ(p[3], 100.0) << from << "->" << to;
    }
  }
}

TEST(Dtype, ToSameDtypeReturnsTheSameTensor) {
  Tensor t = ones({2});
  EXPECT_TRUE(t.to(kFloat32).is_same(t));
  EXPECT_FALSE(t.to(kFloat64).is_same(t));
}

TEST(Dtype, TypedAccessChecksTheDtype) {
  Tensor t = ones({2}, kFloat64);
  EXPECT_THROW(t.data_ptr<float>(), DTypeError);
  EXPECT_NO_THROW(t.data_ptr<double>());
  EXPECT_EQ(t.select(0, 0).item<int64_t>(), 1);
  EXPECT_THROW(t.item<double>(), ValueError);
}

}  // namespace
}  // namespace sgmm
