// Creation functions: shapes, dtypes, values, size checks, the RNG, from_blob.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

TEST(Creation, ZerosOnesFullHaveTheirValues) {
  Tensor z = zeros({2, 3});
  EXPECT_EQ(z.sizes(), IntArrayRef({2, 3}));
  EXPECT_EQ(z.scalar_type(), kFloat32);
  EXPECT_TRUE(z.is_contiguous());
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(z.data_ptr<float>()[i], 0.0f);
  Tensor o = ones({4}, kFloat64);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(o.data_ptr<double>()[i], 1.0);
  Tensor f = full({2}, 2.5);
  EXPECT_EQ(f.scalar_type(), kFloat32);
  EXPECT_EQ(f.data_ptr<float>()[1], 2.5f);
}

TEST(Creation, FullInfersTheDtypeLikeTorch) {
  EXPECT_EQ(full({1}, 7).scalar_type(), kInt64);
  EXPECT_EQ(full({1}, 7.0).scalar_type(), kFloat32);
  EXPECT_EQ(full({1}, true).scalar_type(), kBool);
  EXPECT_EQ(full({1}, 7, kFloat16).scalar_type(), kFloat16);
  EXPECT_EQ(tensor(3).scalar_type(), kInt64);
  EXPECT_EQ(tensor(3.0).dim(), 0);
}

TEST(Creation, StorageIsSixtyFourByteAligned) {
  for (int64_t n : {1, 3, 17, 1000}) {
    Tensor t = empty({n}, kInt8);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % 64, 0u) << n;
  }
}

TEST(Creation, ArangeFollowsTorch) {
  Tensor a = arange(5);
  EXPECT_EQ(a.scalar_type(), kInt64);
  EXPECT_EQ(a.numel(), 5);
  EXPECT_EQ(a.data_ptr<int64_t>()[4], 4);
  Tensor b = arange(0, 1, 0.25);
  EXPECT_EQ(b.scalar_type(), kFloat32);
  ASSERT_EQ(b.numel(), 4);
  EXPECT_EQ(b.data_ptr<float>()[3], 0.75f);
  Tensor c = arange(10, 0, -3);
  ASSERT_EQ(c.numel(), 4);
  EXPECT_EQ(c.data_ptr<int64_t>()[3], 1);
  EXPECT_EQ(arange(0).numel(), 0);
  EXPECT_THROW(arange(0, 5, 0), ValueError);
  EXPECT_THROW(arange(5, 0, 1), ValueError);
}

TEST(Creation, NegativeSizesAndOverflowAreValueErrors) {
  EXPECT_THROW(zeros({2, -1}), ValueError);
  EXPECT_THROW(empty({-3}), ValueError);
  int64_t big = int64_t{1} << 40;
  EXPECT_THROW(empty({big, big}), ValueError);             // element count overflows
  EXPECT_THROW(empty({int64_t{1} << 62}, kFloat64), ValueError);  // byte count overflows
  EXPECT_NO_THROW(empty({big, 0, big}));                    // zero elements whatever the rest
}

TEST(Creation, RandnIsReproducibleFromTheSeed) {
  manual_seed(42);
  Tensor a = randn({1000});
  Tensor b = randn({3});
  manual_seed(42);
  Tensor c = randn({1000});
  Tensor d = randn({3});
  EXPECT_TRUE(equal(a, c));
  EXPECT_TRUE(equal(b, d));
  EXPECT_FALSE(equal(a.narrow(0, 0, 3), b));
}

TEST(Creation, RandnHasStandardNormalMoments) {
  manual_seed(1);
  Tensor x = randn({100000}, kFloat64);
  double mean = x.mean().item<double>();
  double var = (x * x).mean().item<double>() - mean * mean;
  // Standard errors are 0.003 (mean) and 0.0045 (variance); 5 sigma bounds.
  EXPECT_NEAR(mean, 0.0, 0.016);
  EXPECT_NEAR(var, 1.0, 0.023);
}

TEST(Creation, RandIsInTheHalfOpenUnitInterval) {
  manual_seed(3);
  for (ScalarType dtype : {kFloat32, kFloat64, kBFloat16, kFloat16}) {
    Tensor x = rand({20000}, dtype).to(kFloat64);
    const double* p = x.data_ptr<double>();
    double lo = 1, hi = 0;
    for (int64_t i = 0; i < x.numel(); ++i) {
      lo = std::min(lo, p[i]);
      hi = std::max(hi, p[i]);
    }
    EXPECT_GE(lo, 0.0) << dtype;
    EXPECT_LT(hi, 1.0) << dtype;
    EXPECT_GT(hi, 0.9) << dtype;
    EXPECT_LT(lo, 0.1) << dtype;
  }
}

TEST(Creation, RandnRejectsIntegerDtypes) {
  EXPECT_THROW(randn({2}, kInt64), DTypeError);
  EXPECT_THROW(rand({2}, kBool), DTypeError);
}

TEST(Creation, RequiresGradOnlyForFloatingDtypes) {
  EXPECT_TRUE(zeros({2}, TensorOptions().requires_grad(true)).requires_grad());
  EXPECT_THROW(zeros({2}, TensorOptions().dtype(kInt64).requires_grad(true)), DTypeError);
}

TEST(Creation, TensorFromValues) {
  Tensor t = tensor({1.0, 2.5, -3.0}, kFloat64);
  EXPECT_EQ(t.sizes(), IntArrayRef({3}));
  EXPECT_EQ(t.data_ptr<double>()[1], 2.5);
  EXPECT_EQ(tensor({1.0, 2.0}).scalar_type(), kFloat32);
}

TEST(Creation, FromBlobSharesCallerMemory) {
  std::vector<float> data = {1, 2, 3, 4, 5, 6};
  Tensor t = from_blob(data.data(), {2, 3});
  EXPECT_EQ(t.data_ptr(), data.data());
  data[4] = 50;
  EXPECT_EQ(t.select(0, 1).select(0, 1).item<float>(), 50.0f);
}

TEST(Creation, FromBlobWithStridesAndDeleter) {
  std::vector<double> data = {1, 2, 3, 4, 5, 6};
  int deleted = 0;
  {
    Tensor t = from_blob(data.data(), {3, 2}, {1, 3}, [&](void*) { ++deleted; }, kFloat64);
    Tensor view = t.transpose(0, 1);
    EXPECT_FALSE(t.is_contiguous());
    EXPECT_TRUE(view.is_contiguous());
    EXPECT_EQ(t.select(0, 2).select(0, 1).item<double>(), 6.0);
    t = Tensor();
    EXPECT_EQ(deleted, 0);  // the view still holds the memory
  }
  EXPECT_EQ(deleted, 1);
}

TEST(Creation, FromBlobRejectsBadArguments) {
  float x = 0;
  EXPECT_THROW(from_blob(&x, {2, 2}, {2, -1}), ValueError);
  EXPECT_THROW(from_blob(&x, {2, 2}, {2}), ValueError);
  EXPECT_THROW(from_blob(nullptr, {2}), ValueError);
  EXPECT_THROW(from_blob(&x, {int64_t{1} << 62, 4}, {4, 1}), ValueError);
}

TEST(Creation, CudaHasNoAllocator) {
  EXPECT_THROW(zeros({2}, Device(kCUDA, 0)), DeviceError);
  EXPECT_EQ(Device(kCUDA, 0).str(), "cuda:0");
  EXPECT_EQ(Device().str(), "cpu");
}

}  // namespace
}  // namespace sgmm
