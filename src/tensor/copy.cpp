#include "tensor/copy.hpp"

#include <cstdint>
#include <cstring>
#include <utility>

#include "tensor/dtype_dispatch.hpp"
#include "tensor/strided_loop.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {

void copy_elements(const Tensor& dst, const Tensor& src) {
  Shape target = broadcast_shapes(dst.sizes(), src.sizes(), "copy_");
  SGMM_CHECK_SHAPE(IntArrayRef(target) == dst.sizes(), "copy_: source of shape ",
                   shape_str(src.sizes()), " does not broadcast to the destination shape ",
                   shape_str(dst.sizes()));
  if (dst.numel() == 0) return;
  Shape src_strides = broadcast_strides(src.sizes(), src.strides(), dst.sizes());
  // Same dtype, both contiguous: one memcpy (or memmove, if they alias).
  if (dst.scalar_type() == src.scalar_type() && dst.is_contiguous() && src.is_contiguous() &&
      dst.sizes() == src.sizes()) {
    std::memmove(dst.data_ptr(), src.data_ptr(),
                 static_cast<size_t>(dst.numel()) * element_size(dst.scalar_type()));
    return;
  }
  visit_dtype(dst.scalar_type(), [&](auto dst_tag) {
    using D = typename decltype(dst_tag)::type;
    visit_dtype(src.scalar_type(), [&](auto src_tag) {
      using S = typename decltype(src_tag)::type;
      D* out = static_cast<D*>(dst.data_ptr());
      const S* in = static_cast<const S*>(src.data_ptr());
      for_each_strided_row<2>(
          dst.sizes(), {dst.strides(), IntArrayRef(src_strides)},
          [&](const std::array<int64_t, 2>& offset, int64_t count,
              const std::array<int64_t, 2>& stride) {
            D* o = out + offset[0];
            const S* i = in + offset[1];
            for (int64_t j = 0; j < count; ++j)
              o[j * stride[0]] = convert_element<D>(i[j * stride[1]]);
          });
    });
  });
}

void accumulate_elements(const Tensor& dst, const Tensor& src) {
  Shape target = broadcast_shapes(dst.sizes(), src.sizes(), "accumulate");
  SGMM_CHECK_SHAPE(IntArrayRef(target) == dst.sizes(), "accumulate: gradient of shape ",
                   shape_str(src.sizes()), " does not fit a tensor of shape ",
                   shape_str(dst.sizes()));
  Shape src_strides = broadcast_strides(src.sizes(), src.strides(), dst.sizes());
  visit_dtype(dst.scalar_type(), [&](auto dst_tag) {
    using D = typename decltype(dst_tag)::type;
    using C = compute_type_t<D>;
    visit_dtype(src.scalar_type(), [&](auto src_tag) {
      using S = typename decltype(src_tag)::type;
      D* out = static_cast<D*>(dst.data_ptr());
      const S* in = static_cast<const S*>(src.data_ptr());
      for_each_strided_row<2>(
          dst.sizes(), {dst.strides(), IntArrayRef(src_strides)},
          [&](const std::array<int64_t, 2>& offset, int64_t count,
              const std::array<int64_t, 2>& stride) {
            D* o = out + offset[0];
            const S* i = in + offset[1];
            for (int64_t j = 0; j < count; ++j) {
              C sum = convert_element<C>(o[j * stride[0]]) + convert_element<C>(i[j * stride[1]]);
              o[j * stride[0]] = convert_element<D>(sum);
            }
          });
    });
  });
}

void fill_elements(const Tensor& dst, Scalar value) {
  visit_dtype(dst.scalar_type(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T converted = value.is_floating_point() ? convert_element<T>(value.to_double())
                                            : convert_element<T>(value.to_int64());
    T* out = static_cast<T*>(dst.data_ptr());
    for_each_strided_row<1>(dst.sizes(), {dst.strides()},
                            [&](const std::array<int64_t, 1>& offset, int64_t count,
                                const std::array<int64_t, 1>& stride) {
                              T* o = out + offset[0];
                              for (int64_t j = 0; j < count; ++j) o[j * stride[0]] = converted;
                            });
  });
}

namespace {

// The first and one-past-last byte address t reaches (empty: equal).
// Read from the view directly: every out= call checks two overlaps.
std::pair<uintptr_t, uintptr_t> byte_range(const Tensor& t) {
  SGMM_CHECK(t.defined(), "memory_overlaps: the tensor is undefined");
  const TensorImpl& impl = *t.unsafe_impl();
  if (impl.numel() == 0) return {0, 0};
  auto begin = reinterpret_cast<uintptr_t>(impl.data());
  auto end = begin + static_cast<uintptr_t>(max_element_offset(impl.sizes(), impl.strides()) + 1) *
                         impl.element_size();
  return {begin, end};
}

}  // namespace

bool memory_overlaps(const Tensor& a, const Tensor& b) {
  auto [a_begin, a_end] = byte_range(a);
  auto [b_begin, b_end] = byte_range(b);
  return a_begin < a_end && b_begin < b_end && a_begin < b_end && b_begin < a_end;
}

Tensor contiguous_copy(const Tensor& src, ScalarType dtype) {
  Tensor out = make_empty(src.sizes(), dtype, src.device(), "copy");
  copy_elements(out, src);
  return out;
}

}  // namespace sgmm
