// equal and allclose: comparisons for tests and users, without autograd.

#include <cmath>

#include "sgmm/ops.hpp"
#include "tensor/dtype_dispatch.hpp"
#include "tensor/strided_loop.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {

bool equal(const Tensor& a, const Tensor& b) {
  SGMM_CHECK(a.defined() && b.defined(), "equal: an operand is an undefined tensor");
  if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type()) return false;
  bool same = true;
  visit_dtype(a.scalar_type(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_type_t<T>;
    const T* pa = static_cast<const T*>(a.data_ptr());
    const T* pb = static_cast<const T*>(b.data_ptr());
    for_each_strided_row<2>(a.sizes(), {a.strides(), b.strides()},
                            [&](const std::array<int64_t, 2>& offset, int64_t count,
                                const std::array<int64_t, 2>& stride) {
                              for (int64_t j = 0; j < count && same; ++j)
                                same = convert_element<C>(pa[offset[0] + j * stride[0]]) ==
                                       convert_element<C>(pb[offset[1] + j * stride[1]]);
                            });
  });
  return same;
}

// Differing dtypes are compared by value (in double), so a float32 result
// can be checked against a float64 reference directly.
bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol) {
  SGMM_CHECK(a.defined() && b.defined(), "allclose: an operand is an undefined tensor");
  Shape sizes = broadcast_shapes(a.sizes(), b.sizes(), "allclose");
  Shape a_strides = broadcast_strides(a.sizes(), a.strides(), sizes);
  Shape b_strides = broadcast_strides(b.sizes(), b.strides(), sizes);
  auto a_bytes = static_cast<int64_t>(element_size(a.scalar_type()));
  auto b_bytes = static_cast<int64_t>(element_size(b.scalar_type()));
  const char* pa = static_cast<const char*>(a.data_ptr());
  const char* pb = static_cast<const char*>(b.data_ptr());
  bool close = true;
  for_each_strided_row<2>(sizes, {IntArrayRef(a_strides), IntArrayRef(b_strides)},
                          [&](const std::array<int64_t, 2>& offset, int64_t count,
                              const std::array<int64_t, 2>& stride) {
                            for (int64_t j = 0; j < count && close; ++j) {
                              double x = element_as_double(
                                  pa + (offset[0] + j * stride[0]) * a_bytes, a.scalar_type());
                              double y = element_as_double(
                                  pb + (offset[1] + j * stride[1]) * b_bytes, b.scalar_type());
                              // Equal infinities are close; NaN never is.
                              close = x == y || std::abs(x - y) <= atol + rtol * std::abs(y);
                            }
                          });
  return close;
}

}  // namespace sgmm
