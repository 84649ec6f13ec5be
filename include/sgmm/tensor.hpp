#pragma once
// sgmm::Tensor: a refcounted handle to a strided view of shared storage, with
// the libtorch method names. Copying a Tensor copies the handle, not the data.

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "sgmm/array_ref.hpp"
#include "sgmm/device.hpp"
#include "sgmm/dtype.hpp"
#include "sgmm/error.hpp"
#include "sgmm/scalar.hpp"

namespace sgmm {

class TensorImpl;  // defined in src/tensor/, not part of the public API
namespace autograd {
class Node;
}

// Creation options, chained as in libtorch:
//   sgmm::TensorOptions().dtype(sgmm::kFloat64).requires_grad(true)
class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(ScalarType dtype) : dtype_(dtype), has_dtype_(true) {}  // NOLINT: like libtorch
  TensorOptions(Device device) : device_(device) {}                      // NOLINT

  TensorOptions dtype(ScalarType dtype) const {
    TensorOptions o = *this;
    o.dtype_ = dtype;
    o.has_dtype_ = true;
    return o;
  }
  TensorOptions device(Device device) const {
    TensorOptions o = *this;
    o.device_ = device;
    return o;
  }
  TensorOptions requires_grad(bool requires_grad) const {
    TensorOptions o = *this;
    o.requires_grad_ = requires_grad;
    return o;
  }

  // float32 when no dtype was set (torch's default dtype).
  ScalarType dtype() const { return dtype_; }
  bool has_dtype() const { return has_dtype_; }
  Device device() const { return device_; }
  bool requires_grad() const { return requires_grad_; }

 private:
  ScalarType dtype_ = kFloat32;
  bool has_dtype_ = false;
  Device device_ = Device(kCPU);
  bool requires_grad_ = false;
};

class Tensor {
 public:
  // An undefined tensor (defined() == false), as a default argument or an absent grad.
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl);

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* unsafe_impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  // Whether two handles refer to the same tensor object.
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

  // ---- shape and layout -------------------------------------------------
  IntArrayRef sizes() const;
  IntArrayRef strides() const;
  // A negative dim counts from the end, as in torch.
  int64_t size(int64_t dim) const;
  int64_t stride(int64_t dim) const;
  int64_t dim() const;
  int64_t numel() const;
  int64_t storage_offset() const;
  bool is_contiguous() const;
  ScalarType scalar_type() const;
  ScalarType dtype() const { return scalar_type(); }
  Device device() const;
  TensorOptions options() const;  // dtype and device; requires_grad false

  // ---- data -------------------------------------------------------------
  // Pointer to element [0, 0, ...]. The typed form checks T against the dtype.
  void* data_ptr() const;
  template <typename T>
  T* data_ptr() const {
    check_dtype_for_access(scalar_type_of<T>(), "data_ptr");
    return static_cast<T*>(data_ptr());
  }
  // The single value of a one-element tensor, converted to T.
  template <typename T>
  T item() const;

  // ---- autograd ---------------------------------------------------------
  bool requires_grad() const;
  Tensor& requires_grad_(bool requires_grad = true);
  // The accumulated gradient of a leaf; undefined until backward reaches it.
  Tensor grad() const;
  // Assignable gradient slot: t.mutable_grad() = Tensor() clears it.
  Tensor& mutable_grad() const;
  // Backpropagates from this tensor. A scalar needs no gradient argument;
  // otherwise pass one of the same shape. retain_graph keeps saved tensors
  // so backward can run through the same graph again.
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;
  Tensor detach() const;
  bool is_leaf() const;
  const std::shared_ptr<autograd::Node>& grad_fn() const;

  // ---- views (share storage) --------------------------------------------
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor t() const;  // 2-D (or less) transpose
  Tensor permute(IntArrayRef dims) const;
  Tensor view(IntArrayRef sizes) const;     // error when the strides do not allow it
  Tensor reshape(IntArrayRef sizes) const;  // a view when possible, else a copy
  Tensor expand(IntArrayRef sizes) const;   // -1 keeps a size; new dims have stride 0
  Tensor select(int64_t dim, int64_t index) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor squeeze(int64_t dim) const;

  // ---- copies -----------------------------------------------------------
  Tensor contiguous() const;  // *this when already contiguous
  Tensor clone() const;
  Tensor to(ScalarType dtype) const;  // *this when already that dtype
  // Copies src (broadcast to this shape, converted to this dtype) into this tensor.
  Tensor& copy_(const Tensor& src);
  Tensor& fill_(Scalar value);
  Tensor& zero_();

  // ---- math (same as the free functions in ops.hpp) ----------------------
  Tensor bmm(const Tensor& other) const;
  Tensor matmul(const Tensor& other) const;
  Tensor add(const Tensor& other) const;
  Tensor add(Scalar other) const;
  Tensor sub(const Tensor& other) const;
  Tensor sub(Scalar other) const;
  Tensor mul(const Tensor& other) const;
  Tensor mul(Scalar other) const;
  Tensor div(const Tensor& other) const;
  Tensor div(Scalar other) const;
  Tensor neg() const;
  Tensor sum() const;
  Tensor sum(int64_t dim, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(int64_t dim, bool keepdim = false) const;

  // torch's repr: tensor([[1., 2.]], dtype=torch.float64, requires_grad=True)
  std::string repr() const;

 private:
  void check_dtype_for_access(ScalarType requested, const char* what) const;
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& tensor);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, Scalar b);
Tensor operator-(const Tensor& a, Scalar b);
Tensor operator*(const Tensor& a, Scalar b);
Tensor operator/(const Tensor& a, Scalar b);
Tensor operator+(Scalar a, const Tensor& b);
Tensor operator-(Scalar a, const Tensor& b);
Tensor operator*(Scalar a, const Tensor& b);
Tensor operator/(Scalar a, const Tensor& b);
Tensor operator-(const Tensor& a);

}  // namespace sgmm
