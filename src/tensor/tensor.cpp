// The Tensor handle's non-differentiable members: geometry, data access and
// the autograd flags. Differentiable methods live in src/ops.

#include <utility>

#include "tensor/dtype_dispatch.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace {

const TensorImpl& checked_impl(const TensorImpl* impl, const char* what) {
  SGMM_CHECK(impl != nullptr, what, ": the tensor is undefined (default-constructed)");
  return *impl;
}

}  // namespace

Tensor::Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

IntArrayRef Tensor::sizes() const { return checked_impl(impl_.get(), "sizes").sizes(); }
IntArrayRef Tensor::strides() const { return checked_impl(impl_.get(), "strides").strides(); }

int64_t Tensor::size(int64_t dim) const {
  const TensorImpl& impl = checked_impl(impl_.get(), "size");
  SGMM_CHECK(impl.dim() > 0, "size: a 0-d tensor has no dimensions");
  return impl.sizes()[wrap_dim(dim, impl.dim(), "size")];
}

int64_t Tensor::stride(int64_t dim) const {
  const TensorImpl& impl = checked_impl(impl_.get(), "stride");
  SGMM_CHECK(impl.dim() > 0, "stride: a 0-d tensor has no dimensions");
  return impl.strides()[wrap_dim(dim, impl.dim(), "stride")];
}

int64_t Tensor::dim() const { return checked_impl(impl_.get(), "dim").dim(); }
int64_t Tensor::numel() const { return checked_impl(impl_.get(), "numel").numel(); }
int64_t Tensor::storage_offset() const {
  return checked_impl(impl_.get(), "storage_offset").storage_offset();
}
bool Tensor::is_contiguous() const {
  return checked_impl(impl_.get(), "is_contiguous").is_contiguous();
}
ScalarType Tensor::scalar_type() const {
  return checked_impl(impl_.get(), "scalar_type").dtype();
}
Device Tensor::device() const { return checked_impl(impl_.get(), "device").device(); }

TensorOptions Tensor::options() const {
  const TensorImpl& impl = checked_impl(impl_.get(), "options");
  return TensorOptions().dtype(impl.dtype()).device(impl.device());
}

void* Tensor::data_ptr() const { return checked_impl(impl_.get(), "data_ptr").data(); }

void Tensor::check_dtype_for_access(ScalarType requested, const char* what) const {
  ScalarType actual = checked_impl(impl_.get(), what).dtype();
  SGMM_CHECK_DTYPE(requested == actual, what, ": asked for ", dtype_name(requested),
                   " elements but the tensor is ", dtype_name(actual), "; call .to(",
                   dtype_constant_name(requested), ") first");
}

template <typename T>
T Tensor::item() const {
  const TensorImpl& impl = checked_impl(impl_.get(), "item");
  SGMM_CHECK(impl.numel() == 1, "item: a tensor with ", impl.numel(),
             " elements cannot be converted to a number; item() needs exactly one element");
  return visit_dtype(impl.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    return convert_element<T>(*static_cast<const S*>(impl.data()));
  });
}

template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template BFloat16 Tensor::item<BFloat16>() const;
template Half Tensor::item<Half>() const;
template int8_t Tensor::item<int8_t>() const;
template int32_t Tensor::item<int32_t>() const;
template int64_t Tensor::item<int64_t>() const;
template bool Tensor::item<bool>() const;

bool Tensor::requires_grad() const {
  const TensorImpl& impl = checked_impl(impl_.get(), "requires_grad");
  return impl.requires_grad || impl.grad_fn != nullptr;
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
  TensorImpl& impl = const_cast<TensorImpl&>(checked_impl(impl_.get(), "requires_grad_"));
  if (impl.grad_fn != nullptr) {
    SGMM_CHECK(requires_grad, "requires_grad_: only a leaf tensor's requires_grad can be ",
               "switched off; this tensor was computed by ", "an operation, use detach()");
    return *this;
  }
  SGMM_CHECK_DTYPE(!requires_grad || is_floating_point(impl.dtype()),
                   "requires_grad_: only floating-point tensors can require gradients, got ",
                   dtype_name(impl.dtype()), "; convert it with .to(sgmm::kFloat32) first");
  impl.requires_grad = requires_grad;
  return *this;
}

Tensor Tensor::grad() const { return checked_impl(impl_.get(), "grad").grad; }

Tensor& Tensor::mutable_grad() const {
  return const_cast<TensorImpl&>(checked_impl(impl_.get(), "mutable_grad")).grad;
}

Tensor Tensor::detach() const {
  const TensorImpl& impl = checked_impl(impl_.get(), "detach");
  return make_view(*this, impl.sizes(), impl.strides(), impl.storage_offset());
}

bool Tensor::is_leaf() const { return checked_impl(impl_.get(), "is_leaf").grad_fn == nullptr; }

const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const {
  return checked_impl(impl_.get(), "grad_fn").grad_fn;
}

}  // namespace sgmm
