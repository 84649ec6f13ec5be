// scaled_grouped_mm against a float64 reference over thousands of randomized
// problems, under every kernel configuration this build contains.
//
// Each case is rebuilt from its seed alone (printed on failure); set
// SGMM_TEST_SEED to run a different stream, SGMM_TEST_CASES to run more.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sgmm/sgmm.hpp>
#include <sstream>

#include "../common/gemm_cases.hpp"
#include "../common/reference_gemm.hpp"
#include "../common/tensor_access.hpp"
#include "cpu/dispatch.hpp"

namespace {

using namespace sgmm::testing;
namespace F = sgmm::nn::functional;

int64_t randomized_case_count() {
  if (const char* text = std::getenv("SGMM_TEST_CASES")) return std::strtoll(text, nullptr, 10);
  return 2000;
}

// Stops a broken kernel from printing thousands of failures.
constexpr int kMaxReportedCases = 8;

struct CaseOutcome {
  bool passed = true;
  int64_t elements = 0;
  int64_t nonzero_references = 0;
  double worst_error_over_bound = 0;  // max |got - ref| / bound
};

std::string element_report(const GemmCase& c, const std::string& kernel, int64_t p, int64_t i,
                           int64_t j, double expected, double got, double bound,
                           const sgmm::Tensor& input, const sgmm::Tensor& weight,
                           const sgmm::Tensor& out) {
  std::ostringstream os;
  os.precision(17);
  os << "kernel " << kernel << ", " << c.describe() << "\n  at [" << p << ", " << i << ", " << j
     << "]: expected " << expected << ", got " << got << ", |error| " << std::fabs(got - expected)
     << " > bound " << bound << "\n  input sizes " << input.sizes() << " strides "
     << input.strides() << ", weight sizes " << weight.sizes() << " strides " << weight.strides()
     << ", out sizes " << out.sizes() << " strides " << out.strides();
  return os.str();
}

// Runs one case and compares every element with the reference: within the
// error bound (exact == false), or equal to the reference rounded to the
// output dtype (exact == true, small-integer inputs).
CaseOutcome check_case(const GemmCase& c, const std::string& kernel, bool exact) {
  CaseOutcome outcome;
  std::mt19937_64 rng(c.seed ^ 0x9e3779b97f4a7c15ull);
  const sgmm::Tensor input = make_operand(c.batch, c.m, c.k, c.dtype, c.input_layout, rng, exact);
  const sgmm::Tensor weight = make_operand(c.batch, c.k, c.n, c.dtype, c.weight_layout, rng, exact);
  const sgmm::Tensor out = run_scaled_grouped_mm(c, input, weight);

  const std::vector<int64_t> expected_sizes = {c.batch, c.m, c.n};
  if (out.sizes() != sgmm::IntArrayRef(expected_sizes) || out.scalar_type() != c.dtype) {
    ADD_FAILURE() << "kernel " << kernel << ", " << c.describe() << ": output has sizes "
                  << out.sizes() << " and dtype " << out.scalar_type() << ", expected "
                  << sgmm::IntArrayRef(expected_sizes) << " and " << c.dtype;
    outcome.passed = false;
    return outcome;
  }

  const ReferenceProduct reference = reference_bmm(input, weight, c.scale);
  const std::vector<double> got = values_of(out);
  const ErrorBound bound = ErrorBound::for_dtype(c.dtype);
  int64_t zero_outputs = 0;
  for (int64_t p = 0; p < c.batch; ++p) {
    for (int64_t i = 0; i < c.m; ++i) {
      for (int64_t j = 0; j < c.n; ++j) {
        const size_t e = static_cast<size_t>((p * c.m + i) * c.n + j);
        const double ref = reference.values[e];
        const double value = got[e];
        ++outcome.elements;
        if (ref != 0) ++outcome.nonzero_references;
        if (value == 0) ++zero_outputs;
        if (exact) {
          const double expected = round_to_dtype(ref, c.dtype);
          if (!(value == expected)) {
            ADD_FAILURE() << "exact mode: "
                          << element_report(c, kernel, p, i, j, expected, value, 0, input, weight,
                                            out);
            outcome.passed = false;
            return outcome;
          }
          continue;
        }
        const double allowed = bound.at(c.k, c.scale, reference.absolute_sums[e], ref);
        const double error = std::fabs(value - ref);
        if (!(error <= allowed)) {
          ADD_FAILURE() << element_report(c, kernel, p, i, j, ref, value, allowed, input, weight,
                                          out);
          outcome.passed = false;
          return outcome;
        }
        outcome.worst_error_over_bound = std::max(outcome.worst_error_over_bound, error / allowed);
      }
    }
  }
  // A kernel that stores nothing (or zeros) could still meet a loose bound
  // where the reference is tiny; flag outputs that are mostly zeros where the
  // reference is not.
  const int64_t zero_references = outcome.elements - outcome.nonzero_references;
  if (outcome.elements >= 16 && 2 * zero_outputs > outcome.elements &&
      10 * zero_references < outcome.elements) {
    ADD_FAILURE() << "kernel " << kernel << ", " << c.describe() << ": suspicious output, "
                  << zero_outputs << " of " << outcome.elements
                  << " elements are zero while the reference has " << zero_references;
    outcome.passed = false;
  }
  return outcome;
}

class ReferenceGemm : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!sgmm::cpu::kernel_config_supported(GetParam()))
      GTEST_SKIP() << "kernel configuration " << GetParam() << " cannot run on this CPU";
    forced_ = std::make_unique<ForcedKernelConfig>(GetParam());
    ASSERT_EQ(sgmm::cpu::active_kernel_config(), GetParam());
  }
  void TearDown() override { forced_.reset(); }

  std::unique_ptr<ForcedKernelConfig> forced_;
};

TEST_P(ReferenceGemm, RandomizedCasesStayWithinTheErrorBound) {
  const uint64_t seed = base_seed();
  const int64_t count = randomized_case_count();
  int failed = 0;
  int64_t elements = 0, nonzero = 0;
  std::map<std::string, double> worst_by_dtype;
  for (int64_t index = 0; index < count && failed < kMaxReportedCases; ++index) {
    const GemmCase c = draw_gemm_case(seed + static_cast<uint64_t>(index));
    const CaseOutcome outcome = check_case(c, GetParam(), /*exact=*/false);
    if (!outcome.passed) ++failed;
    elements += outcome.elements;
    nonzero += outcome.nonzero_references;
    double& worst = worst_by_dtype[sgmm::dtype_name(c.dtype)];
    worst = std::max(worst, outcome.worst_error_over_bound);
  }
  EXPECT_EQ(failed, 0) << "base seed " << seed << " (SGMM_TEST_SEED)";
  // The run must have compared real numbers, not only empty or zero outputs.
  EXPECT_GT(nonzero, elements / 2);
  std::cout << "[ info ] kernel " << GetParam() << ": " << count << " cases, " << elements
            << " elements; worst |error| / bound:";
  for (const auto& [dtype, worst] : worst_by_dtype) std::cout << " " << dtype << " " << worst;
  std::cout << "\n";
}

TEST_P(ReferenceGemm, SmallIntegerInputsGiveExactSums) {
  const uint64_t seed = base_seed() + 1000000;
  const int64_t count = randomized_case_count() / 4;
  int failed = 0;
  int64_t elements = 0, nonzero = 0;
  for (int64_t index = 0; index < count && failed < kMaxReportedCases; ++index) {
    const GemmCase c = draw_gemm_case(seed + static_cast<uint64_t>(index));
    const CaseOutcome outcome = check_case(c, GetParam(), /*exact=*/true);
    if (!outcome.passed) ++failed;
    elements += outcome.elements;
    nonzero += outcome.nonzero_references;
  }
  EXPECT_EQ(failed, 0) << "base seed " << seed;
  EXPECT_GT(nonzero, elements / 2);
}

// Sizes at the edges of every register tile a kernel may use (4x8, 4x4,
// 14x32, 14x16 and the like): a full tile, one more, one less, and two tiles.
TEST_P(ReferenceGemm, EveryEdgeSizeAroundTheTilesIsExact) {
  const int64_t sizes[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  12, 13, 14, 15,
                           16, 17, 24, 27, 28, 29, 31, 32, 33, 42, 43, 48, 49};
  int failed = 0;
  uint64_t seed = base_seed() + 2000000;
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (int64_t m : sizes) {
      for (int64_t n : sizes) {
        GemmCase c;
        c.seed = seed++;
        c.batch = 1;
        c.m = m;
        c.n = n;
        c.k = 1 + (m * 7 + n * 3) % 37;
        c.dtype = dtype;
        c.scale = -3;
        // Alternate layouts so the packing of both operands meets every edge too.
        c.input_layout = (m + n) % 2 ? OperandLayout::Transposed : OperandLayout::Contiguous;
        c.weight_layout = m % 3 ? OperandLayout::PaddedRows : OperandLayout::Transposed;
        if (!check_case(c, GetParam(), /*exact=*/true).passed && ++failed >= kMaxReportedCases)
          return;
      }
    }
  }
}

// The driver cuts k into KC slices (accumulating into C after the first,
// with the scale applied once), m into MC blocks and n into NC panels; the
// block sizes come from the cache sizes (hundreds to a few thousand). Sizes
// on both sides of one and several blocks, exact, in every dtype.
TEST_P(ReferenceGemm, ProductsSpanningSeveralCacheBlocksAreExact) {
  struct Shape {
    int64_t batch, m, k, n;
  };
  std::vector<Shape> shapes;
  for (int64_t k : {127, 128, 129, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 2049})
    shapes.push_back({1, 23, k, 37});
  shapes.push_back({2, 200, 1100, 70});  // several MC blocks and KC slices
  shapes.push_back({1, 6, 520, 4200});   // several NC panels
  shapes.push_back({1, 300, 40, 2100});
  int failed = 0;
  uint64_t seed = base_seed() + 4000000;
  for (sgmm::ScalarType dtype : kFloatDtypes) {
    for (const Shape& s : shapes) {
      GemmCase c;
      c.seed = seed++;
      c.batch = s.batch;
      c.m = s.m;
      c.n = s.n;
      c.k = s.k;
      c.dtype = dtype;
      c.scale = -3;
      c.input_layout = s.k % 2 ? OperandLayout::Contiguous : OperandLayout::Transposed;
      c.weight_layout = s.k % 3 ? OperandLayout::Transposed : OperandLayout::PaddedRows;
      c.form = s.k % 2 ? CallForm::DoubleScale : CallForm::OutTransposed;
      if (!check_case(c, GetParam(), /*exact=*/true).passed && ++failed >= kMaxReportedCases)
        return;
    }
  }
}

// Thousands of tiny products in one call: the batch loop and the split of
// (problem, tile) pairs over threads, not the micro-kernel, are under test.
TEST_P(ReferenceGemm, ManyTinyProblemsInOneCallAreExact) {
  uint64_t seed = base_seed() + 5000000;
  int failed = 0;
  for (int64_t batch : {1000, 4097}) {
    for (sgmm::ScalarType dtype : kFloatDtypes) {
      std::mt19937_64 rng(seed);
      GemmCase c;
      c.seed = seed++;
      c.batch = batch;
      c.m = std::uniform_int_distribution<int64_t>(1, 6)(rng);
      c.n = std::uniform_int_distribution<int64_t>(1, 6)(rng);
      c.k = std::uniform_int_distribution<int64_t>(1, 6)(rng);
      c.dtype = dtype;
      c.scale = 0.125;
      c.input_layout = static_cast<OperandLayout>(
          std::uniform_int_distribution<int>(0, kOperandLayoutCount - 1)(rng));
      c.weight_layout = static_cast<OperandLayout>(
          std::uniform_int_distribution<int>(0, kOperandLayoutCount - 1)(rng));
      c.form =
          static_cast<CallForm>(std::uniform_int_distribution<int>(0, kCallFormCount - 1)(rng));
      if (!check_case(c, GetParam(), /*exact=*/true).passed && ++failed >= kMaxReportedCases)
        return;
    }
  }
}

// For problems too big to check element by element, compare C t with
// A (B t) for a random vector t (float64). The bound is the element bound
// applied row by row: |(C t)_i - (A B t)_i| <= sum_j bound_ij |t_j|.
TEST_P(ReferenceGemm, LargeProductsPassTheResidualCheck) {
  struct Shape {
    int64_t batch, m, k, n;
    sgmm::ScalarType dtype;
    double scale;
  };
  const Shape shapes[] = {
      {2, 257, 300, 385, sgmm::kFloat32, 0.125},
      {1, 512, 520, 384, sgmm::kFloat32, 1.0},
      {2, 200, 333, 181, sgmm::kFloat64, -3.0},
      {1, 384, 640, 256, sgmm::kBFloat16, 0.125},
      {1, 300, 450, 270, sgmm::kFloat16, 1.0},
      // More rows than one MC block and a k of several KC blocks.
      {1, 1000, 130, 70, sgmm::kFloat32, -3.0},
      {1, 700, 601, 40, sgmm::kFloat64, 0.125},
      {1, 900, 777, 33, sgmm::kBFloat16, -3.0},
  };
  std::mt19937_64 rng(base_seed() + 3000000);
  for (const Shape& s : shapes) {
    const sgmm::Tensor a =
        make_operand(s.batch, s.m, s.k, s.dtype, OperandLayout::Contiguous, rng, false);
    const sgmm::Tensor b =
        make_operand(s.batch, s.k, s.n, s.dtype, OperandLayout::Transposed, rng, false);
    const sgmm::Tensor c = F::scaled_grouped_mm(a, b, s.scale);
    ASSERT_EQ(c.sizes(), sgmm::IntArrayRef({s.batch, s.m, s.n}));
    const std::vector<double> av = values_of(a), bv = values_of(b), cv = values_of(c);
    std::vector<double> t(static_cast<size_t>(s.n));
    std::uniform_real_distribution<double> uniform(-1, 1);
    for (double& value : t) value = uniform(rng);
    const ErrorBound bound = ErrorBound::for_dtype(s.dtype);
    double worst_normalized = 0;
    for (int64_t p = 0; p < s.batch; ++p) {
      // B t and |B| |t|, then A (B t) and |A| (|B| |t|).
      std::vector<double> bt(static_cast<size_t>(s.k), 0), abs_bt(static_cast<size_t>(s.k), 0);
      for (int64_t l = 0; l < s.k; ++l)
        for (int64_t j = 0; j < s.n; ++j) {
          const double bij = bv[static_cast<size_t>((p * s.k + l) * s.n + j)];
          bt[l] += bij * t[j];
          abs_bt[l] += std::fabs(bij * t[j]);
        }
      for (int64_t i = 0; i < s.m; ++i) {
        double abt = 0, abs_abt = 0, ct = 0, abs_ct = 0;
        for (int64_t l = 0; l < s.k; ++l) {
          const double ail = av[static_cast<size_t>((p * s.m + i) * s.k + l)];
          abt += ail * bt[l];
          abs_abt += std::fabs(ail) * abs_bt[l];
        }
        for (int64_t j = 0; j < s.n; ++j) {
          const double cij = cv[static_cast<size_t>((p * s.m + i) * s.n + j)];
          ct += cij * t[j];
          abs_ct += std::fabs(cij * t[j]);
        }
        const double residual = std::fabs(ct - s.scale * abt);
        const double allowed = ErrorBound::kSummationFactor * s.k * bound.accumulation_epsilon *
                                   std::fabs(s.scale) * abs_abt +
                               bound.output_epsilon * abs_ct + s.n * bound.output_subnormal;
        worst_normalized = std::max(worst_normalized, residual / (std::fabs(s.scale) * abs_abt));
        ASSERT_LE(residual, allowed)
            << "kernel " << GetParam() << ", [" << s.batch << ", " << s.m << ", " << s.k << "] @ ["
            << s.batch << ", " << s.k << ", " << s.n << "] " << s.dtype << " scale " << s.scale
            << ": residual of row " << i << " of batch " << p << " is " << residual;
      }
    }
    std::cout << "[ info ] kernel " << GetParam() << ": " << s.dtype << " [" << s.m << "x" << s.k
              << "x" << s.n << "] worst residual / (|A||B||t|) = " << worst_normalized << "\n";
  }
}

INSTANTIATE_TEST_SUITE_P(KernelConfigs, ReferenceGemm,
                         ::testing::ValuesIn(sgmm::cpu::kernel_config_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The randomized stream must actually reach what the suite claims it covers.
TEST(ReferenceCaseGenerator, CoversEveryDtypeScaleLayoutCallFormAndEdge) {
  std::set<sgmm::ScalarType> dtypes;
  std::set<double> scales;
  std::set<int> layouts, forms;
  bool zero_batch = false, zero_m = false, zero_k = false, one = false, above_128 = false;
  const uint64_t seed = base_seed();
  for (int64_t index = 0; index < randomized_case_count(); ++index) {
    const GemmCase c = draw_gemm_case(seed + static_cast<uint64_t>(index));
    dtypes.insert(c.dtype);
    scales.insert(c.scale);
    layouts.insert(static_cast<int>(c.input_layout));
    layouts.insert(static_cast<int>(c.weight_layout) + 100);
    forms.insert(static_cast<int>(c.form));
    zero_batch |= c.batch == 0;
    zero_m |= c.m == 0;
    zero_k |= c.k == 0;
    one |= c.m == 1 || c.n == 1 || c.k == 1;
    above_128 |= c.m > 128 || c.n > 128 || c.k > 128;
  }
  EXPECT_EQ(dtypes.size(), 4u);
  EXPECT_EQ(scales.size(), 4u);
  EXPECT_EQ(layouts.size(), 2u * kOperandLayoutCount);
  EXPECT_EQ(forms.size(), static_cast<size_t>(kCallFormCount));
  EXPECT_TRUE(zero_batch);
  EXPECT_TRUE(zero_m);
  EXPECT_TRUE(zero_k);
  EXPECT_TRUE(one);
  EXPECT_TRUE(above_128);
}

}  // namespace
