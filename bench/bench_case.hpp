#pragma once
// What one measurement is about (a shape, an element type, a direction, a
// scale, a thread count) and the host buffers it reads and writes. Every
// contender, sgmm or peer, sees the same case and the same buffers.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "shapes.hpp"

namespace sgmm::bench {

enum class BenchDType { f32, f64, bf16, f16 };
const char* bench_dtype_name(BenchDType dtype);
size_t bench_dtype_size(BenchDType dtype);

// forward: out = scale * input @ weight.
// backward: the two products of the gradient,
//   grad_input  = scale * grad_out @ weight^T   [b, m, k]
//   grad_weight = scale * input^T @ grad_out    [b, k, n]
// read from transposed views of the row-major buffers, never from copies.
enum class Direction { forward, backward };
const char* direction_name(Direction direction);

struct BenchCase {
  BenchShape shape{};
  BenchDType dtype = BenchDType::f32;
  Direction direction = Direction::forward;
  double scale = kBenchScale;
  // Forward only: weight is the transposed view of a row-major [b, n, k]
  // buffer, as attention's K^T is (`q @ k.transpose(1, 2)` in the
  // specification), rather than a row-major [b, k, n].
  bool weight_transposed = false;
  int threads = 2;
  // Rotate through operand copies larger than the last-level cache, so each
  // call starts with its inputs in memory, not in cache.
  bool cold_cache = false;
  // sgmm's kernel configuration ("avx2", ...); empty for the automatic
  // choice. Peers ignore it.
  std::string sgmm_kernel;
};

// Floating-point operations of the case: 2*b*m*n*k per product, two
// products for backward.
double case_flops(const BenchCase& bench_case);

// Row-major contiguous buffers of one copy of the operands. Forward uses
// input, weight, out; backward uses input, weight, grad_out, grad_input,
// grad_weight. Unused pointers are null.
struct OperandSet {
  size_t index = 0;
  void* input = nullptr;        // [b, m, k]
  void* weight = nullptr;       // [b, k, n] ([b, n, k] when weight_transposed)
  void* out = nullptr;          // [b, m, n]
  void* grad_out = nullptr;     // [b, m, n]
  void* grad_input = nullptr;   // [b, m, k]
  void* grad_weight = nullptr;  // [b, k, n]
};

// 64-byte aligned, as a library's own allocator would give, so no
// contender is measured on a split cache line the others do not see.
struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<unsigned char[], AlignedFree>;

// Owns the operand copies of one case: one copy, or for the cold-cache mode
// enough copies that together they exceed cold_cache_bytes. Inputs are
// uniform in [-1, 1) from a fixed seed, so runs are comparable.
class OperandPool {
 public:
  OperandPool(const BenchCase& bench_case, size_t cold_cache_bytes);
  size_t size() const { return sets_.size(); }
  const OperandSet& set(size_t i) const { return sets_[i]; }
  // Sets every output element to NaN, so a contender that skips an element
  // fails the check instead of passing on a previous contender's result.
  void poison_outputs(const BenchCase& bench_case) const;

 private:
  std::vector<AlignedBuffer> storage_;
  std::vector<OperandSet> sets_;
};

}  // namespace sgmm::bench
