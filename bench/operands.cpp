// Operand buffers: allocation, deterministic fill, output poisoning.

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

#include "bench_case.hpp"
#include "sgmm/dtype.hpp"

namespace sgmm::bench {

const char* bench_dtype_name(BenchDType dtype) {
  switch (dtype) {
    case BenchDType::f32: return "float32";
    case BenchDType::f64: return "float64";
    case BenchDType::bf16: return "bfloat16";
    case BenchDType::f16: return "float16";
  }
  return "?";
}

size_t bench_dtype_size(BenchDType dtype) {
  switch (dtype) {
    case BenchDType::f32: return 4;
    case BenchDType::f64: return 8;
    case BenchDType::bf16: return 2;
    case BenchDType::f16: return 2;
  }
  return 0;
}

const char* direction_name(Direction direction) {
  return direction == Direction::forward ? "forward" : "backward";
}

double case_flops(const BenchCase& bench_case) {
  const double products = bench_case.direction == Direction::forward ? 1.0 : 2.0;
  return products * forward_flops(bench_case.shape);
}

namespace {

constexpr size_t kBufferAlignment = 64;

AlignedBuffer allocate_aligned(size_t bytes) {
  const size_t rounded = std::max<size_t>(kBufferAlignment,
                                          (bytes + kBufferAlignment - 1) / kBufferAlignment *
                                              kBufferAlignment);
  void* p = std::aligned_alloc(kBufferAlignment, rounded);
  if (p == nullptr) throw std::bad_alloc();
  return AlignedBuffer(static_cast<unsigned char*>(p));
}

// xorshift64*: fast enough to fill hundreds of MiB, and the same on every machine.
class UniformSource {
 public:
  explicit UniformSource(uint64_t seed) : state_(seed | 1) {}
  double next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    const uint64_t bits = state_ * 0x2545F4914F6CDD1DULL;
    return static_cast<double>(bits >> 11) * (2.0 / 9007199254740992.0) - 1.0;
  }

 private:
  uint64_t state_;
};

uint16_t bfloat16_bits_from_float(float value) {
  uint32_t u;
  std::memcpy(&u, &value, sizeof u);
  const uint32_t rounding_bias = 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>((u + rounding_bias) >> 16);
}

void fill_uniform(void* data, size_t count, BenchDType dtype, UniformSource& source) {
  switch (dtype) {
    case BenchDType::f32:
      for (size_t i = 0; i < count; ++i) static_cast<float*>(data)[i] = static_cast<float>(source.next());
      break;
    case BenchDType::f64:
      for (size_t i = 0; i < count; ++i) static_cast<double*>(data)[i] = source.next();
      break;
    case BenchDType::bf16:
      for (size_t i = 0; i < count; ++i)
        static_cast<uint16_t*>(data)[i] = bfloat16_bits_from_float(static_cast<float>(source.next()));
      break;
    case BenchDType::f16:
      for (size_t i = 0; i < count; ++i)
        static_cast<uint16_t*>(data)[i] = Half::round_from_float(static_cast<float>(source.next()));
      break;
  }
}

void fill_nan(void* data, size_t count, BenchDType dtype) {
  switch (dtype) {
    case BenchDType::f32:
      std::fill_n(static_cast<float*>(data), count, std::numeric_limits<float>::quiet_NaN());
      break;
    case BenchDType::f64:
      std::fill_n(static_cast<double*>(data), count, std::numeric_limits<double>::quiet_NaN());
      break;
    case BenchDType::bf16:
      std::fill_n(static_cast<uint16_t*>(data), count, uint16_t{0x7fc0});
      break;
    case BenchDType::f16:
      std::fill_n(static_cast<uint16_t*>(data), count, uint16_t{0x7e00});
      break;
  }
}

struct OperandCounts {
  size_t input, weight, out;
};

OperandCounts operand_counts(const BenchShape& s) {
  return {static_cast<size_t>(s.b * s.m * s.k), static_cast<size_t>(s.b * s.k * s.n),
          static_cast<size_t>(s.b * s.m * s.n)};
}

}  // namespace

OperandPool::OperandPool(const BenchCase& bench_case, size_t cold_cache_bytes) {
  const OperandCounts counts = operand_counts(bench_case.shape);
  const size_t element = bench_dtype_size(bench_case.dtype);
  const bool forward = bench_case.direction == Direction::forward;
  // forward: input, weight, out. backward: input, weight, grad_out, grad_input, grad_weight.
  const size_t set_bytes =
      element * (forward ? counts.input + counts.weight + counts.out
                         : 2 * counts.input + 2 * counts.weight + counts.out);
  size_t copies = 1;
  if (bench_case.cold_cache) {
    // At least two copies, so even a shape larger than the cache never
    // starts with the previous call's output still in it.
    copies = std::max<size_t>(2, (cold_cache_bytes + set_bytes - 1) / std::max<size_t>(set_bytes, 1));
  }
  UniformSource source(0x5eed5eedULL);
  auto allocate = [&](size_t count) {
    storage_.push_back(allocate_aligned(count * element));
    return static_cast<void*>(storage_.back().get());
  };
  for (size_t c = 0; c < copies; ++c) {
    OperandSet set;
    set.index = c;
    set.input = allocate(counts.input);
    set.weight = allocate(counts.weight);
    if (forward) {
      set.out = allocate(counts.out);
    } else {
      set.grad_out = allocate(counts.out);
      set.grad_input = allocate(counts.input);
      set.grad_weight = allocate(counts.weight);
    }
    if (c == 0) {
      fill_uniform(set.input, counts.input, bench_case.dtype, source);
      fill_uniform(set.weight, counts.weight, bench_case.dtype, source);
      if (!forward) fill_uniform(set.grad_out, counts.out, bench_case.dtype, source);
    } else {
      // Every copy holds the same values, so any copy checks against the
      // same reference; only the addresses differ.
      const OperandSet& first = sets_.front();
      std::memcpy(set.input, first.input, counts.input * element);
      std::memcpy(set.weight, first.weight, counts.weight * element);
      if (!forward) std::memcpy(set.grad_out, first.grad_out, counts.out * element);
    }
    sets_.push_back(set);
  }
  poison_outputs(bench_case);
}

void OperandPool::poison_outputs(const BenchCase& bench_case) const {
  const OperandCounts counts = operand_counts(bench_case.shape);
  for (const OperandSet& set : sets_) {
    if (set.out != nullptr) fill_nan(set.out, counts.out, bench_case.dtype);
    if (set.grad_input != nullptr) fill_nan(set.grad_input, counts.input, bench_case.dtype);
    if (set.grad_weight != nullptr) fill_nan(set.grad_weight, counts.weight, bench_case.dtype);
  }
}

}  // namespace sgmm::bench
