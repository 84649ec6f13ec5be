// The AVX2 narrow kernel comes in two forms (two or all four of A's k
// spread by shuffles; kernel_config_avx2.cpp picks one by vendor), so a
// configuration test on one machine runs only one of them. Here both run
// on every shape class, B by rows and by columns, every epilogue: each
// gives the exact product of small integers, and the two give the same bits
// on random reals.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "cpu/dispatch.hpp"
#include "cpu/microkernels.hpp"

namespace sgmm::cpu::testing {
namespace {

struct Forms {
  DirectGemmFn two_spread;
  DirectGemmFn all_spread;
  bool b_columns;
};

void PrintTo(const Forms& forms, std::ostream* os) {
  *os << (forms.b_columns ? "B by columns" : "B by rows");
}

class NarrowFormsTest : public ::testing::TestWithParam<Forms> {
 protected:
  void SetUp() override {
    if (!kernel_config_supported("avx2")) GTEST_SKIP() << "this CPU cannot run AVX2 kernels";
  }
};

struct Product {
  int64_t m, n, k;
  std::vector<float> a, b, c;  // A m x k (row stride k + 3); B as the form reads it; C m x n
  int64_t rs_a, rs_b, rs_c;
};

// B(p, j) at b[p * rs_b + j] by rows, b[j * rs_b + p] by columns.
Product make_product(int64_t m, int64_t n, int64_t k, bool b_columns, bool integers,
                     std::mt19937& rng) {
  Product x{m, n, k, {}, {}, {}, k + 3, b_columns ? k + 5 : n + 2, n + 1};
  std::uniform_int_distribution<int> small(-3, 3);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  auto value = [&] { return integers ? static_cast<float>(small(rng)) : real(rng); };
  x.a.resize(static_cast<size_t>(m * x.rs_a));
  x.b.resize(static_cast<size_t>((b_columns ? n : k) * x.rs_b));
  x.c.resize(static_cast<size_t>(m * x.rs_c));
  for (float& v : x.a) v = value();
  for (float& v : x.b) v = value();
  for (float& v : x.c) v = value();
  return x;
}

float b_at(const Product& x, bool b_columns, int64_t p, int64_t j) {
  return b_columns ? x.b[j * x.rs_b + p] : x.b[p * x.rs_b + j];
}

std::vector<KernelEpilogue> epilogues() {
  std::vector<KernelEpilogue> all;
  for (float scale : {1.0f, 0.125f}) {
    for (bool add : {false, true}) {
      KernelEpilogue e;
      e.scale_f32 = scale;
      e.scale_f64 = scale;
      e.scale_is_one = scale == 1.0f;
      e.add_to_c = add;
      all.push_back(e);
    }
  }
  return all;
}

std::vector<float> run(DirectGemmFn form, const Product& x, const KernelEpilogue& e) {
  std::vector<float> c = x.c;
  form(x.m, x.n, x.k, x.a.data(), x.rs_a, 1, x.b.data(), x.rs_b, 0, c.data(), x.rs_c, 1, e);
  return c;
}

constexpr int64_t kRows[] = {1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 20, 23};
constexpr int64_t kSums[] = {1, 2, 3, 4, 5, 7, 8, 64, 67};

TEST_P(NarrowFormsTest, EachFormGivesTheExactProductOfIntegers) {
  const Forms forms = GetParam();
  std::mt19937 rng(11);
  for (int64_t n : {9, 10}) {
    for (int64_t m : kRows) {
      for (int64_t k : kSums) {
        const Product x = make_product(m, n, k, forms.b_columns, true, rng);
        for (const KernelEpilogue& e : epilogues()) {
          for (DirectGemmFn form : {forms.two_spread, forms.all_spread}) {
            const std::vector<float> c = run(form, x, e);
            for (int64_t i = 0; i < m; ++i) {
              for (int64_t j = 0; j < x.rs_c; ++j) {
                const float before = x.c[i * x.rs_c + j];
                float want = before;  // past column n: untouched
                if (j < n) {
                  float sum = 0.0f;  // small integers: exact in any order
                  for (int64_t p = 0; p < k; ++p) {
                    sum += x.a[i * x.rs_a + p] * b_at(x, forms.b_columns, p, j);
                  }
                  want = sum * e.scale_f32 + (e.add_to_c ? before : 0.0f);
                }
                ASSERT_EQ(c[i * x.rs_c + j], want)
                    << "form " << (form == forms.all_spread ? "all" : "two") << " m " << m << " n "
                    << n << " k " << k << " at (" << i << ", " << j << ") scale " << e.scale_f32
                    << " add " << e.add_to_c;
              }
            }
          }
        }
      }
    }
  }
}

TEST_P(NarrowFormsTest, BothFormsGiveTheSameBitsOnReals) {
  const Forms forms = GetParam();
  std::mt19937 rng(12);
  for (int64_t n : {9, 10}) {
    for (int64_t m : kRows) {
      for (int64_t k : kSums) {
        const Product x = make_product(m, n, k, forms.b_columns, false, rng);
        for (const KernelEpilogue& e : epilogues()) {
          const std::vector<float> two = run(forms.two_spread, x, e);
          const std::vector<float> all = run(forms.all_spread, x, e);
          ASSERT_EQ(std::memcmp(two.data(), all.data(), two.size() * sizeof(float)), 0)
              << "m " << m << " n " << n << " k " << k << " scale " << e.scale_f32 << " add "
              << e.add_to_c;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Avx2, NarrowFormsTest,
    ::testing::Values(Forms{gemm_f32_direct_narrow_avx2, gemm_f32_direct_narrow_spread_avx2, false},
                      Forms{gemm_f32_direct_narrow_b_columns_avx2,
                            gemm_f32_direct_narrow_b_columns_spread_avx2, true}),
    [](const ::testing::TestParamInfo<Forms>& info) {
      return std::string(info.param.b_columns ? "BByColumns" : "BByRows");
    });

}  // namespace
}  // namespace sgmm::cpu::testing
