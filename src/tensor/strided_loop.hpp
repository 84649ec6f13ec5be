#pragma once
// The one loop nest behind every elementwise kernel: walk N operands that
// share a shape but have their own strides, one innermost row at a time.
// Dims of size 1 are dropped and neighbouring dims that are contiguous for
// every operand are merged first, so a contiguous tensor is one long row.

#include <array>
#include <cstdint>
#include <vector>

#include "sgmm/array_ref.hpp"

namespace sgmm {

// row(offsets, count, inner_strides): operand i's elements of this row are at
// offsets[i] + j * inner_strides[i] (in elements) for j in [0, count).
template <size_t N, typename RowFn>
void for_each_strided_row(IntArrayRef sizes, const std::array<IntArrayRef, N>& strides,
                          RowFn&& row) {
  for (int64_t size : sizes)
    if (size == 0) return;

  // Collected innermost first: dims[d] has size and per-operand strides.
  struct Dim {
    int64_t size;
    std::array<int64_t, N> strides;
  };
  std::vector<Dim> dims;
  dims.reserve(sizes.size());
  for (size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 1) continue;
    Dim dim{sizes[i], {}};
    for (size_t op = 0; op < N; ++op) dim.strides[op] = strides[op][i];
    if (!dims.empty()) {
      Dim& inner = dims.back();
      bool mergeable = true;
      for (size_t op = 0; op < N; ++op)
        mergeable = mergeable && dim.strides[op] == inner.strides[op] * inner.size;
      if (mergeable) {
        inner.size *= dim.size;
        continue;
      }
    }
    dims.push_back(dim);
  }

  std::array<int64_t, N> offsets{};
  if (dims.empty()) {
    std::array<int64_t, N> unit{};
    row(offsets, int64_t{1}, unit);
    return;
  }
  const Dim& inner = dims.front();
  std::vector<int64_t> counter(dims.size(), 0);
  while (true) {
    row(offsets, inner.size, inner.strides);
    // Advance the outer dims like an odometer.
    size_t d = 1;
    for (; d < dims.size(); ++d) {
      if (++counter[d] < dims[d].size) {
        for (size_t op = 0; op < N; ++op) offsets[op] += dims[d].strides[op];
        break;
      }
      for (size_t op = 0; op < N; ++op) offsets[op] -= (dims[d].size - 1) * dims[d].strides[op];
      counter[d] = 0;
    }
    if (d == dims.size()) return;
  }
}

}  // namespace sgmm
