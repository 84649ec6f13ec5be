#pragma once
// The float64 reference the GEMM paths are judged against, and the error
// bound that says how far a correct floating-point result may stray from it.

#include <gtest/gtest.h>

#include <cstdint>
#include <sgmm/sgmm.hpp>
#include <string>
#include <vector>

namespace sgmm::testing {

// out[p, i, j] = scale * sum_l a[p, i, l] * b[p, l, j] in float64, from the
// values the tensors hold (so bf16/f16 inputs count as exactly what they
// store), together with sum_l |a[p, i, l] * b[p, l, j]|, the magnitude that
// rounding errors scale with.
struct ReferenceProduct {
  int64_t batch = 0;
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  std::vector<double> values;         // [batch, m, n], row-major
  std::vector<double> absolute_sums;  // [batch, m, n], row-major, scale not applied
};
ReferenceProduct reference_bmm(const Tensor& a, const Tensor& b, double scale);

// The largest error a correct GEMM may make on one element:
//   |got - ref| <= c * k * eps(accumulation dtype) * |scale| * sum_l |a_il||b_lj|
//                  + eps(output dtype) * |ref| + smallest subnormal(output dtype)
// with c = 2. The first term is the classic bound of a k-term dot product in
// any summation order (with or without FMA); the second is the final rounding
// of the scaled float accumulator to the output dtype; the third covers an
// output that underflows. bf16 and f16 accumulate in float32.
struct ErrorBound {
  static constexpr double kSummationFactor = 2.0;
  ScalarType output_dtype = kFloat32;
  double accumulation_epsilon = 0;
  double output_epsilon = 0;
  double output_subnormal = 0;

  static ErrorBound for_dtype(ScalarType dtype);
  double at(int64_t k, double scale, double absolute_sum, double reference) const;
};

ScalarType accumulation_dtype_of(ScalarType dtype);

// torch.matmul in float64 over every rank combination (1-D and 2-D operands,
// broadcast batch dimensions). Returns the result's sizes and values.
struct ReferenceMatmul {
  std::vector<int64_t> sizes;
  int64_t k = 0;
  std::vector<double> values;
  std::vector<double> absolute_sums;
};
ReferenceMatmul reference_matmul(const Tensor& a, const Tensor& b);

// out has [batch, m, n] sizes, a's dtype, and every element within the
// error bound of reference_bmm(a, b, scale); the first mismatch otherwise.
::testing::AssertionResult matches_reference_bmm(const Tensor& out, const Tensor& a,
                                                 const Tensor& b, double scale);
// out has torch.matmul's result sizes and every element within the bound.
::testing::AssertionResult matches_reference_matmul(const Tensor& out, const Tensor& a,
                                                    const Tensor& b);

}  // namespace sgmm::testing
