#pragma once
// Size and stride arithmetic shared by every layer: dimension wrapping,
// checked element counts, contiguous strides and broadcasting.

#include <cstdint>
#include <string>
#include <vector>

#include "sgmm/array_ref.hpp"

namespace sgmm {

using Shape = std::vector<int64_t>;

// "[2, 3]", the form every error message uses.
std::string shape_str(IntArrayRef sizes);

// Throws the ValueError of wrap_dim (out of line: the check itself is on
// the path of every size(dim) and stride(dim)).
[[noreturn]] void throw_dim_out_of_range(int64_t dim, int64_t ndim, const char* op);

// Maps a possibly negative dim into [0, ndim). A 0-d tensor accepts -1 and 0,
// as in torch. ValueError names op and the valid range otherwise.
inline int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  const int64_t rank = ndim == 0 ? 1 : ndim;
  if (dim < -rank || dim >= rank) throw_dim_out_of_range(dim, ndim, op);
  return dim < 0 ? dim + rank : dim;
}

// The element count of sizes; ValueError for a negative size or an
// overflowing count.
int64_t checked_numel(IntArrayRef sizes, const char* op);

// Row-major strides for sizes.
Shape contiguous_strides(IntArrayRef sizes);
// Whether sizes/strides describe row-major order (size-1 dims ignored; an
// empty tensor is contiguous).
bool is_contiguous_layout(IntArrayRef sizes, IntArrayRef strides);

// torch broadcasting: align the trailing dims; sizes equal or one of them 1.
// ShapeError names op and both shapes otherwise.
Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op);
// The strides that read a tensor of sizes/strides as if it had shape target
// (0 on broadcast dims). The caller has checked that it broadcasts.
Shape broadcast_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef target);

// The largest element offset a strided view reaches (0 for an empty view).
int64_t max_element_offset(IntArrayRef sizes, IntArrayRef strides);

// Whether no two indices of sizes/strides address the same element: the
// dims, sorted by stride, each step past everything the smaller ones reach.
// A sufficient test (torch's is_non_overlapping_and_dense is stricter).
bool has_distinct_elements(IntArrayRef sizes, IntArrayRef strides);

}  // namespace sgmm
