#pragma once
// Raw element kernels without autograd: strided copy with broadcast and
// dtype conversion, fill, and reading a tensor into doubles.

#include <vector>

#include "sgmm/tensor.hpp"

namespace sgmm {

// dst[...] = convert(src broadcast to dst's shape). ShapeError when src does
// not broadcast to dst.
void copy_elements(const Tensor& dst, const Tensor& src);
// dst += src (src broadcast to dst's shape, converted to dst's dtype); the
// gradient accumulation of autograd.
void accumulate_elements(const Tensor& dst, const Tensor& src);
// Every element of dst set to value converted to dst's dtype.
void fill_elements(const Tensor& dst, Scalar value);
// Whether the memory spans of a and b intersect (a conservative test on
// the byte ranges from the first to the last element each reaches).
bool memory_overlaps(const Tensor& a, const Tensor& b);
// A new contiguous tensor with src's values in dtype.
Tensor contiguous_copy(const Tensor& src, ScalarType dtype);

}  // namespace sgmm
