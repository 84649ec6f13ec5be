// Every configuration's float32 and float64 packing routines against the
// layout PackPanelsFn documents, for each source shape they treat apart
// (the R values of a k step contiguous, k contiguous, anything else), with
// more panels than any routine handles at once and a partial last panel.
// The driver packs few panels per call, so this reaches what it does not.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cpu/dispatch.hpp"
#include "cpu/kernel_config.hpp"

namespace sgmm::cpu::testing {
namespace {

struct Source {
  const char* name;
  int64_t row_stride;
  int64_t k_stride;
};

// The sources of `rows` x `k` values: with contiguous steps (row_stride 1),
// contiguous k (k_stride 1), and neither; each with a gap after its rows or
// steps, which must never be read into the panels.
std::vector<Source> sources(int64_t rows, int64_t k) {
  return {{"contiguous steps", 1, rows + 3},
          {"contiguous k", k + 2, 1},
          {"strided", 2, 2 * rows + 1}};
}

template <typename T>
void expect_documented_layout(PackPanelsFn pack, int r, const std::string& what) {
  for (int64_t rows : {int64_t{1}, int64_t{r - 1}, int64_t{r}, int64_t{9 * r + 5},
                       int64_t{20 * r + 3}}) {
    for (int64_t k : {int64_t{1}, int64_t{7}, int64_t{33}}) {
      for (const Source& source : sources(rows, k)) {
        SCOPED_TRACE(what + ", " + source.name + ", rows " + std::to_string(rows) + ", k " +
                     std::to_string(k));
        const int64_t extent = (rows - 1) * source.row_stride + (k - 1) * source.k_stride + 1;
        std::vector<T> src(static_cast<size_t>(extent), T(-1));  // -1 marks the gaps
        for (int64_t i = 0; i < rows; ++i) {
          for (int64_t p = 0; p < k; ++p) {
            src[static_cast<size_t>(i * source.row_stride + p * source.k_stride)] =
                static_cast<T>(1 + i * 1000 + p);
          }
        }
        const int64_t panels = (rows + r - 1) / r;
        std::vector<T> packed(static_cast<size_t>(panels * r * k + 64), T(-7));
        pack(src.data(), source.row_stride, source.k_stride, rows, k, packed.data());
        for (int64_t q = 0; q < panels; ++q) {
          for (int64_t p = 0; p < k; ++p) {
            for (int64_t i = 0; i < r; ++i) {
              const int64_t row = q * r + i;
              const T expected = row < rows ? static_cast<T>(1 + row * 1000 + p) : T(0);
              const T got = packed[static_cast<size_t>((q * k + p) * r + i)];
              ASSERT_EQ(got, expected) << "panel " << q << ", step " << p << ", row " << i;
            }
          }
        }
        for (size_t at = static_cast<size_t>(panels * r * k); at < packed.size(); ++at) {
          ASSERT_EQ(packed[at], T(-7)) << "wrote past the panels at " << at;
        }
      }
    }
  }
}

TEST(PackPanels, EveryConfigMatchesTheDocumentedLayout) {
  for (const char* name : {"avx512", "avx2", "generic"}) {
    if (!kernel_config_supported(name)) continue;
    const KernelConfig& config = std::string(name) == "avx512" ? avx512_kernel_config()
                                 : std::string(name) == "avx2" ? avx2_kernel_config()
                                                               : generic_kernel_config();
    SCOPED_TRACE(name);
    expect_documented_layout<float>(config.f32.pack_a, config.f32.mr, "f32 A");
    expect_documented_layout<float>(config.f32.pack_b, config.f32.nr, "f32 B");
    expect_documented_layout<double>(config.f64.pack_a, config.f64.mr, "f64 A");
    expect_documented_layout<double>(config.f64.pack_b, config.f64.nr, "f64 B");
  }
}

}  // namespace
}  // namespace sgmm::cpu::testing
