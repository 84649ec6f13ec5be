#pragma once
// TensorImpl: what a Tensor handle points to. A strided view (sizes, strides,
// element offset) of a shared Storage, plus the autograd fields that the
// autograd layer reads and writes (this layer only stores them).

#include <cstdint>
#include <memory>
#include <vector>

#include "sgmm/tensor.hpp"
#include "tensor/shape.hpp"
#include "tensor/storage.hpp"

namespace sgmm {

class TensorImpl {
 public:
  TensorImpl(std::shared_ptr<Storage> storage, ScalarType dtype, Shape sizes, Shape strides,
             int64_t storage_offset);
  ~TensorImpl();
  TensorImpl(const TensorImpl&) = delete;
  TensorImpl& operator=(const TensorImpl&) = delete;

  const Shape& sizes() const { return sizes_; }
  const Shape& strides() const { return strides_; }
  int64_t dim() const { return static_cast<int64_t>(sizes_.size()); }
  int64_t numel() const { return numel_; }
  int64_t storage_offset() const { return storage_offset_; }
  bool is_contiguous() const { return is_contiguous_; }
  ScalarType dtype() const { return dtype_; }
  size_t element_size() const { return sgmm::element_size(dtype_); }
  Device device() const { return storage_->device(); }
  const std::shared_ptr<Storage>& storage() const { return storage_; }
  // Address of element [0, 0, ...].
  void* data() const {
    return static_cast<char*>(storage_->data()) +
           storage_offset_ * static_cast<int64_t>(element_size());
  }

  // ---- autograd fields (owned here, managed by src/autograd) -------------
  // Set by requires_grad_() on a leaf.
  bool requires_grad = false;
  // The accumulated gradient of a leaf.
  Tensor grad;
  // The node that produced this tensor; null for a leaf.
  std::shared_ptr<autograd::Node> grad_fn;
  // A leaf's gradient accumulator, shared by every graph that uses the leaf.
  // Weak: the graph owns it, and it must not keep the leaf's graph alive.
  std::weak_ptr<autograd::Node> grad_accumulator;

 private:
  std::shared_ptr<Storage> storage_;
  Shape sizes_;
  Shape strides_;
  int64_t storage_offset_;
  int64_t numel_;
  ScalarType dtype_;
  bool is_contiguous_;
};

// A new contiguous tensor with uninitialised memory from the device's
// allocator. ValueError (naming op) for a negative size or a count or byte
// size that overflows.
Tensor make_empty(IntArrayRef sizes, ScalarType dtype, Device device, const char* op);
// A view of base's storage with new geometry; no autograd history. The
// caller guarantees that every element it addresses lies inside the storage.
Tensor make_view(const Tensor& base, Shape sizes, Shape strides, int64_t storage_offset);

}  // namespace sgmm
