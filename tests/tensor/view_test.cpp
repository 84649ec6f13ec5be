// Views share storage and compute the right geometry; reshape copies only
// when it must.

#include <gtest/gtest.h>

#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

int64_t at(const Tensor& t, std::initializer_list<int64_t> index) {
  Tensor v = t;
  for (int64_t i : index) v = v.select(0, i);
  return v.item<int64_t>();
}

TEST(View, TransposeSwapsSizesAndStrides) {
  Tensor t = arange(24).view({2, 3, 4});
  Tensor u = t.transpose(0, 2);
  EXPECT_EQ(u.sizes(), IntArrayRef({4, 3, 2}));
  EXPECT_EQ(u.strides(), IntArrayRef({1, 4, 12}));
  EXPECT_EQ(u.data_ptr(), t.data_ptr());
  EXPECT_FALSE(u.is_contiguous());
  EXPECT_EQ(at(u, {3, 1, 1}), at(t, {1, 1, 3}));
  EXPECT_EQ(t.transpose(-1, -2).sizes(), IntArrayRef({2, 4, 3}));
  EXPECT_THROW(t.transpose(0, 3), ValueError);
}

TEST(View, PermuteReordersDims) {
  Tensor t = arange(24).view({2, 3, 4});
  Tensor p = t.permute({2, 0, 1});
  EXPECT_EQ(p.sizes(), IntArrayRef({4, 2, 3}));
  EXPECT_EQ(at(p, {3, 1, 2}), at(t, {1, 2, 3}));
  EXPECT_THROW(t.permute({0, 0, 1}), ValueError);
  EXPECT_THROW(t.permute({0, 1}), ShapeError);
}

TEST(View, ViewNeedsCompatibleStrides) {
  Tensor t = arange(12).view({3, 4});
  EXPECT_EQ(t.view({-1}).sizes(), IntArrayRef({12}));
  EXPECT_EQ(t.view({2, -1, 2}).sizes(), IntArrayRef({2, 3, 2}));
  EXPECT_THROW(t.t().view({12}), ShapeError);
  EXPECT_THROW(t.view({5, -1}), ShapeError);
  EXPECT_THROW(t.view({-1, -1}), ShapeError);
  // Splitting a dim of a transposed tensor is still a view.
  Tensor s = t.t().view({2, 2, 3});
  EXPECT_EQ(s.data_ptr(), t.data_ptr());
  EXPECT_EQ(at(s, {1, 1, 2}), at(t, {2, 3}));
}

TEST(View, ReshapeCopiesOnlyWhenItMust) {
  Tensor t = arange(12).view({3, 4});
  EXPECT_EQ(t.reshape({4, 3}).data_ptr(), t.data_ptr());
  Tensor r = t.t().reshape({12});
  EXPECT_NE(r.data_ptr(), t.data_ptr());
  EXPECT_EQ(at(r, {1}), 4);
  EXPECT_EQ(at(r, {3}), 1);
}

TEST(View, ExpandUsesStrideZero) {
  Tensor t = arange(3).view({3, 1});
  Tensor e = t.expand({2, 3, 4});
  EXPECT_EQ(e.sizes(), IntArrayRef({2, 3, 4}));
  EXPECT_EQ(e.strides(), IntArrayRef({0, 1, 0}));
  EXPECT_EQ(at(e, {1, 2, 3}), 2);
  EXPECT_EQ(t.expand({-1, 5}).sizes(), IntArrayRef({3, 5}));
  EXPECT_THROW(t.expand({4, 4}), ShapeError);
  EXPECT_THROW(t.expand({4}), ShapeError);
}

TEST(View, SelectNarrowAndOffsets) {
  Tensor t = arange(24).view({4, 6});
  Tensor row = t.select(0, -1);
  EXPECT_EQ(row.sizes(), IntArrayRef({6}));
  EXPECT_EQ(row.storage_offset(), 18);
  Tensor n = t.narrow(1, 2, 3);
  EXPECT_EQ(n.sizes(), IntArrayRef({4, 3}));
  EXPECT_EQ(n.storage_offset(), 2);
  EXPECT_EQ(at(n, {1, 0}), 8);
  EXPECT_EQ(t.narrow(0, 4, 0).numel(), 0);
  EXPECT_THROW(t.select(0, 4), ValueError);
  EXPECT_THROW(t.narrow(1, 4, 3), ValueError);
}

TEST(View, UnsqueezeAndSqueeze) {
  Tensor t = arange(6).view({2, 3});
  EXPECT_EQ(t.unsqueeze(0).sizes(), IntArrayRef({1, 2, 3}));
  EXPECT_EQ(t.unsqueeze(-1).sizes(), IntArrayRef({2, 3, 1}));
  EXPECT_EQ(t.unsqueeze(1).strides(), IntArrayRef({3, 3, 1}));
  EXPECT_EQ(t.unsqueeze(1).squeeze(1).sizes(), IntArrayRef({2, 3}));
  EXPECT_EQ(t.squeeze(0).sizes(), IntArrayRef({2, 3}));  // not size 1: unchanged
  EXPECT_EQ(tensor(1.0).unsqueeze(0).sizes(), IntArrayRef({1}));
  EXPECT_THROW(t.unsqueeze(3), ValueError);
}

TEST(View, ContiguousAndClone) {
  Tensor t = arange(6).view({2, 3});
  EXPECT_TRUE(t.contiguous().is_same(t));
  Tensor c = t.t().contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(at(c, {2, 1}), 5);
  Tensor k = t.clone();
  EXPECT_NE(k.data_ptr(), t.data_ptr());
  EXPECT_TRUE(equal(k, t));
}

TEST(View, CopyFillZeroWriteThroughViews) {
  Tensor t = zeros({3, 3});
  t.select(1, 1).fill_(2);
  t.narrow(0, 2, 1).copy_(tensor({7.0, 8.0, 9.0}));
  EXPECT_TRUE(equal(t, tensor({0, 2, 0, 0, 2, 0, 7, 8, 9}).view({3, 3})));
  t.zero_();
  EXPECT_TRUE(equal(t, zeros({3, 3})));
  EXPECT_THROW(t.expand({2, 3, 3}).copy_(ones({3})), ValueError);
  EXPECT_THROW(t.copy_(ones({2})), ShapeError);
}

TEST(View, CopyFromAnOverlappingViewReadsTheSourceFirst) {
  Tensor t = arange(9, kFloat32).view({3, 3});
  t.copy_(t.t());
  EXPECT_TRUE(equal(t, tensor({0, 3, 6, 1, 4, 7, 2, 5, 8}).view({3, 3})));
  t.copy_(t);
  EXPECT_TRUE(equal(t, tensor({0, 3, 6, 1, 4, 7, 2, 5, 8}).view({3, 3})));
}

TEST(View, UndefinedTensorsThrow) {
  Tensor u;
  EXPECT_FALSE(u.defined());
  EXPECT_THROW(u.sizes(), ValueError);
  EXPECT_THROW(u.transpose(0, 1), ValueError);
  EXPECT_THROW(u.sum(), ValueError);
}

}  // namespace
}  // namespace sgmm
