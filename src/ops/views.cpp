// The view operations: new geometry over the same storage, and each one's
// backward beside it.

#include "ops/views.hpp"

#include <algorithm>
#include <numeric>

#include "autograd/node.hpp"
#include "ops/reduce.hpp"
#include "sgmm/factory.hpp"
#include "tensor/copy.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace ops {

std::optional<Shape> view_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef new_sizes) {
  Shape new_strides(new_sizes.size());
  if (sizes.empty()) {
    std::fill(new_strides.begin(), new_strides.end(), 1);
    return new_strides;
  }
  int64_t numel = 1;
  for (int64_t s : sizes) numel *= s;
  if (numel == 0) {
    if (sizes == new_sizes) return Shape(strides.begin(), strides.end());
    return contiguous_strides(new_sizes);
  }
  // Walk the old dims from the innermost, in chunks of dims that are
  // contiguous with each other; each chunk must map onto whole new dims.
  int64_t view_d = static_cast<int64_t>(new_sizes.size()) - 1;
  int64_t chunk_base_stride = strides.back();
  int64_t tensor_numel = 1;
  int64_t view_numel = 1;
  for (int64_t tensor_d = static_cast<int64_t>(sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
    tensor_numel *= sizes[tensor_d];
    if (tensor_d == 0 || (sizes[tensor_d - 1] != 1 &&
                          strides[tensor_d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
        new_strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= new_sizes[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (tensor_d > 0) {
        chunk_base_stride = strides[tensor_d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return new_strides;
}

Shape infer_view_size(IntArrayRef new_sizes, int64_t numel, const char* op) {
  Shape out = new_sizes.vec();
  int64_t known = 1;
  int64_t inferred = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      SGMM_CHECK_SHAPE(inferred < 0, op, ": only one dimension can be -1, got ",
                       shape_str(new_sizes));
      inferred = static_cast<int64_t>(i);
    } else {
      SGMM_CHECK_SHAPE(out[i] >= 0, op, ": invalid size ", out[i], " in ", shape_str(new_sizes));
      known *= out[i];
    }
  }
  if (inferred >= 0) {
    SGMM_CHECK_SHAPE(known != 0 && numel % known == 0, op, ": shape ", shape_str(new_sizes),
                     " is invalid for a tensor of ", numel, " elements");
    out[inferred] = numel / known;
  }
  checked_numel(out, op);
  SGMM_CHECK_SHAPE(known * (inferred >= 0 ? out[inferred] : 1) == numel, op, ": shape ",
                   shape_str(new_sizes), " is invalid for a tensor of ", numel, " elements");
  return out;
}

}  // namespace ops

namespace {

// A node whose backward is a function of the gradient alone.
template <typename Backward>
class ViewNode final : public autograd::Node {
 public:
  ViewNode(const char* name, Backward backward) : name_(name), backward_(std::move(backward)) {}
  const char* name() const override { return name_; }
  std::vector<Tensor> apply(const Tensor& grad_out) override { return {backward_(grad_out)}; }

 private:
  const char* name_;
  Backward backward_;
};

// The view of self with new geometry; records backward when self requires grad.
template <typename Backward>
Tensor make_differentiable_view(const Tensor& self, Shape sizes, Shape strides, int64_t offset,
                                const char* node_name, Backward backward) {
  Tensor out = make_view(self, std::move(sizes), std::move(strides), offset);
  if (autograd::any_requires_grad({&self}))
    autograd::set_history(out, std::make_shared<ViewNode<Backward>>(node_name, std::move(backward)),
                          {&self});
  return out;
}

void check_defined(const Tensor& t, const char* op) {
  SGMM_CHECK(t.defined(), op, ": the tensor is undefined (default-constructed)");
}

}  // namespace

Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const {
  check_defined(*this, "transpose");
  int64_t d0 = wrap_dim(dim0, dim(), "transpose");
  int64_t d1 = wrap_dim(dim1, dim(), "transpose");
  Shape sizes = this->sizes().vec(), strides = this->strides().vec();
  if (dim() > 0) {
    std::swap(sizes[d0], sizes[d1]);
    std::swap(strides[d0], strides[d1]);
  }
  return make_differentiable_view(*this, std::move(sizes), std::move(strides), storage_offset(),
                                  "TransposeBackward0", [d0, d1](const Tensor& grad) {
                                    return grad.dim() > 0 ? grad.transpose(d0, d1) : grad;
                                  });
}

Tensor Tensor::t() const {
  check_defined(*this, "t");
  SGMM_CHECK_SHAPE(dim() <= 2, "t: expects a tensor with <= 2 dimensions, got ", dim(), "-D ",
                   shape_str(sizes()), "; use transpose(dim0, dim1)");
  return dim() == 2 ? transpose(0, 1) : transpose(0, 0);
}

Tensor Tensor::permute(IntArrayRef dims) const {
  check_defined(*this, "permute");
  SGMM_CHECK_SHAPE(static_cast<int64_t>(dims.size()) == dim(), "permute: ", dims.size(),
                   " dims ", shape_str(dims), " for a ", dim(), "-D tensor; pass one per dimension");
  Shape sizes(dims.size()), strides(dims.size()), inverse(dims.size());
  std::vector<bool> seen(dims.size(), false);
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = wrap_dim(dims[i], dim(), "permute");
    SGMM_CHECK(!seen[d], "permute: dimension ", dims[i], " repeats in ", shape_str(dims),
               "; pass a permutation");
    seen[d] = true;
    sizes[i] = this->sizes()[d];
    strides[i] = this->strides()[d];
    inverse[d] = static_cast<int64_t>(i);
  }
  return make_differentiable_view(
      *this, std::move(sizes), std::move(strides), storage_offset(), "PermuteBackward0",
      [inverse](const Tensor& grad) { return grad.permute(inverse); });
}

Tensor Tensor::view(IntArrayRef sizes) const {
  check_defined(*this, "view");
  Shape target = ops::infer_view_size(sizes, numel(), "view");
  std::optional<Shape> strides = ops::view_strides(this->sizes(), this->strides(), target);
  SGMM_CHECK_SHAPE(strides.has_value(), "view: the strides ", shape_str(this->strides()),
                   " of a ", shape_str(this->sizes()), " tensor do not allow viewing it as ",
                   shape_str(target), "; use reshape() (which copies) or contiguous() first");
  Shape original = this->sizes().vec();
  return make_differentiable_view(*this, std::move(target), std::move(*strides), storage_offset(),
                                  "ViewBackward0",
                                  [original](const Tensor& grad) { return grad.reshape(original); });
}

Tensor Tensor::reshape(IntArrayRef sizes) const {
  check_defined(*this, "reshape");
  Shape target = ops::infer_view_size(sizes, numel(), "reshape");
  if (ops::view_strides(this->sizes(), this->strides(), target).has_value()) return view(target);
  // Not viewable: copy into a contiguous tensor of the target shape.
  Tensor out = make_empty(target, scalar_type(), device(), "reshape");
  copy_elements(out.view(this->sizes()), *this);
  if (autograd::any_requires_grad({this})) {
    Shape original = this->sizes().vec();
    auto backward = [original](const Tensor& grad) { return grad.reshape(original); };
    autograd::set_history(
        out, std::make_shared<ViewNode<decltype(backward)>>("UnsafeViewBackward0", backward),
        {this});
  }
  return out;
}

Tensor Tensor::expand(IntArrayRef sizes) const {
  check_defined(*this, "expand");
  int64_t old_dim = dim();
  auto new_dim = static_cast<int64_t>(sizes.size());
  SGMM_CHECK_SHAPE(new_dim >= old_dim, "expand: the target ", shape_str(sizes), " has fewer ",
                   "dimensions than the tensor ", shape_str(this->sizes()));
  Shape out_sizes(new_dim), out_strides(new_dim);
  for (int64_t i = new_dim - 1; i >= 0; --i) {
    int64_t j = i - (new_dim - old_dim);  // the matching dim of this tensor
    int64_t size = sizes[i];
    if (j < 0) {
      SGMM_CHECK_SHAPE(size >= 0, "expand: size ", size, " for the new leading dimension ", i,
                       " in ", shape_str(sizes), "; -1 is allowed only for existing dimensions");
      out_sizes[i] = size;
      out_strides[i] = 0;
      continue;
    }
    int64_t have = this->sizes()[j];
    if (size == -1) size = have;
    SGMM_CHECK_SHAPE(size == have || have == 1, "expand: the tensor ", shape_str(this->sizes()),
                     " cannot be expanded to ", shape_str(sizes), ": dimension ", i, " is ", have,
                     " and only size-1 dimensions can be expanded");
    SGMM_CHECK_SHAPE(size >= 0, "expand: negative size ", size, " in ", shape_str(sizes));
    out_sizes[i] = size;
    out_strides[i] = size == have ? this->strides()[j] : 0;
  }
  Shape original = this->sizes().vec();
  return make_differentiable_view(*this, std::move(out_sizes), std::move(out_strides),
                                  storage_offset(), "ExpandBackward0",
                                  [original](const Tensor& grad) {
                                    return ops::sum_to_shape(grad, original);
                                  });
}

Tensor Tensor::select(int64_t dim, int64_t index) const {
  check_defined(*this, "select");
  SGMM_CHECK(this->dim() > 0, "select: cannot select from a 0-d tensor");
  int64_t d = wrap_dim(dim, this->dim(), "select");
  int64_t size = sizes()[d];
  SGMM_CHECK(index >= -size && index < size, "select: index ", index,
             " is out of range for dimension ", dim, " of size ", size);
  if (index < 0) index += size;
  Shape sizes = this->sizes().vec(), strides = this->strides().vec();
  int64_t offset = storage_offset() + index * strides[d];
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  Shape original = this->sizes().vec();
  ScalarType dtype = scalar_type();
  return make_differentiable_view(*this, std::move(sizes), std::move(strides), offset,
                                  "SelectBackward0",
                                  [original, dtype, d, index](const Tensor& grad) {
                                    Tensor full = zeros(original, dtype);
                                    copy_elements(full.select(d, index), grad);
                                    return full;
                                  });
}

Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length) const {
  check_defined(*this, "narrow");
  SGMM_CHECK(this->dim() > 0, "narrow: cannot narrow a 0-d tensor");
  int64_t d = wrap_dim(dim, this->dim(), "narrow");
  int64_t size = sizes()[d];
  SGMM_CHECK(start >= -size && start <= size, "narrow: start ", start,
             " is out of range for dimension ", dim, " of size ", size);
  if (start < 0) start += size;
  SGMM_CHECK(length >= 0 && start <= size - length, "narrow: start ", start, " + length ",
             length, " exceeds dimension ", dim, " of size ", size);
  Shape sizes = this->sizes().vec(), strides = this->strides().vec();
  sizes[d] = length;
  int64_t offset = storage_offset() + (length > 0 ? start * strides[d] : 0);
  Shape original = this->sizes().vec();
  ScalarType dtype = scalar_type();
  return make_differentiable_view(*this, std::move(sizes), std::move(strides), offset,
                                  "SliceBackward0",
                                  [original, dtype, d, start, length](const Tensor& grad) {
                                    Tensor full = zeros(original, dtype);
                                    copy_elements(full.narrow(d, start, length), grad);
                                    return full;
                                  });
}

Tensor Tensor::unsqueeze(int64_t dim) const {
  check_defined(*this, "unsqueeze");
  int64_t d = wrap_dim(dim, this->dim() + 1, "unsqueeze");
  Shape sizes = this->sizes().vec(), strides = this->strides().vec();
  int64_t stride = d < this->dim() ? sizes[d] * strides[d] : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, stride);
  return make_differentiable_view(*this, std::move(sizes), std::move(strides), storage_offset(),
                                  "UnsqueezeBackward0",
                                  [d](const Tensor& grad) { return grad.squeeze(d); });
}

Tensor Tensor::squeeze(int64_t dim) const {
  check_defined(*this, "squeeze");
  int64_t d = wrap_dim(dim, this->dim(), "squeeze");
  Shape sizes = this->sizes().vec(), strides = this->strides().vec();
  if (this->dim() > 0 && sizes[d] == 1) {
    sizes.erase(sizes.begin() + d);
    strides.erase(strides.begin() + d);
  }
  Shape original = this->sizes().vec();
  return make_differentiable_view(*this, std::move(sizes), std::move(strides), storage_offset(),
                                  "SqueezeBackward1",
                                  [original](const Tensor& grad) { return grad.reshape(original); });
}

}  // namespace sgmm
