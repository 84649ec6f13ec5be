#pragma once
// Checks a contender's output against a float64 reference on a sample of
// elements. A contender with a different answer is flagged and not timed:
// a fast wrong answer is not a result.

#include <string>

#include "bench_case.hpp"

namespace sgmm::bench {

struct CheckResult {
  // max over sampled elements of |got - ref| / (|scale| * sum_k |a_ik| |b_kj|):
  // the error relative to the size of the terms, which stays meaningful
  // where the exact sum cancels to near zero.
  double max_relative_error = 0;
  double tolerance = 0;
  bool passed = false;
  std::string first_failure;  // "grad_input[3, 7, 12]: got ..., expected ..."
};

// The bound grows with k and the element type's epsilon (the classic
// |error| <= k * eps * sum |a||b|); bfloat16 adds the rounding of the
// stored output.
double relative_error_tolerance(const BenchCase& bench_case);

CheckResult check_against_float64(const BenchCase& bench_case, const OperandSet& operands,
                                  double applied_scale);

}  // namespace sgmm::bench
