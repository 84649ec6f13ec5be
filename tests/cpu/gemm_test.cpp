// The GEMM engine tested per kernel configuration and element type: each
// configuration is forced in turn (skipped, visibly, where the CPU cannot
// run it), over k below, at, above and a multiple of the unroll and the KC
// block, m and n from 1 to past MR/NR, row-major, column-major and strided
// operands with prime strides, sentinels around C, NaN in C before an
// overwrite, and an exact mode where small integers make the sums exact.
#include "cpu/gemm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cpu/dispatch.hpp"
#include "cpu/kernel_config.hpp"
#include "gemm_reference.hpp"
#include "sgmm/runtime.hpp"

namespace sgmm::cpu::testing {
namespace {

const TypedGemmKernel& kernel_of(const KernelConfig& config, GemmDType dtype) {
  switch (dtype) {
    case GemmDType::f32:
      return config.f32;
    case GemmDType::f64:
      return config.f64;
    case GemmDType::bf16:
      return config.bf16;
    case GemmDType::f16:
      return config.f16;
  }
  return config.f32;
}

struct Shape {
  int64_t batch, m, n, k;
};

std::string describe(const Shape& s, Layout la, Layout lb, Layout lc, const Epilogue& e) {
  std::ostringstream os;
  os << "batch " << s.batch << " m " << s.m << " n " << s.n << " k " << s.k << ", A "
     << layout_name(la) << ", B " << layout_name(lb) << ", C " << layout_name(lc) << ", scale "
     << e.scale << (e.accumulate ? ", accumulate" : "");
  return os.str();
}

class GemmKernelTest : public ::testing::TestWithParam<std::tuple<std::string, GemmDType>> {
 protected:
  void SetUp() override {
    config_name_ = std::get<0>(GetParam());
    dtype_ = std::get<1>(GetParam());
    if (!kernel_config_supported(config_name_)) {
      GTEST_SKIP() << "this CPU cannot run the '" << config_name_ << "' kernels";
    }
    force_kernel_config(config_name_);
    kernel_ = &kernel_of(selected_kernel_config(), dtype_);
  }
  void TearDown() override { reset_kernel_config(); }

  // Runs one product and checks it: exact equality in exact mode (after the
  // one rounding into C's dtype), else a bound growing with k; C's padding
  // and the inputs untouched. Returns false after the first failure.
  bool run_and_check(const Shape& s, Layout la, Layout lb, Layout lc, const Epilogue& epilogue,
                     bool exact, uint32_t seed, bool shared_b = false) {
    std::mt19937 rng(seed);
    TestMatrices a(dtype_, s.batch, s.m, s.k, la);
    TestMatrices b(dtype_, s.batch, s.k, s.n, lb, shared_b);
    TestMatrices c(dtype_, s.batch, s.m, s.n, lc);
    if (exact) {
      a.fill_integers(rng, 4);
      b.fill_integers(rng, 4);
    } else {
      a.fill_reals(rng);
      b.fill_reals(rng);
    }
    if (epilogue.accumulate) {
      c.fill_integers(rng, 8);
    } else {
      c.fill_value(std::numeric_limits<double>::quiet_NaN());
    }
    const std::vector<double> expected = reference_product(a, b, c, epilogue);
    const std::vector<unsigned char> a_before = a.raw();
    const std::vector<unsigned char> b_before = b.raw();

    GemmBatch batch;
    batch.dtype = dtype_;
    batch.batch = s.batch;
    batch.m = s.m;
    batch.n = s.n;
    batch.k = s.k;
    batch.a = a.operand();
    batch.b = b.operand();
    batch.c = c.output();
    batch.epilogue = epilogue;
    gemm(batch);

    const std::string what = describe(s, la, lb, lc, epilogue) + ", dtype " + dtype_name(dtype_) +
                             ", kernel " + kernel_->name + " (" + std::to_string(kernel_->mr) +
                             "x" + std::to_string(kernel_->nr) + "), seed " + std::to_string(seed);
    EXPECT_TRUE(a.raw() == a_before) << "A was modified: " << what;
    EXPECT_TRUE(b.raw() == b_before) << "B was modified: " << what;
    EXPECT_TRUE(c.sentinels_intact()) << "C's padding was written: " << what;
    if (::testing::Test::HasFailure()) return false;

    const double eps = dtype_epsilon(dtype_);
    // Inputs in [-1, 1]: each sum has magnitude <= k; float32 accumulation
    // error grows like k * eps32 at worst; 16-bit outputs add one rounding.
    const double accumulate_eps = dtype_ == GemmDType::f64 ? eps : dtype_epsilon(GemmDType::f32);
    for (int64_t p = 0; p < s.batch; ++p) {
      for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < s.n; ++j) {
          const double want = expected[static_cast<size_t>((p * s.m + i) * s.n + j)];
          const double got = c.get(p, i, j);
          bool ok;
          if (exact) {
            ok = got == round_to_dtype(dtype_, want);
          } else {
            const double scale = std::abs(epilogue.scale) + 1.0;
            const double bound = 2.0 * scale * static_cast<double>(s.k + 2) * accumulate_eps +
                                 2.0 * eps * std::abs(want) + 1e-300;
            ok = std::abs(got - want) <= bound;
          }
          if (!ok) {
            ADD_FAILURE() << "C[" << p << "][" << i << "][" << j << "]: expected " << want
                          << ", got " << got << " (" << what << ")";
            return false;
          }
        }
      }
    }
    return true;
  }

  void check_batch_list_matches_separate_calls(const std::vector<Shape>& shapes);

  std::string config_name_;
  GemmDType dtype_ = GemmDType::f32;
  const TypedGemmKernel* kernel_ = nullptr;
};

TEST_P(GemmKernelTest, ExactOverTileAndBlockEdges) {
  const int64_t mr = kernel_->mr, nr = kernel_->nr, kc = kernel_->kc;
  const std::vector<int64_t> ms = {1, mr - 1, mr, mr + 1, 2 * mr + 3};
  const std::vector<int64_t> ns = {1, nr - 1, nr, nr + 1, 2 * nr + 5};
  const std::vector<int64_t> ks = {1, 2, 3, 4, 5, 8, 16, 17, kc - 1, kc, kc + 1, 2 * kc + 3};
  uint32_t seed = 1;
  for (int64_t m : ms) {
    for (int64_t n : ns) {
      for (int64_t k : ks) {
        if (m < 1 || n < 1) continue;
        // Past the unroll, every tile edge is already covered: the KC-block
        // cases keep three (m, n) corners, which keeps the sanitizer build fast.
        const bool corner =
            (m == 1 && n == 1) || (m == mr && n == nr) || (m == ms.back() && n == ns.back());
        if (k > 17 && !corner) continue;
        const Epilogue plain{1.0, false};
        if (!run_and_check({1, m, n, k}, Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor,
                           plain, true, seed++)) {
          return;
        }
      }
    }
  }
}

// Every height of a packed block's last tile: a full tile, then one of 1 to
// MR rows, which the micro-kernels compute with a form of their own. A
// column-major A and a sum longer than KC keep the product off the direct
// paths.
TEST_P(GemmKernelTest, ExactForEveryTileHeightOnThePackedPath) {
  const int64_t mr = kernel_->mr, nr = kernel_->nr, kc = kernel_->kc;
  uint32_t seed = 30;
  for (int64_t rows = 1; rows <= mr; ++rows) {
    const Epilogue epilogue{0.125, rows % 2 == 0};
    if (!run_and_check({1, mr + rows, nr + 3, kc + 5}, Layout::kColumnMajor, Layout::kRowMajor,
                       Layout::kRowMajor, epilogue, true, seed++)) {
      return;
    }
  }
}

// Every width of a row's last vector, in every store mode: the kernels
// store a partial vector without masked stores on some ISAs.
TEST_P(GemmKernelTest, ExactForEveryOutputWidth) {
  const int64_t nr = kernel_->nr;
  uint32_t seed = 50;
  for (int64_t n = 1; n <= 2 * nr + 1; ++n) {
    for (double scale : {1.0, 0.125}) {
      for (bool accumulate : {false, true}) {
        if (!run_and_check({2, 5, n, 7}, Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor,
                           Epilogue{scale, accumulate}, true, seed++)) {
          return;
        }
      }
    }
  }
}

TEST_P(GemmKernelTest, ExactForEveryLayoutScaleAndAccumulate) {
  const int64_t mr = kernel_->mr, nr = kernel_->nr;
  const Shape shape{3, 2 * mr + 1, nr + 3, 37};
  const Layout layouts[] = {Layout::kRowMajor, Layout::kColumnMajor, Layout::kStrided};
  uint32_t seed = 100;
  for (Layout la : layouts) {
    for (Layout lb : layouts) {
      for (Layout lc : layouts) {
        for (double scale : {1.0, 0.125, -3.0, 0.0}) {
          for (bool accumulate : {false, true}) {
            if (!run_and_check(shape, la, lb, lc, Epilogue{scale, accumulate}, true, seed++))
              return;
          }
        }
      }
    }
  }
}

TEST_P(GemmKernelTest, RandomRealsWithinBoundOfFloat64Reference) {
  const int64_t kc = kernel_->kc;
  const int64_t mc = kernel_->mc;
  const Shape small[] = {{2, 37, 53, 29}, {4, 5, 71, 3}};
  // Sums over several KC blocks and tiles over several MC blocks: every
  // epilogue is covered by the small shapes, so these take two.
  const Shape blocked[] = {{1, 61, 17, kc + 7}, {1, 45, 37, 2 * kc + 1}, {1, mc + 5, 40, 50}};
  uint32_t seed = 500;
  const auto check_both_layouts = [&](const Shape& s, const Epilogue& e) {
    return run_and_check(s, Layout::kRowMajor, Layout::kColumnMajor, Layout::kRowMajor, e, false,
                         seed++) &&
           run_and_check(s, Layout::kColumnMajor, Layout::kRowMajor, Layout::kStrided, e, false,
                         seed++);
  };
  for (const Shape& s : small) {
    for (double scale : {1.0, 0.125, -3.0}) {
      for (bool accumulate : {false, true}) {
        if (!check_both_layouts(s, Epilogue{scale, accumulate})) return;
      }
    }
  }
  for (const Shape& s : blocked) {
    if (!check_both_layouts(s, Epilogue{0.125, false})) return;
    if (!check_both_layouts(s, Epilogue{-3.0, true})) return;
  }
}

// Products 9 and 10 columns wide take kernels of their own on AVX-512
// (float32 four k per FMA, columns 8 and 9 shared by two rows; float64
// columns 0..7 in full vectors plus dot-product tails) and on AVX2
// (float32: columns 0..7 in one vector, then the tail columns as dot
// products in a second pass): every row count up to past two of their row
// blocks and the prefetching size, k around their steps of 2, 4 and 8 and
// past KC, A row- and column-major (the latter takes the general kernel),
// B in place and packed, C with unit and other column strides, every
// store mode.
TEST_P(GemmKernelTest, ExactForNarrowProducts) {
  const int64_t kc = kernel_->kc;
  struct MK {
    int64_t m, k;
  };
  const MK sizes[] = {{1, 8},   {3, 1},  {4, 7},   {5, 9},  {7, 6},    {10, 64},    {11, 130},
                      {12, 16}, {13, 8}, {25, 67}, {29, 3}, {300, 64}, {6, kc + 13}};
  struct Layouts {
    Layout a, b, c;
  };
  const Layouts layouts[] = {{Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor},
                             {Layout::kRowMajor, Layout::kColumnMajor, Layout::kStrided},
                             {Layout::kRowMajor, Layout::kStrided, Layout::kColumnMajor},
                             {Layout::kColumnMajor, Layout::kRowMajor, Layout::kRowMajor}};
  uint32_t seed = 1300;
  for (int64_t n : {9, 10}) {
    for (const MK& size : sizes) {
      for (const Layouts& l : layouts) {
        for (double scale : {1.0, 0.125}) {
          for (bool accumulate : {false, true}) {
            if (!run_and_check({2, size.m, n, size.k}, l.a, l.b, l.c, Epilogue{scale, accumulate},
                               true, seed++)) {
              return;
            }
          }
        }
      }
    }
  }
  const Shape reals[] = {{3, 10, 10, 64}, {2, 17, 9, 45}};
  for (const Shape& s : reals) {
    if (!run_and_check(s, Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor,
                       Epilogue{-3.0, true}, false, seed++)) {
      return;
    }
  }
}

// A narrow product's B stored by columns (attention's K^T view, which the
// float32 narrow kernels read in place and the float64 one packs first)
// gives the same bits as the same B stored by rows, for every row block
// size and k around the kernels' 4- and 8-k steps: each element is summed in one
// order whatever B's layout. (16-bit types widen only a B stored by rows
// for the narrow kernel.)
TEST_P(GemmKernelTest, NarrowProductsSameBitsForBStoredByColumns) {
  if (dtype_ != GemmDType::f32 && dtype_ != GemmDType::f64) {
    GTEST_SKIP() << "16-bit types take the narrow kernel for a B stored by rows only";
  }
  std::mt19937 rng(2024);
  for (int64_t n : {9, 10}) {
    for (int64_t m : {1, 4, 10, 12, 13, 25}) {
      for (int64_t k : {1, 2, 7, 8, 14, 15, 64, 67}) {
        const Shape s{2, m, n, k};
        TestMatrices a(dtype_, s.batch, m, k, Layout::kRowMajor);
        TestMatrices b_rows(dtype_, s.batch, k, n, Layout::kRowMajor);
        TestMatrices b_columns(dtype_, s.batch, k, n, Layout::kColumnMajor);
        a.fill_reals(rng);
        b_rows.fill_reals(rng);
        for (int64_t p = 0; p < s.batch; ++p) {
          for (int64_t i = 0; i < k; ++i) {
            for (int64_t j = 0; j < n; ++j) b_columns.set(p, i, j, b_rows.get(p, i, j));
          }
        }
        TestMatrices c_rows(dtype_, s.batch, m, n, Layout::kRowMajor);
        TestMatrices c_columns(dtype_, s.batch, m, n, Layout::kRowMajor);
        c_rows.fill_reals(rng);
        for (int64_t p = 0; p < s.batch; ++p) {
          for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) c_columns.set(p, i, j, c_rows.get(p, i, j));
          }
        }
        const Epilogue epilogue{0.125, true};
        gemm(GemmBatch{dtype_, s.batch, m, n, k, a.operand(), b_rows.operand(), c_rows.output(),
                       epilogue});
        gemm(GemmBatch{dtype_, s.batch, m, n, k, a.operand(), b_columns.operand(),
                       c_columns.output(), epilogue});
        for (int64_t p = 0; p < s.batch; ++p) {
          for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
              ASSERT_EQ(c_rows.bits(p, i, j), c_columns.bits(p, i, j))
                  << describe(s, Layout::kRowMajor, Layout::kColumnMajor, Layout::kRowMajor,
                              epilogue)
                  << " at [" << p << ", " << i << ", " << j << "]";
            }
          }
        }
        ASSERT_TRUE(c_columns.sentinels_intact())
            << describe(s, Layout::kRowMajor, Layout::kColumnMajor, Layout::kRowMajor, epilogue);
      }
    }
  }
}

// Products of 16 columns or more from a B stored by columns (attention's
// K^T; AVX-512's float32 kernel reads it in place, in groups of 16 columns,
// the last overlapping the one before when the width is not a multiple of
// 16, in products of up to 48 rows summing enough k; one row as dot
// products), exact for every row block size, k around the kernel's 8-k
// step, and every store mode, into C by rows and by columns.
TEST_P(GemmKernelTest, ExactForProductsFromBStoredByColumns) {
  uint32_t seed = 3100;
  for (int64_t n : {16, 17, 31, 32, 40, 130}) {
    for (int64_t m : {1, 2, 3, 4, 10, 11, 13, 25, 48, 64}) {
      for (int64_t k : {1, 7, 8, 9, 20, 64, 67, 70}) {
        for (Layout lc : {Layout::kRowMajor, Layout::kColumnMajor}) {
          // C's layout follows the seed's lowest bit; these its next two.
          const bool accumulate = (seed & 2) != 0;
          const double scale = (seed & 4) != 0 ? 0.125 : 1.0;
          if (!run_and_check({2, m, n, k}, Layout::kRowMajor, Layout::kColumnMajor, lc,
                             Epilogue{scale, accumulate}, true, seed++)) {
            return;
          }
        }
      }
    }
  }
  // One row (decoding's Q @ K^T) with longer sums: 16 k of each column at a
  // time below 32 k, else 1 to 8 vectors of 16 k of one column after
  // another (every count), the last k % 16 masked.
  for (int64_t n : {16, 17, 130}) {
    for (int64_t k : {31, 32, 48, 64, 95, 100, 127, 128, 129, 150, 250}) {
      const bool accumulate = (seed & 2) != 0;
      const double scale = (seed & 4) != 0 ? 0.125 : 1.0;
      const Layout lc = (seed & 1) != 0 ? Layout::kColumnMajor : Layout::kRowMajor;
      if (!run_and_check({2, 1, n, k}, Layout::kRowMajor, Layout::kColumnMajor, lc,
                         Epilogue{scale, accumulate}, true, seed++)) {
        return;
      }
    }
  }
  if (!run_and_check({2, 25, 40, 67}, Layout::kRowMajor, Layout::kColumnMajor, Layout::kRowMajor,
                     Epilogue{-3.0, true}, false, seed++)) {
    return;
  }
}

// B in a heap block exactly as large as its elements, so AddressSanitizer
// sees any read past its end: kernels that read B's rows as whole vectors
// must stop short of it, for every width, for B's own row stride (a narrow
// row-major B), for a row stride of 0 (one row repeated) and for B stored
// by columns (K^T, whose columns the narrow kernel reads 8 k at a time);
// k of 8 and 11 reach the narrow kernels' 8-step loop, one row with 40 and
// 133 k the dot products' loop over whole vectors of a column.
TEST_P(GemmKernelTest, ReadsNothingPastTheEndOfB) {
  const size_t elem = gemm_dtype_size(dtype_);
  std::mt19937 rng(77);
  for (int64_t n = 1; n <= 17; ++n) {
    for (int64_t k : {1, 2, 5, 8, 11, 40, 133}) {
      for (const char* storage : {"rows", "one row repeated", "columns"}) {
        const bool repeated_row = std::strcmp(storage, "one row repeated") == 0;
        const bool by_columns = std::strcmp(storage, "columns") == 0;
        const int64_t m = k >= 40 ? 1 : 3;
        TestMatrices a(dtype_, 1, m, k, Layout::kRowMajor);
        TestMatrices b(dtype_, 1, k, n, Layout::kRowMajor);
        TestMatrices c(dtype_, 1, m, n, Layout::kRowMajor);
        a.fill_integers(rng, 4);
        b.fill_integers(rng, 4);
        for (int64_t p = 1; repeated_row && p < k; ++p) {
          for (int64_t j = 0; j < n; ++j) b.set(0, p, j, b.get(0, 0, j));
        }
        const int64_t rows = repeated_row ? 1 : k;
        auto exact_b = std::make_unique<unsigned char[]>(static_cast<size_t>(rows * n) * elem);
        for (int64_t p = 0; p < rows; ++p) {
          for (int64_t j = 0; j < n; ++j) {
            const uint64_t bits = b.bits(0, p, j);
            const int64_t at = by_columns ? j * k + p : p * n + j;
            std::memcpy(exact_b.get() + static_cast<size_t>(at) * elem, &bits, elem);
          }
        }
        const MatrixOperand b_operand =
            by_columns ? MatrixOperand{exact_b.get(), 0, 1, k}
                       : MatrixOperand{exact_b.get(), 0, repeated_row ? 0 : n, 1};
        const std::vector<double> expected = reference_product(a, b, c, Epilogue{});
        gemm(GemmBatch{dtype_, 1, m, n, k, a.operand(), b_operand, c.output(), Epilogue{}});
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            ASSERT_EQ(c.get(0, i, j), round_to_dtype(dtype_, expected[i * n + j]))
                << "n " << n << " k " << k << ", B stored by " << storage << " at [" << i << ", "
                << j << "]";
          }
        }
      }
    }
  }
}

// The direct path packs a B with strided columns a buffer-sized block of
// columns at a time: a B wider than the buffer (KC x NC) spans several
// blocks, and a long sum with a row-major A takes the direct path whole.
TEST_P(GemmKernelTest, WideTransposedBAndLongSums) {
  const int64_t kc = kernel_->kc, nc = kernel_->nc, mr = kernel_->mr;
  const Shape shapes[] = {{1, 3, kc, nc + 100}, {2, mr + 3, 3 * kc + 5, 70}};
  uint32_t seed = 900;
  for (const Shape& s : shapes) {
    if (!run_and_check(s, Layout::kRowMajor, Layout::kColumnMajor, Layout::kRowMajor,
                       Epilogue{0.125, false}, true, seed++)) {
      return;
    }
    if (!run_and_check(s, Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor,
                       Epilogue{-3.0, true}, true, seed++)) {
      return;
    }
  }
}

// The packed path packs B a group of panels at a time, fetching the next
// group while one is multiplied: B wide enough for two groups and a partial
// third (the last panel partial too), A larger than L2 (so the product is
// packed), a sum longer than KC, and B in each layout the packers read.
TEST_P(GemmKernelTest, PackedBInSeveralGroups) {
  const int64_t mr = kernel_->mr, nr = kernel_->nr, kc = kernel_->kc, mc = kernel_->mc;
  const Shape s{1, 4 * mc + mr + 1, 9 * nr + 5, kc + 3};
  uint32_t seed = 970;
  for (Layout b : {Layout::kRowMajor, Layout::kColumnMajor, Layout::kStrided}) {
    if (!run_and_check(s, Layout::kRowMajor, b, Layout::kRowMajor, Epilogue{0.125, false}, false,
                       seed++)) {
      return;
    }
  }
}

// A sum of one KC step into a 16-bit C goes MC rows at a time, B packed a
// group of panels at a time; bf16 on AVX512_BF16 then reads a row-major A
// of short rows in place. Several row blocks and groups, the last of each
// partial, an odd k (a last pair completed with zero), A too large for the
// small direct path, and every layout (a column-major or strided A is
// packed).
TEST_P(GemmKernelTest, OneKcStepOverSeveralRowBlocksAndGroups) {
  const int64_t mr = kernel_->mr, nr = kernel_->nr, mc = kernel_->mc;
  const Shape s{2, 2 * mc + mr + 3, 9 * nr + 5, std::min<int64_t>(301, kernel_->kc - 1)};
  const Layout layouts[] = {Layout::kRowMajor, Layout::kColumnMajor, Layout::kStrided};
  uint32_t seed = 990;
  for (Layout la : layouts) {
    for (Layout lc : layouts) {
      const Epilogue epilogue =
          lc == Layout::kStrided ? Epilogue{-3.0, true} : Epilogue{0.125, false};
      if (!run_and_check(s, la, Layout::kRowMajor, lc, epilogue, true, seed++)) return;
    }
  }
  run_and_check(s, Layout::kRowMajor, Layout::kColumnMajor, Layout::kRowMajor,
                Epilogue{0.125, false}, true, seed);
}

// A large B with strided columns on the direct path (W^T in a backward
// pass), packed with its rows fetched ahead: several panels, the last
// partial, for A in either layout (each with its own prefetching blocks: A
// is 64 KB or more) and both epilogues.
TEST_P(GemmKernelTest, LargeTransposedBOnTheDirectPath) {
  const Shape s{2, 131, 200, std::min<int64_t>(128, kernel_->kc)};
  uint32_t seed = 950;
  for (Layout a : {Layout::kRowMajor, Layout::kColumnMajor}) {
    for (const Epilogue& epilogue : {Epilogue{0.125, false}, Epilogue{-3.0, true}}) {
      if (!run_and_check(s, a, Layout::kColumnMajor, Layout::kRowMajor, epilogue, true, seed++)) {
        return;
      }
    }
  }
}

// A narrow product summing over more than KC (a weight gradient over many
// rows, x^T @ dOut) goes in KC steps of half the configuration's where its
// packed blocks then fit L2 (gemm_driver.cpp, packed_kc): several steps, the
// last partial, A read through its transpose or by rows, both epilogues.
TEST_P(GemmKernelTest, NarrowProductsOverLongSums) {
  const Shape s{2, 64, 64, 2 * kernel_->kc + 37};
  uint32_t seed = 960;
  for (Layout a : {Layout::kColumnMajor, Layout::kRowMajor}) {
    for (const Epilogue& epilogue : {Epilogue{0.125, false}, Epilogue{-3.0, true}}) {
      if (!run_and_check(s, a, Layout::kRowMajor, Layout::kRowMajor, epilogue, true, seed++)) {
        return;
      }
    }
  }
}

TEST_P(GemmKernelTest, SharedWeightWithZeroBatchStride) {
  const int64_t mr = kernel_->mr, nr = kernel_->nr;
  run_and_check({5, mr + 2, nr + 1, 19}, Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor,
                Epilogue{0.125, false}, true, 7, /*shared_b=*/true);
}

TEST_P(GemmKernelTest, KZeroStoresZerosOrLeavesC) {
  for (bool accumulate : {false, true}) {
    TestMatrices a(dtype_, 2, 5, 0, Layout::kRowMajor);
    TestMatrices b(dtype_, 2, 0, 7, Layout::kRowMajor);
    TestMatrices c(dtype_, 2, 5, 7, Layout::kStrided);
    c.fill_value(accumulate ? 3.0 : std::numeric_limits<double>::quiet_NaN());
    GemmBatch batch{
        dtype_, 2, 5, 7, 0, a.operand(), b.operand(), c.output(), Epilogue{-3.0, accumulate}};
    gemm(batch);
    EXPECT_TRUE(c.sentinels_intact());
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t i = 0; i < 5; ++i)
        for (int64_t j = 0; j < 7; ++j) ASSERT_EQ(c.get(p, i, j), accumulate ? 3.0 : 0.0);
  }
}

TEST_P(GemmKernelTest, EmptySizesTouchNothing) {
  const Shape shapes[] = {{0, 4, 4, 4}, {3, 0, 4, 4}, {3, 4, 0, 4}};
  for (const Shape& s : shapes) {
    TestMatrices a(dtype_, std::max<int64_t>(s.batch, 1), std::max<int64_t>(s.m, 1), s.k,
                   Layout::kRowMajor);
    TestMatrices b(dtype_, std::max<int64_t>(s.batch, 1), s.k, std::max<int64_t>(s.n, 1),
                   Layout::kRowMajor);
    TestMatrices c(dtype_, std::max<int64_t>(s.batch, 1), std::max<int64_t>(s.m, 1),
                   std::max<int64_t>(s.n, 1), Layout::kRowMajor);
    const std::vector<unsigned char> before = c.raw();
    GemmBatch batch{dtype_,      s.batch,     s.m,        s.n,       s.k,
                    a.operand(), b.operand(), c.output(), Epilogue{}};
    gemm(batch);
    EXPECT_TRUE(c.raw() == before) << "batch " << s.batch << " m " << s.m << " n " << s.n;
  }
}

// scale == 1 performs no multiply: the result is the plain product, bit for
// bit, here compared with accumulating onto zeros (0 + x == x) and with a
// power-of-two scale undone exactly.
TEST_P(GemmKernelTest, ScaleOneIsBitIdenticalToPlainProduct) {
  const Shape s{2, 3 * kernel_->mr + 2, 2 * kernel_->nr + 3, 2 * kernel_->kc + 9};
  std::mt19937 rng(42);
  TestMatrices a(dtype_, s.batch, s.m, s.k, Layout::kRowMajor);
  TestMatrices b(dtype_, s.batch, s.k, s.n, Layout::kColumnMajor);
  a.fill_reals(rng);
  b.fill_reals(rng);
  TestMatrices plain(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
  TestMatrices onto_zero(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
  TestMatrices doubled(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
  onto_zero.fill_value(0.0);
  gemm(GemmBatch{dtype_, s.batch, s.m, s.n, s.k, a.operand(), b.operand(), plain.output(),
                 Epilogue{1.0, false}});
  gemm(GemmBatch{dtype_, s.batch, s.m, s.n, s.k, a.operand(), b.operand(), onto_zero.output(),
                 Epilogue{1.0, true}});
  gemm(GemmBatch{dtype_, s.batch, s.m, s.n, s.k, a.operand(), b.operand(), doubled.output(),
                 Epilogue{2.0, false}});
  int64_t zeros = 0;
  for (int64_t p = 0; p < s.batch; ++p) {
    for (int64_t i = 0; i < s.m; ++i) {
      for (int64_t j = 0; j < s.n; ++j) {
        const double value = plain.get(p, i, j);
        if (value == 0.0) ++zeros;
        ASSERT_EQ(value, onto_zero.get(p, i, j)) << p << "," << i << "," << j;
        ASSERT_EQ(value, doubled.get(p, i, j) / 2.0) << p << "," << i << "," << j;
      }
    }
  }
  EXPECT_LT(zeros, s.batch * s.m * s.n / 10) << "suspiciously many zeros in the product";
}

// Several batches of different shapes in one call run as one job.
// Lists of batches of different counts run batch by batch; of one count
// (a backward pass's two products), entry by entry across the batches.
// Either way each product comes out as from its own call.
TEST_P(GemmKernelTest, BatchListMatchesSeparateCalls) {
  for (const bool equal_counts : {false, true}) {
    SCOPED_TRACE(equal_counts ? "batches of one count" : "batches of different counts");
    check_batch_list_matches_separate_calls(
        equal_counts ? std::vector<Shape>{{3, 7, 9, 11}, {3, 33, 40, 65}, {3, 1, 1, 1}}
                     : std::vector<Shape>{{2, 7, 9, 11}, {1, 33, 40, 65}, {3, 1, 1, 1}});
  }
}

void GemmKernelTest::check_batch_list_matches_separate_calls(const std::vector<Shape>& shapes) {
  std::mt19937 rng(9);
  std::vector<TestMatrices> as, bs, together, apart;
  for (const Shape& s : shapes) {
    as.emplace_back(dtype_, s.batch, s.m, s.k, Layout::kRowMajor);
    bs.emplace_back(dtype_, s.batch, s.k, s.n, Layout::kRowMajor);
    together.emplace_back(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
    apart.emplace_back(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
    as.back().fill_reals(rng);
    bs.back().fill_reals(rng);
  }
  std::vector<GemmBatch> list;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = shapes[i];
    list.push_back({dtype_, s.batch, s.m, s.n, s.k, as[i].operand(), bs[i].operand(),
                    together[i].output(), Epilogue{0.5, false}});
    gemm(GemmBatch{dtype_, s.batch, s.m, s.n, s.k, as[i].operand(), bs[i].operand(),
                   apart[i].output(), Epilogue{0.5, false}});
  }
  gemm(list.data(), list.size());
  for (size_t i = 0; i < shapes.size(); ++i) {
    EXPECT_TRUE(together[i].raw() == apart[i].raw()) << "batch " << i;
  }
}

// Random combinations of what the tests above vary a few at a time: sizes
// around the kernel's MR, NR and KC and the narrow kernels' 9 and 10
// columns, each operand's layout, a B shared by the batch, the epilogue
// and the thread count; every product exact against the reference.
TEST_P(GemmKernelTest, ExactForRandomCombinations) {
  const int saved = sgmm::get_num_threads();
  std::mt19937 rng(2026);
  const auto draw = [&](int64_t n) { return static_cast<int64_t>(rng() % n); };
  const auto size_near = [&](int64_t tile) -> int64_t {
    switch (draw(4)) {
      case 0:
        return 1 + draw(12);
      case 1:
        return std::max<int64_t>(1, tile * (1 + draw(3)) + draw(3) - 1);
      case 2:
        return 9 + draw(2);
      default:
        return 1 + draw(150);
    }
  };
  const double scales[] = {1.0, 0.125, -0.5};
  for (int trial = 0; trial < 48; ++trial) {
    Shape s{1 + draw(3), size_near(kernel_->mr), size_near(kernel_->nr), size_near(8)};
    if (draw(5) == 0) {
      // A sum of about one KC step, on a small tile to keep the reference quick.
      s.k = kernel_->kc + draw(7) - 3;
      s.m = std::min<int64_t>(s.m, 40);
      s.n = std::min<int64_t>(s.n, 40);
    }
    const Layout la = static_cast<Layout>(draw(3));
    const Layout lb = static_cast<Layout>(draw(3));
    const Layout lc = static_cast<Layout>(draw(3));
    const Epilogue epilogue{scales[draw(3)], draw(3) == 0};
    const bool shared_b = draw(4) == 0;
    const int threads = 1 + static_cast<int>(draw(2));
    sgmm::set_num_threads(threads);
    SCOPED_TRACE("trial " + std::to_string(trial) + ", " + std::to_string(threads) + " threads" +
                 (shared_b ? ", B shared by the batch" : ""));
    if (!run_and_check(s, la, lb, lc, epilogue, true, 1000 + trial, shared_b)) break;
  }
  sgmm::set_num_threads(saved);
}

// K is never split, and every element is summed the same way wherever tile
// edges fall, so any thread count gives the same bits.
TEST_P(GemmKernelTest, BitIdenticalForAnyThreadCount) {
  const int saved = sgmm::get_num_threads();
  // The last shape's A (1000 x 100) is too large for the direct path on
  // one thread and small enough in the row tiles of several: the packed and
  // direct paths must give the same bits.
  const Shape shapes[] = {{1, 5 * kernel_->mr + 3, 3 * kernel_->nr + 1, kernel_->kc + 5},
                          {3, 2 * kernel_->mr + 7, 4 * kernel_->nr + 9, 77},
                          {5, 3, 8 * kernel_->nr + 1, 33},
                          {1, 1000, 100, 100},
                          // 10 columns (AVX-512's narrow kernels) in row tiles:
                          // the narrow kernel is a product's choice, never a
                          // tile's. Then column tiles of unequal widths
                          // (64 + 64 + 74 on three threads).
                          {3, 300, 10, 64},
                          {1, 20, 202, 40},
                          // Longer than KC and wider than tall: the packed
                          // path in column tiles (columns_split_packs_less).
                          {1, 4 * kernel_->mr + 1, 8 * kernel_->nr + 5, kernel_->kc + 3},
                          // Narrow and longer than KC: steps of half of KC
                          // (packed_kc), whatever the tiling.
                          {3, 64, 64, 2 * kernel_->kc + 5},
                          // Last, with B stored by columns (Q @ K^T): column
                          // tiles of 64 + 64 + 72 on three threads, whose last
                          // 16-column group overlaps the one before it.
                          {3, 40, 200, 64}};
  for (const Shape& s : shapes) {
    std::mt19937 rng(17);
    const bool b_by_columns = &s == &shapes[std::size(shapes) - 1];
    TestMatrices a(dtype_, s.batch, s.m, s.k, Layout::kRowMajor);
    TestMatrices b(dtype_, s.batch, s.k, s.n,
                   b_by_columns ? Layout::kColumnMajor : Layout::kRowMajor);
    a.fill_reals(rng);
    b.fill_reals(rng);
    std::vector<unsigned char> first;
    for (int threads : {1, 2, 3, 4}) {
      sgmm::set_num_threads(threads);
      TestMatrices c(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
      gemm(GemmBatch{dtype_, s.batch, s.m, s.n, s.k, a.operand(), b.operand(), c.output(),
                     Epilogue{0.125, false}});
      if (first.empty()) {
        first = c.raw();
      } else {
        EXPECT_TRUE(c.raw() == first) << threads << " threads, m " << s.m << " n " << s.n;
      }
    }
  }
  sgmm::set_num_threads(saved);
}

// The driver keeps what its workers read of a job per calling thread and
// rewrites only what changed since the last call (gemm_driver.cpp,
// same_batch): a call that changes one thing -- the scale, even only its
// sign of zero, accumulation, C, B's layout -- must get it.
TEST_P(GemmKernelTest, RepeatedCallsFollowEveryChange) {
  const int saved = sgmm::get_num_threads();
  sgmm::set_num_threads(2);
  const Shape s{4, 40, 50, 40};  // work enough for both threads
  std::mt19937 rng(5);
  TestMatrices a(dtype_, s.batch, s.m, s.k, Layout::kRowMajor);
  TestMatrices b(dtype_, s.batch, s.k, s.n, Layout::kRowMajor);
  TestMatrices b_columns(dtype_, s.batch, s.k, s.n, Layout::kColumnMajor);
  TestMatrices c(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
  TestMatrices other_c(dtype_, s.batch, s.m, s.n, Layout::kRowMajor);
  a.fill_integers(rng, 4);
  b.fill_integers(rng, 4);
  for (int64_t p = 0; p < s.batch; ++p) {
    for (int64_t i = 0; i < s.k; ++i) {
      for (int64_t j = 0; j < s.n; ++j) b_columns.set(p, i, j, b.get(p, i, j));
    }
  }
  // Runs the product into `out` and checks every element, its sign included.
  const auto check_call = [&](const char* what, const TestMatrices& weight, TestMatrices& out,
                              const Epilogue& epilogue) {
    const std::vector<double> expected = reference_product(a, weight, out, epilogue);
    gemm(GemmBatch{dtype_, s.batch, s.m, s.n, s.k, a.operand(), weight.operand(), out.output(),
                   epilogue});
    for (int64_t p = 0; p < s.batch; ++p) {
      for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < s.n; ++j) {
          const double want =
              round_to_dtype(dtype_, expected[static_cast<size_t>((p * s.m + i) * s.n + j)]);
          const double got = out.get(p, i, j);
          if (got != want || std::signbit(got) != std::signbit(want)) {
            ADD_FAILURE() << what << ": C[" << p << "][" << i << "][" << j << "] is " << got
                          << ", expected " << want;
            return;
          }
        }
      }
    }
  };
  check_call("scale 0.5", b, c, Epilogue{0.5, false});
  check_call("then scale 2", b, c, Epilogue{2.0, false});
  check_call("then accumulating", b, c, Epilogue{1.0, true});
  const std::vector<unsigned char> c_before = c.raw();
  check_call("then another C", b, other_c, Epilogue{1.0, false});
  EXPECT_TRUE(c.raw() == c_before) << "the previous call's C was written";
  check_call("then B column-major", b_columns, other_c, Epilogue{1.0, false});
  check_call("then scale 0", b_columns, other_c, Epilogue{0.0, false});
  check_call("then scale -0", b_columns, other_c, Epilogue{-0.0, false});
  sgmm::set_num_threads(saved);
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<std::string, GemmDType>>& info) {
  return std::get<0>(info.param) + "_" + dtype_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(EveryConfig, GemmKernelTest,
                         ::testing::Combine(::testing::ValuesIn(kernel_config_names()),
                                            ::testing::Values(GemmDType::f32, GemmDType::f64,
                                                              GemmDType::bf16, GemmDType::f16)),
                         param_name);

}  // namespace
}  // namespace sgmm::cpu::testing
