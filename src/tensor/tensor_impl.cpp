#include "tensor/tensor_impl.hpp"

#include <limits>
#include <utility>

#include "tensor/release_iteratively.hpp"

namespace sgmm {

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage, ScalarType dtype, Shape sizes,
                       Shape strides, int64_t storage_offset)
    : storage_(std::move(storage)),
      sizes_(std::move(sizes)),
      strides_(std::move(strides)),
      storage_offset_(storage_offset),
      numel_(1),
      dtype_(dtype),
      is_contiguous_(is_contiguous_layout(sizes_, strides_)) {
  for (int64_t size : sizes_) numel_ *= size;
}

TensorImpl::~TensorImpl() {
  // grad_fn heads a chain through the graph that may be very long.
  release_iteratively(std::move(grad_fn));
}

Tensor make_empty(IntArrayRef sizes, ScalarType dtype, Device device, const char* op) {
  int64_t numel = checked_numel(sizes, op);
  auto element_bytes = static_cast<int64_t>(element_size(dtype));
  SGMM_CHECK(numel <= std::numeric_limits<int64_t>::max() / element_bytes, op,
             ": the byte size of ", shape_str(sizes), " x ", element_bytes,
             " bytes overflows int64");
  auto storage = Storage::allocate(static_cast<size_t>(numel * element_bytes), device);
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), dtype, sizes.vec(),
                                             contiguous_strides(sizes), 0));
}

Tensor make_view(const Tensor& base, Shape sizes, Shape strides, int64_t storage_offset) {
  const TensorImpl& impl = *base.unsafe_impl();
  return Tensor(std::make_shared<TensorImpl>(impl.storage(), impl.dtype(), std::move(sizes),
                                             std::move(strides), storage_offset));
}

}  // namespace sgmm
