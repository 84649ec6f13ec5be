#pragma once
// Geometry of the view operations, without autograd, for the ops that
// rearrange tensors internally (matmul, the backward formulas).

#include <optional>

#include "sgmm/tensor.hpp"
#include "tensor/shape.hpp"

namespace sgmm::ops {

// The strides that let a tensor of sizes/strides be viewed as new_sizes
// without a copy, or nothing when the layout does not allow it (torch's
// computeStride).
std::optional<Shape> view_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef new_sizes);
// new_sizes with a single -1 replaced so the element count is numel;
// ShapeError (naming op) when that is impossible.
Shape infer_view_size(IntArrayRef new_sizes, int64_t numel, const char* op);

}  // namespace sgmm::ops
