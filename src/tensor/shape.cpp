#include "tensor/shape.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <sstream>

#include "sgmm/error.hpp"

namespace sgmm {

std::string shape_str(IntArrayRef sizes) {
  std::ostringstream os;
  os << sizes;
  return os.str();
}

void throw_dim_out_of_range(int64_t dim, int64_t ndim, const char* op) {
  const int64_t rank = ndim == 0 ? 1 : ndim;
  throw ValueError(detail::str_cat(op, ": dimension ", dim, " is out of range for a ", ndim,
                                   "-D tensor (expected a value in [", -rank, ", ", rank - 1,
                                   "])"));
}

int64_t checked_numel(IntArrayRef sizes, const char* op) {
  int64_t numel = 1;
  bool overflow = false;
  bool empty = false;
  for (int64_t size : sizes) {
    SGMM_CHECK(size >= 0, op, ": negative size ", size, " in ", shape_str(sizes),
               "; every size must be >= 0");
    empty = empty || size == 0;
    overflow = overflow || __builtin_mul_overflow(numel, size, &numel);
  }
  // A zero anywhere makes the count 0 even if a partial product overflowed.
  if (empty) return 0;
  SGMM_CHECK(!overflow, op, ": the element count of ", shape_str(sizes), " overflows int64");
  return numel;
}

Shape contiguous_strides(IntArrayRef sizes) {
  Shape strides(sizes.size());
  int64_t stride = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = stride;
    // Only a tensor with a zero size can get here with a product that
    // overflows (its element count was checked); its strides address
    // nothing, so saturating is harmless.
    if (__builtin_mul_overflow(stride, std::max<int64_t>(sizes[i], 1), &stride))
      stride = std::numeric_limits<int64_t>::max();
  }
  return strides;
}

bool is_contiguous_layout(IntArrayRef sizes, IntArrayRef strides) {
  int64_t expected = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 0) return true;
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op) {
  size_t ndim = std::max(a.size(), b.size());
  Shape out(ndim);
  for (size_t i = 0; i < ndim; ++i) {
    // i counts from the last dim.
    int64_t sa = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t sb = i < b.size() ? b[b.size() - 1 - i] : 1;
    SGMM_CHECK_SHAPE(sa == sb || sa == 1 || sb == 1, op, ": shapes ", shape_str(a), " and ",
                     shape_str(b), " cannot be broadcast together: dimension ",
                     -static_cast<int64_t>(i) - 1, " is ", sa, " vs ", sb,
                     " (sizes must be equal or one of them 1)");
    out[ndim - 1 - i] = sa == 1 ? sb : sa;
  }
  return out;
}

Shape broadcast_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef target) {
  Shape out(target.size(), 0);
  size_t offset = target.size() - sizes.size();
  for (size_t i = 0; i < sizes.size(); ++i)
    out[offset + i] = sizes[i] == target[offset + i] ? strides[i] : 0;
  return out;
}

int64_t max_element_offset(IntArrayRef sizes, IntArrayRef strides) {
  int64_t offset = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    // An empty view reaches nothing, whatever its (possibly huge) strides.
    if (sizes[i] == 0) return 0;
    offset += (sizes[i] - 1) * strides[i];
  }
  return offset;
}

bool has_distinct_elements(IntArrayRef sizes, IntArrayRef strides) {
  // The dims of size > 1 by increasing stride; on the stack for the usual
  // ranks, since every out= call runs this check.
  constexpr size_t kInlineDims = 16;
  std::array<size_t, kInlineDims> inline_dims;
  std::vector<size_t> heap_dims;
  size_t* dims = inline_dims.data();
  if (sizes.size() > kInlineDims) {
    heap_dims.resize(sizes.size());
    dims = heap_dims.data();
  }
  size_t count = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) return true;
    if (sizes[i] > 1) dims[count++] = i;
  }
  std::sort(dims, dims + count, [&](size_t x, size_t y) { return strides[x] < strides[y]; });
  int64_t reach = 0;  // the largest offset the smaller-stride dims reach
  for (size_t i = 0; i < count; ++i) {
    const size_t d = dims[i];
    if (strides[d] <= reach) return false;
    reach += (sizes[d] - 1) * strides[d];
  }
  return true;
}

}  // namespace sgmm
