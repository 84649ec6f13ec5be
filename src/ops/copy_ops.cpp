// Copies (contiguous, clone, to) with their backward, and the in-place
// writes (copy_, fill_, zero_), which autograd does not track.

#include "autograd/node.hpp"
#include "sgmm/autograd.hpp"
#include "tensor/copy.hpp"
#include "tensor/dtype_dispatch.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace {

class CopyBackward final : public autograd::Node {
 public:
  CopyBackward(const char* name, ScalarType input_dtype) : name_(name), input_dtype_(input_dtype) {}
  const char* name() const override { return name_; }
  std::vector<Tensor> apply(const Tensor& grad) override {
    return {grad.scalar_type() == input_dtype_ ? grad : contiguous_copy(grad, input_dtype_)};
  }

 private:
  const char* name_;
  ScalarType input_dtype_;
};

Tensor copy_with_history(const Tensor& self, ScalarType dtype, const char* op,
                         const char* node_name) {
  SGMM_CHECK(self.defined(), op, ": the tensor is undefined (default-constructed)");
  Tensor out = contiguous_copy(self, dtype);
  // Gradients flow only between floating dtypes (an integer result cannot
  // require grad, as in torch).
  if (is_floating_point(dtype) && autograd::any_requires_grad({&self}))
    autograd::set_history(out, std::make_shared<CopyBackward>(node_name, self.scalar_type()),
                          {&self});
  return out;
}

void check_writable(const Tensor& self, const char* op) {
  SGMM_CHECK(self.defined(), op, ": the tensor is undefined (default-constructed)");
  SGMM_CHECK(!is_grad_enabled() || !self.requires_grad(), op,
             ": in-place writes to a tensor that requires grad are not tracked by autograd; ",
             "write under sgmm::NoGradGuard, or into a tensor from detach()");
}

}  // namespace

Tensor Tensor::contiguous() const {
  SGMM_CHECK(defined(), "contiguous: the tensor is undefined (default-constructed)");
  if (is_contiguous()) return *this;
  return copy_with_history(*this, scalar_type(), "contiguous", "CloneBackward0");
}

Tensor Tensor::clone() const {
  return copy_with_history(*this, defined() ? scalar_type() : kFloat32, "clone", "CloneBackward0");
}

Tensor Tensor::to(ScalarType dtype) const {
  SGMM_CHECK(defined(), "to: the tensor is undefined (default-constructed)");
  if (dtype == scalar_type()) return *this;
  return copy_with_history(*this, dtype, "to", "ToCopyBackward0");
}

Tensor& Tensor::copy_(const Tensor& src) {
  check_writable(*this, "copy_");
  SGMM_CHECK(src.defined(), "copy_: the source is undefined (default-constructed)");
  SGMM_CHECK(!is_grad_enabled() || !src.requires_grad(),
             "copy_: copying from a tensor that requires grad is not tracked by autograd; ",
             "copy from src.detach() or write under sgmm::NoGradGuard");
  SGMM_CHECK(has_distinct_elements(sizes(), strides()),
             "copy_: the destination's strides ", shape_str(strides()),
             " make several elements share memory; copy into a contiguous tensor");
  // A source that shares memory with the destination (t.copy_(t.t())) is
  // read in full before anything is written.
  bool same_view = src.data_ptr() == data_ptr() && src.sizes() == sizes() &&
                   src.strides() == strides() && src.scalar_type() == scalar_type();
  if (same_view) return *this;
  Tensor source = memory_overlaps(*this, src) ? contiguous_copy(src, src.scalar_type()) : src;
  copy_elements(*this, source);
  unsafe_impl()->storage()->bump_version();
  return *this;
}

Tensor& Tensor::fill_(Scalar value) {
  check_writable(*this, "fill_");
  fill_elements(*this, value);
  unsafe_impl()->storage()->bump_version();
  return *this;
}

Tensor& Tensor::zero_() { return fill_(0); }

}  // namespace sgmm
