#pragma once
// The shapes the benchmark measures and the tests also run: one list, so a
// shape that is fast is also a shape that is checked. b x m x k x n means
// input [b, m, k] @ weight [b, k, n] -> out [b, m, n].

#include <array>
#include <cstdint>

namespace sgmm::bench {

struct BenchShape {
  const char* name;
  int64_t b;
  int64_t m;
  int64_t k;
  int64_t n;
};

// From tiny attention heads (where per-call overhead decides) to one large
// square product (where the micro-kernel and blocking decide).
inline constexpr std::array<BenchShape, 9> kBenchShapes = {{
    {"attn", 32, 10, 64, 10},        // attention scores: 32 heads, seq 10, head_dim 64
    {"mha", 256, 10, 64, 10},        // the same for 8 x 32 heads
    {"quant", 16, 128, 256, 128},    // a quantisation-sized block per group
    {"odd", 8, 100, 50, 30},         // no size a multiple of any tile
    {"mid", 64, 256, 512, 256},
    {"square", 16, 512, 512, 512},
    {"large", 4, 1024, 1024, 1024},
    {"tall", 64, 2048, 64, 64},      // long m, short k and n (a projection of many tokens)
    {"single", 1, 2048, 2048, 2048}, // one big product: threads must split a single matrix
}};

// Attention's scores at longer sequences, which only the keys experiment
// runs (with attn and mha): Q @ K^T as the specification writes it, with K
// [b, n, k] viewed transposed. Not in kBenchShapes: their row-major form is
// no case of the issue's.
inline constexpr std::array<BenchShape, 2> kKeysShapes = {{
    {"prefill", 32, 64, 64, 64},  // 32 heads, seq 64, head_dim 64
    {"decode", 32, 1, 64, 1024},  // one new token against 1024 cached keys, 32 heads
}};

// The product whose time is all fixed cost: the checks, the kernel's
// dispatch, the plan, the epilogue (the "call" experiment; not in
// kBenchShapes, which the other experiments and the tests run).
inline constexpr BenchShape kCallShape = {"call", 1, 1, 1, 1};

// The scale the benchmark uses: 1 / sqrt(64), attention's 1/sqrt(head_dim).
inline constexpr double kBenchScale = 0.125;

// Floating-point operations of one forward product: b * m * n * k multiply-adds.
constexpr double forward_flops(const BenchShape& s) {
  return 2.0 * static_cast<double>(s.b) * static_cast<double>(s.m) * static_cast<double>(s.n) *
         static_cast<double>(s.k);
}

}  // namespace sgmm::bench
