#pragma once
// Creation functions, as in libtorch. Sizes are checked: a negative size or
// an element count that overflows throws ValueError.

#include <cstdint>
#include <functional>
#include <initializer_list>

#include "sgmm/tensor.hpp"

namespace sgmm {

Tensor empty(IntArrayRef sizes, const TensorOptions& options = {});
Tensor zeros(IntArrayRef sizes, const TensorOptions& options = {});
Tensor ones(IntArrayRef sizes, const TensorOptions& options = {});
// Without a dtype in options: int64 for an integral value, bool for a bool, else float32.
Tensor full(IntArrayRef sizes, Scalar value, const TensorOptions& options = {});
// [0, end) or [start, end) by step. Without a dtype: int64 when every
// argument is integral, else float32 (torch's rule).
Tensor arange(Scalar end, const TensorOptions& options = {});
Tensor arange(Scalar start, Scalar end, Scalar step = 1, const TensorOptions& options = {});
// Standard normal and uniform [0, 1) samples from the global generator. The
// values depend only on the seed and the call sequence, never on threads.
Tensor randn(IntArrayRef sizes, const TensorOptions& options = {});
Tensor rand(IntArrayRef sizes, const TensorOptions& options = {});
void manual_seed(uint64_t seed);

// A 0-d tensor holding value; dtype as for full().
Tensor tensor(Scalar value, const TensorOptions& options = {});
// A 1-D tensor of the values (float32 unless options say otherwise).
Tensor tensor(ArrayRef<double> values, const TensorOptions& options = {});
Tensor tensor(std::initializer_list<double> values, const TensorOptions& options = {});

// Wraps caller memory without copying. The deleter, when given, runs once
// the last tensor viewing the memory is gone. Without strides the memory is
// taken as contiguous.
Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides,
                 const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter,
                 const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides,
                 std::function<void(void*)> deleter, const TensorOptions& options = {});

}  // namespace sgmm
