// What scaled_grouped_mm, bmm and matmul promise beyond numerical accuracy:
// every API form agrees, scale == 1 is bmm bit for bit, the scale is applied
// once, thread count never changes a bit, IEEE values propagate, empty
// shapes behave, and neither inputs nor memory around an out are touched.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sgmm/sgmm.hpp>
#include <vector>

#include "../common/gemm_cases.hpp"
#include "../common/reference_gemm.hpp"
#include "../common/tensor_access.hpp"
#include "cpu/dispatch.hpp"

namespace {

using namespace sgmm::testing;
namespace F = sgmm::nn::functional;
using sgmm::Tensor;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Tensor uniform_tensor(sgmm::IntArrayRef sizes, sgmm::ScalarType dtype, std::mt19937_64& rng,
                      double low = -1.0, double high = 1.0) {
  Tensor t = sgmm::empty(sizes, sgmm::TensorOptions().dtype(dtype));
  fill_uniform(t, rng, low, high);
  return t;
}

Tensor integer_tensor(sgmm::IntArrayRef sizes, sgmm::ScalarType dtype, std::mt19937_64& rng) {
  Tensor t = sgmm::empty(sizes, sgmm::TensorOptions().dtype(dtype));
  fill_small_integers(t, rng, -4, 4);
  return t;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() &&
         element_bytes(a) == element_bytes(b);
}

// Restores the library's thread count when a test ends, even on failure.
class ThreadCountRestorer {
 public:
  ThreadCountRestorer() : saved_(sgmm::get_num_threads()) {}
  ~ThreadCountRestorer() { sgmm::set_num_threads(saved_); }

 private:
  int saved_;
};

// ---- API forms ------------------------------------------------------------

TEST(ScaledGroupedMM, EveryApiFormGivesTheSameBits) {
  std::mt19937_64 rng(11);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({3, 17, 29}, dtype, rng);
    const Tensor w = uniform_tensor({3, 29, 13}, dtype, rng);
    const double scale = 0.125;  // exact in every dtype a 0-d scale may have
    const Tensor by_double = F::scaled_grouped_mm(a, w, scale);
    ASSERT_TRUE(matches_reference_bmm(by_double, a, w, scale)) << dtype;

    const Tensor scale_f64 = sgmm::tensor(scale, sgmm::TensorOptions().dtype(sgmm::kFloat64));
    const Tensor scale_f32 = sgmm::tensor(scale, sgmm::TensorOptions().dtype(sgmm::kFloat32));
    EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w, scale_f64), by_double)) << dtype;
    EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w, scale_f32), by_double)) << dtype;
    EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions().scale(scale)),
                          by_double))
        << dtype;
    EXPECT_TRUE(same_bits(
        F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions().scale(scale_f64)), by_double))
        << dtype;

    Tensor out = sgmm::full({3, 17, 13}, kNaN, sgmm::TensorOptions().dtype(dtype));
    Tensor& returned = F::scaled_grouped_mm_out(out, a, w, scale);
    EXPECT_EQ(&returned, &out) << "scaled_grouped_mm_out returns its out argument";
    EXPECT_TRUE(same_bits(out, by_double)) << dtype;

    Tensor out_by_options = sgmm::full({3, 17, 13}, kNaN, sgmm::TensorOptions().dtype(dtype));
    F::scaled_grouped_mm_out(out_by_options, a, w,
                             F::ScaledGroupedMMFuncOptions().scale(scale_f32));
    EXPECT_TRUE(same_bits(out_by_options, by_double)) << dtype;
  }
}

TEST(ScaledGroupedMM, OptionsScaleSettersReplaceEachOther) {
  std::mt19937_64 rng(12);
  const Tensor a = uniform_tensor({2, 5, 7}, sgmm::kFloat32, rng);
  const Tensor w = uniform_tensor({2, 7, 3}, sgmm::kFloat32, rng);
  // A tensor set after a number wins; a number set after a tensor wins.
  auto tensor_last = F::ScaledGroupedMMFuncOptions().scale(4.0).scale(sgmm::tensor(-3.0));
  auto number_last = F::ScaledGroupedMMFuncOptions().scale(sgmm::tensor(4.0)).scale(-3.0);
  EXPECT_TRUE(tensor_last.has_tensor_scale());
  EXPECT_FALSE(number_last.has_tensor_scale());
  EXPECT_TRUE(matches_reference_bmm(F::scaled_grouped_mm(a, w, tensor_last), a, w, -3.0));
  EXPECT_TRUE(matches_reference_bmm(F::scaled_grouped_mm(a, w, number_last), a, w, -3.0));
  // Default options: scale 1.
  EXPECT_TRUE(
      same_bits(F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions()), sgmm::bmm(a, w)));
}

TEST(ScaledGroupedMM, ResultIsANewContiguousTensorOfTheInputDtype) {
  std::mt19937_64 rng(13);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor base = uniform_tensor({4, 9, 6}, dtype, rng);
    const Tensor a = base.transpose(1, 2);  // [4, 6, 9], not contiguous
    const Tensor w = uniform_tensor({1, 9, 5}, dtype, rng).expand({4, 9, 5});
    const Tensor y = F::scaled_grouped_mm(a, w, -3.0);
    EXPECT_TRUE(y.is_contiguous());
    EXPECT_EQ(y.scalar_type(), dtype);
    EXPECT_EQ(y.sizes(), sgmm::IntArrayRef({4, 6, 5}));
    EXPECT_NE(y.data_ptr(), a.data_ptr());
    EXPECT_TRUE(matches_reference_bmm(y, a, w, -3.0)) << dtype;
  }
}

// ---- scale semantics --------------------------------------------------------

TEST(ScaledGroupedMM, ScaleOneIsBitIdenticalToBmm) {
  std::mt19937_64 rng(21);
  for (const std::string& kernel : sgmm::cpu::kernel_config_names()) {
    if (!sgmm::cpu::kernel_config_supported(kernel)) continue;
    ForcedKernelConfig forced(kernel);
    for (sgmm::ScalarType dtype : kFloatDtypes) {
      for (OperandLayout layout :
           {OperandLayout::Contiguous, OperandLayout::Transposed, OperandLayout::BatchExpanded}) {
        const Tensor a = make_operand(3, 37, 45, dtype, layout, rng, false);
        const Tensor w = make_operand(3, 45, 19, dtype, OperandLayout::PaddedRows, rng, false);
        const Tensor reference = sgmm::bmm(a, w);
        const std::string where =
            std::string(kernel) + " " + sgmm::dtype_name(dtype) + " " + layout_name(layout);
        EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w, 1.0), reference)) << where;
        EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w), reference)) << where;
        EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w, sgmm::tensor(1.0)), reference)) << where;
        EXPECT_TRUE(same_bits(a.bmm(w), reference)) << where;
        EXPECT_TRUE(same_bits(a.matmul(w), reference)) << where;
      }
    }
  }
}

TEST(ScaledGroupedMM, ScaleIsAppliedExactlyOnce) {
  // Small integers make the product exact, so the output must equal
  // scale * (a @ w) exactly: scale applied twice (or not at all) cannot pass.
  std::mt19937_64 rng(22);
  for (sgmm::ScalarType dtype : {sgmm::kFloat32, sgmm::kFloat64}) {
    const Tensor a = integer_tensor({2, 8, 10}, dtype, rng);
    const Tensor w = integer_tensor({2, 10, 6}, dtype, rng);
    const ReferenceProduct product = reference_bmm(a, w, 1.0);
    for (double scale : {2.0, -3.0, 0.125}) {
      for (const Tensor& got :
           {F::scaled_grouped_mm(a, w, scale), F::scaled_grouped_mm(a, w, sgmm::tensor(scale))}) {
        const std::vector<double> values = values_of(got);
        for (size_t e = 0; e < values.size(); ++e)
          ASSERT_EQ(values[e], scale * product.values[e])
              << dtype << ", scale " << scale << ", element " << e;
      }
    }
  }
}

// ---- bmm and matmul ---------------------------------------------------------

TEST(Bmm, MatchesTheReferenceForEveryLayoutAndDtype) {
  std::mt19937_64 rng(31);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (int layout = 0; layout < kOperandLayoutCount; ++layout) {
      const Tensor a =
          make_operand(3, 21, 34, dtype, static_cast<OperandLayout>(layout), rng, false);
      const Tensor w =
          make_operand(3, 34, 27, dtype,
                       static_cast<OperandLayout>((layout + 3) % kOperandLayoutCount), rng, false);
      EXPECT_TRUE(matches_reference_bmm(sgmm::bmm(a, w), a, w, 1.0))
          << dtype << " " << layout_name(static_cast<OperandLayout>(layout));
    }
  }
}

struct MatmulShapes {
  std::vector<int64_t> a;
  std::vector<int64_t> b;
  std::vector<int64_t> expected;
};

TEST(Matmul, FollowsTorchRulesForEveryRankCombination) {
  const MatmulShapes cases[] = {
      {{7}, {7}, {}},                           // 1-D . 1-D -> 0-d dot product
      {{5, 7}, {7}, {5}},                       // 2-D . 1-D -> matrix-vector
      {{7}, {7, 4}, {4}},                       // 1-D . 2-D -> vector-matrix
      {{5, 7}, {7, 4}, {5, 4}},                 // 2-D . 2-D
      {{3, 5, 7}, {7}, {3, 5}},                 // N-D . 1-D
      {{7}, {3, 7, 4}, {3, 4}},                 // 1-D . N-D
      {{3, 5, 7}, {7, 4}, {3, 5, 4}},           // N-D . 2-D: weight shared by the batch
      {{5, 7}, {3, 7, 4}, {3, 5, 4}},           // 2-D . N-D
      {{3, 5, 7}, {3, 7, 4}, {3, 5, 4}},        // bmm
      {{2, 1, 3, 4}, {5, 4, 6}, {2, 5, 3, 6}},  // broadcast batch dims
      {{2, 3, 1, 5, 7}, {3, 4, 7, 2}, {2, 3, 4, 5, 2}},
      {{1, 5, 7}, {4, 7, 3}, {4, 5, 3}},
      {{4, 0, 7}, {7, 3}, {4, 0, 3}},     // empty m
      {{2, 5, 0}, {2, 0, 3}, {2, 5, 3}},  // k = 0: zeros
  };
  std::mt19937_64 rng(32);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (const MatmulShapes& shapes : cases) {
      const Tensor a = uniform_tensor(shapes.a, dtype, rng);
      const Tensor b = uniform_tensor(shapes.b, dtype, rng);
      const Tensor y = sgmm::matmul(a, b);
      EXPECT_EQ(y.sizes(), sgmm::IntArrayRef(shapes.expected))
          << dtype << ": " << sgmm::IntArrayRef(shapes.a) << " x " << sgmm::IntArrayRef(shapes.b);
      EXPECT_TRUE(matches_reference_matmul(y, a, b)) << dtype;
      EXPECT_TRUE(matches_reference_matmul(a.matmul(b), a, b)) << dtype;
    }
  }
}

TEST(Matmul, AcceptsTransposedAndExpandedOperands) {
  std::mt19937_64 rng(33);
  const Tensor a =
      uniform_tensor({2, 6, 9, 4}, sgmm::kFloat32, rng).permute({0, 2, 3, 1});  // [2, 9, 4, 6]
  const Tensor b = uniform_tensor({1, 5, 6}, sgmm::kFloat32, rng).transpose(1, 2).expand({9, 6, 5});
  const Tensor y = sgmm::matmul(a, b);
  EXPECT_EQ(y.sizes(), sgmm::IntArrayRef({2, 9, 4, 5}));
  EXPECT_TRUE(matches_reference_matmul(y, a, b));
}

// ---- threads ----------------------------------------------------------------

TEST(ScaledGroupedMM, ThreadCountDoesNotChangeOneBit) {
  ThreadCountRestorer restore;
  std::mt19937_64 rng(41);
  struct Shape {
    int64_t batch, m, k, n;
  };
  // Big enough that two and three threads each get several tiles: many
  // rows, many columns, a single batch, and a k long enough to be blocked.
  const Shape shapes[] = {{4, 96, 300, 130}, {1, 700, 40, 100}, {1, 30, 700, 520}};
  for (const std::string& kernel : sgmm::cpu::kernel_config_names()) {
    if (!sgmm::cpu::kernel_config_supported(kernel)) continue;
    ForcedKernelConfig forced(kernel);
    for (sgmm::ScalarType dtype : kFloatDtypes) {
      for (const Shape& s : shapes) {
        const Tensor a =
            make_operand(s.batch, s.m, s.k, dtype, OperandLayout::Contiguous, rng, false);
        const Tensor w =
            make_operand(s.batch, s.k, s.n, dtype, OperandLayout::Transposed, rng, false);
        sgmm::set_num_threads(1);
        const Tensor one = F::scaled_grouped_mm(a, w, 0.125);
        for (int threads : {2, 3}) {
          sgmm::set_num_threads(threads);
          ASSERT_EQ(sgmm::get_num_threads(), threads);
          EXPECT_TRUE(same_bits(F::scaled_grouped_mm(a, w, 0.125), one))
              << kernel << " " << dtype << " [" << s.batch << ", " << s.m << ", " << s.k << ", "
              << s.n << "] with " << threads << " threads";
        }
      }
    }
  }
}

// ---- IEEE propagation ---------------------------------------------------------

class IeeePropagation : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!sgmm::cpu::kernel_config_supported(GetParam()))
      GTEST_SKIP() << "kernel configuration " << GetParam() << " cannot run on this CPU";
    forced_ = std::make_unique<ForcedKernelConfig>(GetParam());
  }
  void TearDown() override { forced_.reset(); }
  std::unique_ptr<ForcedKernelConfig> forced_;
};

// Positive inputs, so every product has a known sign.
constexpr int64_t kB = 2, kM = 19, kK = 23, kN = 37;

TEST_P(IeeePropagation, NaNInInputPoisonsItsRowOnly) {
  std::mt19937_64 rng(51);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({kB, kM, kK}, dtype, rng, 0.5, 1.0);
    const Tensor w = uniform_tensor({kB, kK, kN}, dtype, rng, 0.5, 1.0);
    store_from_double(a, (1 * kM + 5) * kK + 17, kNaN);  // a[1, 5, 17]
    const std::vector<double> y = values_of(F::scaled_grouped_mm(a, w, 0.125));
    for (int64_t p = 0; p < kB; ++p)
      for (int64_t i = 0; i < kM; ++i)
        for (int64_t j = 0; j < kN; ++j) {
          const double v = y[static_cast<size_t>((p * kM + i) * kN + j)];
          if (p == 1 && i == 5) {
            ASSERT_TRUE(std::isnan(v)) << dtype << " at [1, 5, " << j << "]";
          } else {
            ASSERT_TRUE(std::isfinite(v))
                << dtype << " at [" << p << ", " << i << ", " << j << "]: " << v;
          }
        }
  }
}

TEST_P(IeeePropagation, InfinityInWeightFillsItsColumn) {
  std::mt19937_64 rng(52);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({kB, kM, kK}, dtype, rng, 0.5, 1.0);
    const Tensor w = uniform_tensor({kB, kK, kN}, dtype, rng, 0.5, 1.0);
    store_from_double(w, (0 * kK + 3) * kN + 30, kInf);  // w[0, 3, 30]
    const std::vector<double> y = values_of(F::scaled_grouped_mm(a, w, -3.0));
    for (int64_t p = 0; p < kB; ++p)
      for (int64_t i = 0; i < kM; ++i)
        for (int64_t j = 0; j < kN; ++j) {
          const double v = y[static_cast<size_t>((p * kM + i) * kN + j)];
          if (p == 0 && j == 30) {
            ASSERT_EQ(v, -kInf) << dtype << " at [0, " << i << ", 30]";
          } else {
            ASSERT_TRUE(std::isfinite(v))
                << dtype << " at [" << p << ", " << i << ", " << j << "]: " << v;
          }
        }
  }
}

// Products 9 or 10 columns wide sum their last columns as dot products on
// AVX-512: a NaN still poisons only its row and an infinity only its
// column, in the vector part (column 2) and in the dot-product part (the
// last column), in whole steps of k and in the last, partial one.
TEST_P(IeeePropagation, NarrowProductsPoisonOnlyTheirRowAndColumn) {
  std::mt19937_64 rng(56);
  constexpr int64_t kRows = 13;
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (int64_t n : {9, 10}) {
      const Tensor a = uniform_tensor({kB, kRows, kK}, dtype, rng, 0.5, 1.0);
      const Tensor w = uniform_tensor({kB, kK, n}, dtype, rng, 0.5, 1.0);
      store_from_double(a, (1 * kRows + 5) * kK + 17, kNaN);  // a[1, 5, 17]
      store_from_double(w, (0 * kK + 3) * n + (n - 1), kInf);  // w[0, 3, n - 1]
      store_from_double(w, (0 * kK + 20) * n + 2, kInf);       // w[0, 20, 2]
      const std::vector<double> y = values_of(F::scaled_grouped_mm(a, w, -3.0));
      for (int64_t p = 0; p < kB; ++p)
        for (int64_t i = 0; i < kRows; ++i)
          for (int64_t j = 0; j < n; ++j) {
            const double v = y[static_cast<size_t>((p * kRows + i) * n + j)];
            const std::string at = std::string(sgmm::dtype_name(dtype)) + " n " +
                                   std::to_string(n) + " at [" + std::to_string(p) + ", " +
                                   std::to_string(i) + ", " + std::to_string(j) + "]";
            if (p == 1 && i == 5) {
              ASSERT_TRUE(std::isnan(v)) << at;
            } else if (p == 0 && (j == 2 || j == n - 1)) {
              ASSERT_EQ(v, -kInf) << at;
            } else {
              ASSERT_TRUE(std::isfinite(v)) << at << ": " << v;
            }
          }
    }
  }
}

TEST_P(IeeePropagation, OppositeInfinitiesInOneSumGiveNaN) {
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = sgmm::ones({1, 3, 40}, sgmm::TensorOptions().dtype(dtype));
    const Tensor w = sgmm::ones({1, 40, 33}, sgmm::TensorOptions().dtype(dtype));
    store_from_double(w, 2 * 33 + 7, kInf);    // w[0, 2, 7]
    store_from_double(w, 31 * 33 + 7, -kInf);  // w[0, 31, 7]
    const std::vector<double> y = values_of(F::scaled_grouped_mm(a, w, 1.0));
    for (int64_t i = 0; i < 3; ++i) {
      EXPECT_TRUE(std::isnan(y[static_cast<size_t>(i * 33 + 7)])) << dtype;
      EXPECT_EQ(y[static_cast<size_t>(i * 33 + 8)], 40.0) << dtype;
    }
  }
}

TEST_P(IeeePropagation, NaNOrInfiniteScaleReachesEveryElement) {
  std::mt19937_64 rng(53);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({kB, kM, kK}, dtype, rng, 0.5, 1.0);
    const Tensor w = uniform_tensor({kB, kK, kN}, dtype, rng, 0.5, 1.0);
    for (const Tensor& y :
         {F::scaled_grouped_mm(a, w, kNaN), F::scaled_grouped_mm(a, w, sgmm::tensor(kNaN))})
      for (double v : values_of(y)) ASSERT_TRUE(std::isnan(v)) << dtype;
    for (double v : values_of(F::scaled_grouped_mm(a, w, kInf))) ASSERT_EQ(v, kInf) << dtype;
    for (double v : values_of(F::scaled_grouped_mm(a, w, -kInf))) ASSERT_EQ(v, -kInf) << dtype;
  }
}

TEST_P(IeeePropagation, ZeroScaleTimesInfinityIsNaN) {
  std::mt19937_64 rng(54);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({kB, kM, kK}, dtype, rng, 0.5, 1.0);
    const Tensor w = uniform_tensor({kB, kK, kN}, dtype, rng, 0.5, 1.0);
    store_from_double(a, (0 * kM + 11) * kK + 2, kInf);  // a[0, 11, 2]
    const std::vector<double> y = values_of(F::scaled_grouped_mm(a, w, 0.0));
    for (int64_t p = 0; p < kB; ++p)
      for (int64_t i = 0; i < kM; ++i)
        for (int64_t j = 0; j < kN; ++j) {
          const double v = y[static_cast<size_t>((p * kM + i) * kN + j)];
          if (p == 0 && i == 11) {
            ASSERT_TRUE(std::isnan(v)) << dtype << ": 0 * inf at [0, 11, " << j << "] gave " << v;
          } else {
            ASSERT_EQ(v, 0.0) << dtype << " at [" << p << ", " << i << ", " << j << "]";
          }
        }
    // And a NaN input with scale 0 stays NaN: nothing is filtered.
    store_from_double(a, (1 * kM + 0) * kK + 0, kNaN);
    const std::vector<double> z = values_of(F::scaled_grouped_mm(a, w, sgmm::tensor(0.0)));
    EXPECT_TRUE(std::isnan(z[static_cast<size_t>((1 * kM + 0) * kN + 4)])) << dtype;
  }
}

TEST_P(IeeePropagation, OutFilledWithNaNIsOverwrittenNotRead) {
  std::mt19937_64 rng(55);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({kB, kM, kK}, dtype, rng);
    const Tensor w = uniform_tensor({kB, kK, kN}, dtype, rng);
    for (double scale : kScales) {
      Tensor out = sgmm::full({kB, kM, kN}, kNaN, sgmm::TensorOptions().dtype(dtype));
      F::scaled_grouped_mm_out(out, a, w, scale);
      EXPECT_TRUE(matches_reference_bmm(out, a, w, scale)) << dtype << " scale " << scale;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(KernelConfigs, IeeePropagation,
                         ::testing::ValuesIn(sgmm::cpu::kernel_config_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// ---- empty shapes ---------------------------------------------------------------

TEST(ScaledGroupedMM, EmptyBatchRowsOrColumnsGiveAnEmptyResult) {
  const std::vector<std::vector<int64_t>> shapes = {// batch, m, k, n
                                                    {0, 4, 5, 6},
                                                    {3, 0, 5, 6},
                                                    {3, 4, 5, 0},
                                                    {0, 0, 0, 0},
                                                    {2, 0, 0, 7}};
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (const auto& s : shapes) {
      const Tensor a = sgmm::ones({s[0], s[1], s[2]}, sgmm::TensorOptions().dtype(dtype));
      const Tensor w = sgmm::ones({s[0], s[2], s[3]}, sgmm::TensorOptions().dtype(dtype));
      const Tensor y = F::scaled_grouped_mm(a, w, 0.5);
      EXPECT_EQ(y.sizes(), sgmm::IntArrayRef({s[0], s[1], s[3]})) << dtype;
      EXPECT_EQ(y.numel(), 0);
      EXPECT_EQ(y.scalar_type(), dtype);
      EXPECT_EQ(sgmm::bmm(a, w).sizes(), sgmm::IntArrayRef({s[0], s[1], s[3]}));
    }
  }
}

TEST(ScaledGroupedMM, ZeroInnerDimensionGivesZeros) {
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = sgmm::ones({3, 4, 0}, sgmm::TensorOptions().dtype(dtype));
    const Tensor w = sgmm::ones({3, 0, 5}, sgmm::TensorOptions().dtype(dtype));
    for (double scale : {1.0, -3.0}) {
      const Tensor y = F::scaled_grouped_mm(a, w, scale);
      ASSERT_EQ(y.sizes(), sgmm::IntArrayRef({3, 4, 5}));
      for (double v : values_of(y)) ASSERT_EQ(v, 0.0) << dtype;
      // The out form writes the zeros over whatever out held.
      Tensor out = sgmm::full({3, 4, 5}, kNaN, sgmm::TensorOptions().dtype(dtype));
      F::scaled_grouped_mm_out(out, a, w, scale);
      for (double v : values_of(out)) ASSERT_EQ(v, 0.0) << dtype;
    }
    for (double v : values_of(sgmm::bmm(a, w))) ASSERT_EQ(v, 0.0) << dtype;
  }
}

TEST(ScaledGroupedMM, EmptyShapesHaveGradientsOfTheRightShape) {
  const std::vector<std::vector<int64_t>> shapes = {// batch, m, k, n
                                                    {0, 4, 5, 6},
                                                    {3, 0, 5, 6},
                                                    {3, 4, 0, 6},
                                                    {3, 4, 5, 0}};
  for (const auto& s : shapes) {
    const sgmm::TensorOptions options =
        sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true);
    const Tensor a = sgmm::ones({s[0], s[1], s[2]}, options);
    const Tensor w = sgmm::ones({s[0], s[2], s[3]}, options);
    const Tensor scale = sgmm::tensor(2.0, options);
    F::scaled_grouped_mm(a, w, scale).sum().backward();
    ASSERT_TRUE(a.grad().defined());
    ASSERT_TRUE(w.grad().defined());
    ASSERT_TRUE(scale.grad().defined());
    EXPECT_EQ(a.grad().sizes(), a.sizes());
    EXPECT_EQ(w.grad().sizes(), w.sizes());
    EXPECT_EQ(scale.grad().dim(), 0);
    // Nothing flows through an empty product: every gradient is zero.
    for (double v : values_of(a.grad())) EXPECT_EQ(v, 0.0);
    for (double v : values_of(w.grad())) EXPECT_EQ(v, 0.0);
    EXPECT_EQ(scale.grad().item<double>(), 0.0);
  }
}

// ---- nothing else is touched ---------------------------------------------------------

TEST(ScaledGroupedMM, InputsAreNotModified) {
  std::mt19937_64 rng(61);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a_base = uniform_tensor({3, 30, 41}, dtype, rng);
    const Tensor w_base = uniform_tensor({1, 33, 30}, dtype, rng);
    const Tensor a = a_base.transpose(1, 2);                      // [3, 41, 30]
    const Tensor w = w_base.transpose(1, 2).expand({3, 30, 33});  // [3, 30, 33]
    const std::vector<uint8_t> a_before = contiguous_bytes(a_base);
    const std::vector<uint8_t> w_before = contiguous_bytes(w_base);
    const Tensor scale = sgmm::tensor(-3.0);
    const std::vector<uint8_t> scale_before = element_bytes(scale);
    F::scaled_grouped_mm(a, w, 0.125);
    F::scaled_grouped_mm(a, w, scale);
    Tensor out = sgmm::empty({3, 41, 33}, sgmm::TensorOptions().dtype(dtype));
    F::scaled_grouped_mm_out(out, a, w, -3.0);
    sgmm::bmm(a, w);
    sgmm::matmul(a, w);
    EXPECT_EQ(contiguous_bytes(a_base), a_before) << dtype;
    EXPECT_EQ(contiguous_bytes(w_base), w_before) << dtype;
    EXPECT_EQ(element_bytes(scale), scale_before) << dtype;
  }
}

TEST(ScaledGroupedMM, BackwardDoesNotModifyInputs) {
  std::mt19937_64 rng(62);
  const sgmm::TensorOptions options =
      sgmm::TensorOptions().dtype(sgmm::kFloat32).requires_grad(true);
  Tensor a = uniform_tensor({2, 9, 7}, sgmm::kFloat32, rng).requires_grad_(true);
  Tensor w = uniform_tensor({2, 7, 5}, sgmm::kFloat32, rng).requires_grad_(true);
  Tensor scale = sgmm::tensor(0.5, options);
  const std::vector<uint8_t> a_before = contiguous_bytes(a), w_before = contiguous_bytes(w);
  F::scaled_grouped_mm(a, w, scale).sum().backward();
  EXPECT_EQ(contiguous_bytes(a), a_before);
  EXPECT_EQ(contiguous_bytes(w), w_before);
  EXPECT_EQ(scale.item<double>(), 0.5);
}

TEST(ScaledGroupedMMOut, WritesOnlyInsideAStridedOut) {
  std::mt19937_64 rng(63);
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    const Tensor a = uniform_tensor({2, 13, 10}, dtype, rng);
    const Tensor w = uniform_tensor({2, 10, 11}, dtype, rng);
    // out is [2, 13, 11] inside a [2, 15, 16] block filled with a sentinel,
    // at rows 1..13 and columns 2..12: everything else must keep the sentinel.
    const double sentinel = 1536.0;  // exact in every floating dtype
    Tensor block = sgmm::full({2, 15, 16}, sentinel, sgmm::TensorOptions().dtype(dtype));
    Tensor out = block.narrow(1, 1, 13).narrow(2, 2, 11);
    F::scaled_grouped_mm_out(out, a, w, -3.0);
    EXPECT_TRUE(matches_reference_bmm(out, a, w, -3.0)) << dtype;
    const std::vector<double> all = values_of(block);
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t i = 0; i < 15; ++i)
        for (int64_t j = 0; j < 16; ++j) {
          const bool inside = i >= 1 && i < 14 && j >= 2 && j < 13;
          if (inside) continue;
          ASSERT_EQ(all[static_cast<size_t>((p * 15 + i) * 16 + j)], sentinel)
              << dtype << ": wrote outside out at [" << p << ", " << i << ", " << j << "]";
        }
  }
}

TEST(ScaledGroupedMMOut, RecordsNoGraph) {
  // As torch's out= variants: with an argument that requires grad, the call
  // is refused outside no_grad (it could not be differentiated); under
  // NoGradGuard it runs and out stays a plain tensor.
  std::mt19937_64 rng(64);
  const Tensor a = uniform_tensor({2, 4, 3}, sgmm::kFloat32, rng).requires_grad_(true);
  const Tensor w = uniform_tensor({2, 3, 5}, sgmm::kFloat32, rng);
  Tensor out = sgmm::full({2, 4, 5}, kNaN);
  EXPECT_THROW(F::scaled_grouped_mm_out(out, a, w, 2.0), sgmm::ValueError);
  {
    sgmm::NoGradGuard no_grad;
    F::scaled_grouped_mm_out(out, a, w, 2.0);
  }
  EXPECT_FALSE(out.requires_grad());
  EXPECT_FALSE(out.grad_fn());
  EXPECT_TRUE(matches_reference_bmm(out, a, w, 2.0));
}

TEST(ScaledGroupedMM, OutputRequiresGradExactlyWhenAnInputDoes) {
  std::mt19937_64 rng(65);
  const Tensor a = uniform_tensor({2, 4, 3}, sgmm::kFloat32, rng);
  const Tensor w = uniform_tensor({2, 3, 5}, sgmm::kFloat32, rng);
  EXPECT_FALSE(F::scaled_grouped_mm(a, w, 2.0).requires_grad());
  const Tensor learnable_scale = sgmm::tensor(2.0, sgmm::TensorOptions().requires_grad(true));
  const Tensor by_scale = F::scaled_grouped_mm(a, w, learnable_scale);
  EXPECT_TRUE(by_scale.requires_grad());
  EXPECT_FALSE(by_scale.is_leaf());
  const Tensor w_grad = w.detach().requires_grad_(true);
  EXPECT_TRUE(F::scaled_grouped_mm(a, w_grad, 2.0).requires_grad());
  sgmm::NoGradGuard no_grad;
  EXPECT_FALSE(F::scaled_grouped_mm(a, w_grad, learnable_scale).requires_grad());
}

}  // namespace
