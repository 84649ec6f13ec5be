#pragma once
// The global random generator behind randn/rand. One sequential stream
// (splitmix64) under a mutex: the values depend only on the seed and the
// order of calls, never on thread counts or scheduling.

#include <cstdint>

#include "sgmm/tensor.hpp"

namespace sgmm {

// Fills a contiguous floating tensor with standard normal samples (Box-Muller).
void fill_normal(const Tensor& out);
// Fills a contiguous floating tensor with uniform samples in [0, 1); each
// dtype gets as many random bits as its mantissa holds, so none rounds up to 1.
void fill_uniform(const Tensor& out);

}  // namespace sgmm
