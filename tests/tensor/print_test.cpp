// The repr strings, checked against what torch 2.x prints for the same values.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

TEST(Print, FixedPointWithFourDecimals) {
  EXPECT_EQ(tensor({1.5, -2.25, 3.0}).repr(), "tensor([ 1.5000, -2.2500,  3.0000])");
}

TEST(Print, IntegerValuedFloatsGetATrailingDot) {
  EXPECT_EQ(tensor({1.0, 2.0, 3.0}).repr(), "tensor([1., 2., 3.])");
  EXPECT_EQ(zeros({2, 2}).repr(), "tensor([[0., 0.],\n        [0., 0.]])");
}

TEST(Print, ScalarTensors) {
  EXPECT_EQ(tensor(1.5).repr(), "tensor(1.5000)");
  EXPECT_EQ(tensor(2.0).repr(), "tensor(2.)");
  EXPECT_EQ(tensor(7).repr(), "tensor(7)");
  EXPECT_EQ(tensor(true).repr(), "tensor(True)");
}

TEST(Print, ScientificWhenTheRangeIsWide) {
  EXPECT_EQ(tensor({1e-5, 1.0}).repr(), "tensor([1.0000e-05, 1.0000e+00])");
  EXPECT_EQ(tensor({1.0, 1e9}).repr(), "tensor([1.0000e+00, 1.0000e+09])");
  EXPECT_EQ(tensor({0.5, 1234.5}).repr(), "tensor([5.0000e-01, 1.2345e+03])");
}

TEST(Print, NonFiniteValues) {
  double inf = std::numeric_limits<double>::infinity();
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(tensor({1.0, nan, -inf}).repr(), "tensor([1., nan, -inf])");
  EXPECT_EQ(tensor({1.5, -nan, inf}).repr(), "tensor([1.5000,    nan,    inf])");
}

TEST(Print, DtypeSuffixForNonDefaultDtypes) {
  EXPECT_EQ(tensor({1.5, 2.0}, kFloat64).repr(), "tensor([1.5000, 2.0000], dtype=torch.float64)");
  EXPECT_EQ(arange(3).repr(), "tensor([0, 1, 2])");
  EXPECT_EQ(arange(3, kInt32).repr(), "tensor([0, 1, 2], dtype=torch.int32)");
  EXPECT_EQ(tensor({1.0, 0.0}, kBool).repr(), "tensor([ True, False])");
  EXPECT_EQ(tensor({0.5}, kBFloat16).repr(), "tensor([0.5000], dtype=torch.bfloat16)");
  EXPECT_EQ(tensor({-3.0}, kFloat16).repr(), "tensor([-3.], dtype=torch.float16)");
}

TEST(Print, EmptyTensors) {
  EXPECT_EQ(empty({0}).repr(), "tensor([])");
  EXPECT_EQ(empty({2, 0}).repr(), "tensor([], size=(2, 0))");
  EXPECT_EQ(empty({0}, kInt64).repr(), "tensor([], dtype=torch.int64)");
}

TEST(Print, ThreeDimensionsSeparateBlocksWithABlankLine) {
  Tensor t = arange(8).view({2, 2, 2});
  EXPECT_EQ(t.repr(),
            "tensor([[[0, 1],\n"
            "         [2, 3]],\n"
            "\n"
            "        [[4, 5],\n"
            "         [6, 7]]])");
}

TEST(Print, LongRowsWrapAtEightyColumns) {
  Tensor t = arange(30).to(kFloat32).div(10);
  EXPECT_EQ(t.repr(),
            "tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,\n"
            "        0.9000, 1.0000, 1.1000, 1.2000, 1.3000, 1.4000, 1.5000, 1.6000, 1.7000,\n"
            "        1.8000, 1.9000, 2.0000, 2.1000, 2.2000, 2.3000, 2.4000, 2.5000, 2.6000,\n"
            "        2.7000, 2.8000, 2.9000])");
}

TEST(Print, SummarizesAboveAThousandElements) {
  EXPECT_EQ(arange(1001).repr(), "tensor([   0,    1,    2,  ...,  998,  999, 1000])");
  Tensor t = zeros({100, 100});
  EXPECT_EQ(t.repr(),
            "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n"
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
            "        ...,\n"
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
            "        [0., 0., 0.,  ..., 0., 0., 0.]])");
}

TEST(Print, LargeIntegersPrintExactly) {
  Tensor t = full({2}, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(t.repr(), "tensor([9223372036854775807, 9223372036854775807])");
  EXPECT_EQ(tensor({-5.0, 12.0}, kInt8).repr(), "tensor([-5, 12], dtype=torch.int8)");
}

TEST(Print, StridedViewsPrintTheirLogicalOrder) {
  Tensor t = arange(6).view({2, 3}).t();
  EXPECT_EQ(t.repr(), "tensor([[0, 3],\n        [1, 4],\n        [2, 5]])");
}

TEST(Print, AutogradSuffixes) {
  Tensor w = ones({2}, TensorOptions().requires_grad(true));
  EXPECT_EQ(w.repr(), "tensor([1., 1.], requires_grad=True)");
  Tensor a = ones({1, 1, 1}, TensorOptions().requires_grad(true));
  EXPECT_EQ(bmm(a, a).repr(), "tensor([[[1.]]], grad_fn=<BmmBackward0>)");
  EXPECT_EQ((w * 2).sum().repr(), "tensor(4., grad_fn=<SumBackward0>)");
}

TEST(Print, SuffixMovesToANewLineWhenTheLineIsFull) {
  Tensor t = arange(9, kFloat64).div(10);
  EXPECT_EQ(t.repr(),
            "tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000],\n"
            "       dtype=torch.float64)");
}

TEST(Print, StreamOperatorUsesRepr) {
  std::ostringstream os;
  os << tensor({1.0});
  EXPECT_EQ(os.str(), "tensor([1.])");
}

}  // namespace
}  // namespace sgmm
