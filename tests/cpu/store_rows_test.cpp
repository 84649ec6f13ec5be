// The kernel configurations' vector rounding of float sums into 16-bit
// outputs (AVX-512 and AVX2) gives the bits of the scalar rounding (round to
// nearest even, a NaN kept a quiet NaN), with every epilogue, on ties,
// denormals, overflow to infinity, NaNs and random bit patterns, and writes
// nothing past a row; the widening of 16-bit inputs to float is exact.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "cpu/dispatch.hpp"
#include "cpu/kernel_config.hpp"
#include "sgmm/dtype.hpp"

namespace sgmm::cpu::testing {
namespace {

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
uint32_t to_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

uint16_t reference_bf16(float value) {
  const uint32_t u = to_bits(value);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

float bf16_to_float(uint16_t bits) { return from_bits(static_cast<uint32_t>(bits) << 16); }

constexpr int64_t kRows = 3, kCols = 37, kLd = 40, kRsC = 41;

// Stores kRows x kCols sums (row stride kLd) over C rows of kRsC holding
// `initial`, with every epilogue, and checks each element against the scalar
// widening and rounding, and that nothing past a row's kCols changed.
void expect_scalar_bits(StoreRows16Fn store, const std::vector<float>& sums,
                        const std::vector<uint16_t>& initial, float (*widen)(uint16_t),
                        uint16_t (*round)(float)) {
  for (float scale : {1.0f, 0.125f, -3.0f}) {
    for (bool add : {false, true}) {
      KernelEpilogue epilogue;
      epilogue.scale_f32 = scale;
      epilogue.scale_is_one = scale == 1.0f;
      epilogue.add_to_c = add;
      std::vector<uint16_t> c = initial;
      store(sums.data(), kLd, kRows, kCols, c.data(), kRsC, epilogue);
      for (int64_t i = 0; i < kRows; ++i) {
        for (int64_t j = 0; j < kRsC; ++j) {
          const size_t at = static_cast<size_t>(i * kRsC + j);
          if (j >= kCols) {
            ASSERT_EQ(c[at], initial[at]) << "wrote past the row at (" << i << ", " << j << ")";
            continue;
          }
          float x = sums[static_cast<size_t>(i * kLd + j)];
          const float old = widen(initial[at]);
          // NaN payloads through an addition depend on operand order;
          // the scalar and vector code need only agree where no NaN meets one.
          if (add && (std::isnan(x) || std::isnan(old))) continue;
          if (add) {
            x = epilogue.scale_is_one ? old + x : std::fma(x, scale, old);
          } else if (!epilogue.scale_is_one) {
            x *= scale;
          }
          ASSERT_EQ(c[at], round(x))
              << "sum bits 0x" << std::hex << to_bits(sums[static_cast<size_t>(i * kLd + j)])
              << std::dec << " at (" << i << ", " << j << "), scale " << scale
              << (add ? ", add to C" : "");
        }
      }
    }
  }
}

// The configurations with vector rounding that this CPU can run.
std::vector<const KernelConfig*> vector_configs() {
  std::vector<const KernelConfig*> configs;
  if (kernel_config_supported("avx512")) configs.push_back(&avx512_kernel_config());
  if (kernel_config_supported("avx2")) configs.push_back(&avx2_kernel_config());
  return configs;
}

// Widening is exact: every finite value and the infinities come back, NaNs
// stay NaNs; rows of stride rs > cols (row by row) and rs == cols (one run).
void expect_exact_widening(WidenRowsFn widen, const std::vector<uint16_t>& bits,
                           float (*reference)(uint16_t)) {
  for (int64_t rs : {kRsC, kCols}) {
    const int64_t rows = static_cast<int64_t>(bits.size()) / rs;
    std::vector<float> widened(static_cast<size_t>(rows * kCols), -1.0f);
    widen(bits.data(), rs, rows, kCols, widened.data());
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < kCols; ++j) {
        const uint16_t in = bits[static_cast<size_t>(i * rs + j)];
        const float got = widened[static_cast<size_t>(i * kCols + j)];
        const float want = reference(in);
        if (std::isnan(want)) {
          ASSERT_TRUE(std::isnan(got)) << "bits 0x" << std::hex << in;
        } else {
          ASSERT_EQ(to_bits(got), to_bits(want)) << "bits 0x" << std::hex << in << ", rs " << rs;
        }
      }
    }
  }
}

TEST(StoreRows16, Bf16VectorRoundingMatchesScalarBitForBit) {
  const std::vector<const KernelConfig*> configs = vector_configs();
  if (configs.empty()) GTEST_SKIP() << "this CPU runs no kernels with vector rounding";

  const std::vector<uint32_t> specials = {
      0x00000000u, 0x80000000u, 0x00000001u, 0x007fffffu, 0x80400000u,  // zeros, denormals
      0x3f808000u, 0x3f818000u, 0xbf808000u, 0x3f80ffffu, 0x3f807fffu,  // ties, near ties
      0x7f7fffffu, 0xff7fffffu, 0x7f800000u, 0xff800000u,               // overflow, infinities
      0x7fc00001u, 0x7f800001u, 0xffc12345u, 0x7fffffffu};              // NaNs
  std::mt19937 rng(7);
  std::vector<float> sums(kRows * kLd);
  for (int64_t i = 0; i < kRows * kLd; ++i) {
    const size_t pick = static_cast<size_t>(i);
    sums[pick] = from_bits(pick < specials.size() ? specials[pick] : static_cast<uint32_t>(rng()));
  }
  std::vector<uint16_t> initial(kRows * kRsC);
  for (uint16_t& bits : initial) bits = static_cast<uint16_t>(rng());

  for (const KernelConfig* config : configs) {
    SCOPED_TRACE(config->name);
    ASSERT_NE(config->bf16.store_rows_16bit, nullptr);
    ASSERT_NO_FATAL_FAILURE(expect_scalar_bits(config->bf16.store_rows_16bit, sums, initial,
                                               bf16_to_float, reference_bf16));
    if (config->bf16.widen_rows != nullptr) {
      ASSERT_NO_FATAL_FAILURE(
          expect_exact_widening(config->bf16.widen_rows, initial, bf16_to_float));
    }
  }
}

TEST(StoreRows16, F16VectorRoundingMatchesScalarBitForBit) {
  const std::vector<const KernelConfig*> configs = vector_configs();
  if (configs.empty()) GTEST_SKIP() << "this CPU runs no kernels with vector rounding";

  const std::vector<uint32_t> specials = {
      0x00000000u, 0x80000000u, 0x00000001u, 0x33000000u, 0x33000001u,  // zeros, tiny
      0x337fffffu, 0x387fc000u, 0x387fe000u, 0x38800000u, 0xb8000000u,  // subnormal edges
      0x3f801000u, 0x3f803000u, 0x3f800fffu, 0x477fefffu, 0x477ff000u,  // ties, overflow edge
      0x7f7fffffu, 0x7f800000u, 0xff800000u, 0x7fc00001u, 0x7f800001u,  // infinities, NaNs
      0xffc12345u, 0x7fffffffu};
  std::mt19937 rng(11);
  std::vector<float> sums(kRows * kLd);
  for (int64_t i = 0; i < kRows * kLd; ++i) {
    const size_t pick = static_cast<size_t>(i);
    // Random values of a range half can hold, besides random bit patterns.
    const float ranged = std::ldexp(static_cast<float>(rng() % 20001) - 10000.0f,
                                    static_cast<int>(rng() % 40) - 30);
    sums[pick] = pick < specials.size() ? from_bits(specials[pick])
                 : pick % 2 == 0        ? ranged
                                        : from_bits(static_cast<uint32_t>(rng()));
  }
  std::vector<uint16_t> initial(kRows * kRsC);
  for (uint16_t& bits : initial) bits = static_cast<uint16_t>(rng());

  for (const KernelConfig* config : configs) {
    SCOPED_TRACE(config->name);
    const TypedGemmKernel& f16 = config->f16;
    ASSERT_NE(f16.store_rows_16bit, nullptr);
    ASSERT_NE(f16.widen_rows, nullptr);
    ASSERT_NO_FATAL_FAILURE(expect_exact_widening(f16.widen_rows, initial, Half::to_float));
    ASSERT_NO_FATAL_FAILURE(expect_scalar_bits(f16.store_rows_16bit, sums, initial, Half::to_float,
                                               Half::round_from_float));
  }
}

}  // namespace
}  // namespace sgmm::cpu::testing
