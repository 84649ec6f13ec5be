#include "reference_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>

#include "sgmm/dtype.hpp"

namespace sgmm::bench {

namespace {

// Enough samples to catch a wrong tile, edge or batch with near certainty,
// few enough that checking the largest shape costs milliseconds.
constexpr int kSampledElements = 512;

double load(const void* data, BenchDType dtype, int64_t index) {
  switch (dtype) {
    case BenchDType::f32: return static_cast<const float*>(data)[index];
    case BenchDType::f64: return static_cast<const double*>(data)[index];
    case BenchDType::bf16: {
      const uint32_t bits = static_cast<uint32_t>(static_cast<const uint16_t*>(data)[index]) << 16;
      float value;
      std::memcpy(&value, &bits, sizeof value);
      return value;
    }
    case BenchDType::f16: return Half::to_float(static_cast<const uint16_t*>(data)[index]);
  }
  return 0;
}

// A strided view of one operand: element (p, i, j) at p*batch + i*row + j*col.
struct View {
  const void* data;
  int64_t batch, row, col;
};

// Checks out = scale * lhs @ rhs (rows x cols, depth inner) on sampled elements.
void check_product(const char* name, const BenchCase& bench_case, View lhs, View rhs, View out,
                   int64_t rows, int64_t cols, int64_t depth, double scale, CheckResult& result) {
  const int64_t batch = bench_case.shape.b;
  if (batch == 0 || rows == 0 || cols == 0) return;
  std::mt19937_64 pick(0xC0FFEE);
  for (int s = 0; s < kSampledElements; ++s) {
    int64_t p, i, j;
    if (s == 0) {
      p = i = j = 0;
    } else if (s == 1) {
      p = batch - 1;
      i = rows - 1;
      j = cols - 1;
    } else {
      p = static_cast<int64_t>(pick() % static_cast<uint64_t>(batch));
      i = static_cast<int64_t>(pick() % static_cast<uint64_t>(rows));
      j = static_cast<int64_t>(pick() % static_cast<uint64_t>(cols));
    }
    double exact = 0;
    double magnitude = 0;
    for (int64_t q = 0; q < depth; ++q) {
      const double x = load(lhs.data, bench_case.dtype, p * lhs.batch + i * lhs.row + q * lhs.col);
      const double y = load(rhs.data, bench_case.dtype, p * rhs.batch + q * rhs.row + j * rhs.col);
      exact += x * y;
      magnitude += std::fabs(x * y);
    }
    exact *= scale;
    magnitude *= std::fabs(scale);
    const double got = load(out.data, bench_case.dtype, p * out.batch + i * out.row + j * out.col);
    const double error = std::fabs(got - exact);
    double relative = magnitude > 0 ? error / magnitude : error;
    if (std::isnan(relative)) relative = std::numeric_limits<double>::infinity();
    if (relative > result.max_relative_error) result.max_relative_error = relative;
    if (relative > result.tolerance && result.first_failure.empty()) {
      std::ostringstream message;
      message << name << "[" << p << ", " << i << ", " << j << "]: got " << got << ", expected "
              << exact;
      result.first_failure = message.str();
    }
  }
}

}  // namespace

double relative_error_tolerance(const BenchCase& bench_case) {
  const BenchShape& s = bench_case.shape;
  // The longest sum: k forward, and for backward also n (grad_input) and m (grad_weight).
  const double depth = static_cast<double>(
      bench_case.direction == Direction::forward ? s.k : std::max({s.k, s.m, s.n}));
  switch (bench_case.dtype) {
    case BenchDType::f32: return depth * std::numeric_limits<float>::epsilon();
    case BenchDType::f64: return depth * std::numeric_limits<double>::epsilon();
    case BenchDType::bf16:
      // Accumulates in float32, then rounds once to bfloat16 (8 significant bits).
      return depth * std::numeric_limits<float>::epsilon() + std::ldexp(1.0, -8);
    case BenchDType::f16:
      // Accumulates in float32, then rounds once to float16 (11 significant bits).
      return depth * std::numeric_limits<float>::epsilon() + std::ldexp(1.0, -11);
  }
  return 0;
}

CheckResult check_against_float64(const BenchCase& bench_case, const OperandSet& operands,
                                  double applied_scale) {
  CheckResult result;
  result.tolerance = relative_error_tolerance(bench_case);
  const BenchShape& s = bench_case.shape;
  const View input{operands.input, s.m * s.k, s.k, 1};
  const View weight = bench_case.weight_transposed ? View{operands.weight, s.k * s.n, 1, s.k}
                                                   : View{operands.weight, s.k * s.n, s.n, 1};
  if (bench_case.direction == Direction::forward) {
    const View out{operands.out, s.m * s.n, s.n, 1};
    check_product("out", bench_case, input, weight, out, s.m, s.n, s.k, applied_scale, result);
  } else {
    const View grad_out{operands.grad_out, s.m * s.n, s.n, 1};
    const View weight_t{operands.weight, s.k * s.n, 1, s.n};
    const View input_t{operands.input, s.m * s.k, 1, s.k};
    const View grad_input{operands.grad_input, s.m * s.k, s.k, 1};
    const View grad_weight{operands.grad_weight, s.k * s.n, s.n, 1};
    check_product("grad_input", bench_case, grad_out, weight_t, grad_input, s.m, s.k, s.n,
                  applied_scale, result);
    check_product("grad_weight", bench_case, input_t, grad_out, grad_weight, s.k, s.n, s.m,
                  applied_scale, result);
  }
  result.passed = result.first_failure.empty();
  return result;
}

}  // namespace sgmm::bench
