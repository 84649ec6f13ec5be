// The backward engine: accumulation, retain_graph, no_grad, detach, several
// roots, skipped subgraphs and very deep graphs.

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "sgmm/sgmm.hpp"

namespace sgmm {
namespace {

TensorOptions leaf_options() { return TensorOptions().dtype(kFloat64).requires_grad(true); }

TEST(Engine, GradientsAccumulateIntoLeaves) {
  Tensor x = tensor({1.0, 2.0}, leaf_options());
  (x * 3).sum().backward();
  EXPECT_TRUE(equal(x.grad(), tensor({3.0, 3.0}, kFloat64)));
  (x * x).sum().backward();
  EXPECT_TRUE(equal(x.grad(), tensor({5.0, 7.0}, kFloat64)));
  x.mutable_grad() = Tensor();
  (x + x).sum().backward();
  EXPECT_TRUE(equal(x.grad(), tensor({2.0, 2.0}, kFloat64)));
}

TEST(Engine, UserChangesToGradDoNotLeakIntoOtherLeaves) {
  Tensor a = tensor({1.0}, leaf_options());
  Tensor b = tensor({1.0}, leaf_options());
  (a + b).sum().backward();
  a.grad().fill_(100);
  EXPECT_EQ(b.grad().item<double>(), 1.0);
}

TEST(Engine, SecondBackwardNeedsRetainGraph) {
  Tensor x = tensor({1.0, 2.0}, leaf_options());
  Tensor y = (x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_TRUE(equal(x.grad(), tensor({4.0, 8.0}, kFloat64)));
  try {
    y.backward();
    FAIL() << "no error";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("retain_graph=true"), std::string::npos) << e.what();
  }
  // The failed call changed nothing.
  EXPECT_TRUE(equal(x.grad(), tensor({4.0, 8.0}, kFloat64)));
}

TEST(Engine, NonScalarRootNeedsAGradientOfItsShape) {
  Tensor x = tensor({1.0, 2.0}, leaf_options());
  Tensor y = x * 2;
  EXPECT_THROW(y.backward(), ValueError);
  EXPECT_THROW(y.backward(ones({3}, kFloat64)), ShapeError);
  EXPECT_THROW(y.backward(ones({2}, kFloat32)), DTypeError);
  y.backward(tensor({1.0, 10.0}, kFloat64));
  EXPECT_TRUE(equal(x.grad(), tensor({2.0, 20.0}, kFloat64)));
}

TEST(Engine, RootWithoutGradIsAnError) {
  EXPECT_THROW(ones({1}).sum().backward(), ValueError);
  EXPECT_THROW(Tensor().backward(), ValueError);
}

TEST(Engine, NoGradGuardStopsRecording) {
  Tensor x = tensor({1.0}, leaf_options());
  {
    NoGradGuard guard;
    EXPECT_FALSE(is_grad_enabled());
    Tensor y = x * 2;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
  }
  EXPECT_TRUE(is_grad_enabled());
  set_grad_enabled(false);
  EXPECT_FALSE((x * 2).requires_grad());
  set_grad_enabled(true);
  EXPECT_TRUE((x * 2).requires_grad());
}

TEST(Engine, GradModeIsPerThread) {
  NoGradGuard guard;
  bool other_thread_enabled = false;
  std::thread([&] { other_thread_enabled = is_grad_enabled(); }).join();
  EXPECT_TRUE(other_thread_enabled);
  EXPECT_FALSE(is_grad_enabled());
}

TEST(Engine, DetachCutsTheGraphAndSharesStorage) {
  Tensor x = tensor({1.0, 2.0}, leaf_options());
  Tensor y = x * 2;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_EQ(d.data_ptr(), y.data_ptr());
  Tensor z = (y * d).sum();
  z.backward();
  // Only the y factor carries gradient: dz/dx = 2 * d.
  EXPECT_TRUE(equal(x.grad(), tensor({4.0, 8.0}, kFloat64)));
}

TEST(Engine, SeveralRootsAtOnce) {
  Tensor x = tensor({1.0, 2.0}, leaf_options());
  Tensor a = (x * 2).sum();
  Tensor b = (x * x).sum();
  autograd::backward({a, b});
  EXPECT_TRUE(equal(x.grad(), tensor({4.0, 6.0}, kFloat64)));
  Tensor c = x * 1;
  autograd::backward({c, c}, {ones({2}, kFloat64), ones({2}, kFloat64)});
  EXPECT_TRUE(equal(x.grad(), tensor({6.0, 8.0}, kFloat64)));
  EXPECT_THROW(autograd::backward({a}, {ones({1}), ones({1})}), ValueError);
}

TEST(Engine, InputsThatNeedNoGradGetNone) {
  Tensor x = tensor({1.0}, leaf_options());
  Tensor c = tensor({5.0}, kFloat64);
  (x * c).sum().backward();
  EXPECT_FALSE(c.grad().defined());
  EXPECT_EQ(x.grad().item<double>(), 5.0);
}

TEST(Engine, RequiresGradRules) {
  Tensor x = tensor({1.0}, leaf_options());
  Tensor y = x * 2;
  EXPECT_FALSE(y.is_leaf());
  EXPECT_TRUE(y.requires_grad());
  EXPECT_THROW(y.requires_grad_(false), ValueError);
  EXPECT_THROW(arange(3).requires_grad_(), DTypeError);
  EXPECT_THROW(x.fill_(1), ValueError);  // in-place on a leaf that requires grad
  NoGradGuard guard;
  EXPECT_NO_THROW(x.fill_(1));
}

TEST(Engine, InPlaceWriteToASavedTensorIsDetected) {
  Tensor x = tensor({1.0, 2.0}, leaf_options());
  Tensor c = tensor({3.0, 4.0}, kFloat64);
  Tensor y = (x * c).sum();
  c.fill_(0);
  try {
    y.backward();
    FAIL() << "no error";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("MulBackward0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("modified in place"), std::string::npos) << e.what();
  }
  // Writes to a tensor that was not saved are fine.
  Tensor d = tensor({1.0, 1.0}, kFloat64);
  Tensor z = (x + d).sum();
  d.fill_(5);
  z.backward();
  EXPECT_TRUE(equal(x.grad(), tensor({1.0, 1.0}, kFloat64)));
}

TEST(Engine, DiamondGraphSumsBothPaths) {
  Tensor x = tensor({3.0}, leaf_options());
  Tensor y = x * x;            // 2x
  Tensor z = y * x + y;        // d/dx (x^3 + x^2) = 3x^2 + 2x
  z.sum().backward();
  EXPECT_EQ(x.grad().item<double>(), 27.0 + 6.0);
}

TEST(Engine, DeepChainDoesNotOverflowTheStack) {
  constexpr int kDepth = 100000;
  Tensor x = tensor({1.0}, leaf_options());
  Tensor y = x;
  for (int i = 0; i < kDepth; ++i) y = y * 1.0;
  y.sum().backward();
  EXPECT_EQ(x.grad().item<double>(), 1.0);
  // Dropping y releases the whole chain; that too must not recurse.
  y = Tensor();
  SUCCEED();
}

TEST(Engine, DeepChainWithoutBackwardIsReleasedIteratively) {
  Tensor x = tensor({1.0}, leaf_options());
  Tensor y = x;
  for (int i = 0; i < 100000; ++i) y = y + x;
  EXPECT_EQ(y.item<double>(), 100001.0);
  y = Tensor();
  SUCCEED();
}

}  // namespace
}  // namespace sgmm
