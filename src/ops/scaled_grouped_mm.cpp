// scaled_grouped_mm: out[i] = (input[i] @ weight[i]) * scale, the scale fused
// into the GEMM epilogue, and its backward.

#include <cstdint>

#include "autograd/node.hpp"
#include "ops/batched_gemm.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/factory.hpp"
#include "sgmm/nn/functional.hpp"
#include "tensor/copy.hpp"
#include "tensor/shape.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm::nn::functional {
namespace {

constexpr const char* kOp = "scaled_grouped_mm";

class ScaledGroupedMmBackward final : public autograd::Node {
 public:
  ScaledGroupedMmBackward(Tensor input, Tensor weight, double scale)
      : input_(input), weight_(weight), scale_(scale) {}
  const char* name() const override { return "ScaledGroupedMmBackward0"; }

  std::vector<Tensor> apply(const Tensor& grad_out) override {
    std::vector<Tensor> grads(3);
    const Tensor& input = input_.unpack(*this);
    const Tensor& weight = weight_.unpack(*this);
    // d input needs weight, d weight needs input.
    const Tensor none;
    ops::BatchedProductGrads product_grads = ops::batched_product_grads(
        grad_out, needs_input_grad(1) ? input : none, needs_input_grad(0) ? weight : none, scale_);
    grads[0] = product_grads.a;
    grads[1] = product_grads.b;
    if (needs_input_grad(2)) {
      // d scale = sum(d_out * (input @ weight)), in the scale's own dtype.
      Tensor product = ops::batched_product(input, weight, 1.0);
      grads[2] = tensor(ops::sum_of_products(grad_out, product),
                        TensorOptions().dtype(scale_dtype_));
    }
    return grads;
  }

  void set_scale_dtype(ScalarType dtype) { scale_dtype_ = dtype; }

 protected:
  void release_saved_tensors() override {
    input_.reset();
    weight_.reset();
  }

 private:
  autograd::SavedTensor input_;
  autograd::SavedTensor weight_;
  double scale_;
  ScalarType scale_dtype_ = kFloat32;
};

void check_scale_tensor(const char* op, const Tensor& scale) {
  SGMM_CHECK(scale.defined(), op, ": scale is an undefined tensor; pass a number or a 0-d tensor");
  SGMM_CHECK_SHAPE(scale.dim() == 0, op, ": scale must be a 0-d tensor (one number), got ",
                   scale.dim(), "-D ", shape_str(scale.sizes()),
                   "; pass tensor(value) or call .item() on it");
  SGMM_CHECK_DTYPE(is_floating_point(scale.scalar_type()), op,
                   ": scale must be a floating-point tensor, got ",
                   dtype_name(scale.scalar_type()), "; convert it with .to(sgmm::kFloat32)");
  SGMM_CHECK_DEVICE(scale.device().is_cpu(), op, ": expected the scale on the CPU, got ",
                    scale.device().str());
}

// scale_tensor may be undefined (a plain number).
Tensor forward(const Tensor& input, const Tensor& weight, double scale,
               const Tensor& scale_tensor) {
  Tensor out = ops::batched_product(input, weight, scale);
  if (autograd::any_requires_grad({&input, &weight, &scale_tensor})) {
    auto node = std::make_shared<ScaledGroupedMmBackward>(input, weight, scale);
    if (scale_tensor.defined()) node->set_scale_dtype(scale_tensor.scalar_type());
    autograd::set_history(out, std::move(node), {&input, &weight, &scale_tensor});
  }
  return out;
}

Tensor& forward_out(Tensor& out, const Tensor& input, const Tensor& weight, double scale,
                    const Tensor& scale_tensor) {
  const char* op = "scaled_grouped_mm_out";
  ops::check_batched_operands(op, "weight", input, weight);
  if (scale_tensor.defined()) check_scale_tensor(op, scale_tensor);
  SGMM_CHECK(out.defined(), op, ": out is an undefined tensor");
  // The views are read directly: every call runs these checks (see
  // check_batched_operands).
  const TensorImpl& o = *out.unsafe_impl();
  const TensorImpl& in = *input.unsafe_impl();
  const TensorImpl& w = *weight.unsafe_impl();
  SGMM_CHECK_DEVICE(o.device().is_cpu(), op, ": expected out on the CPU, got ",
                    o.device().str());
  SGMM_CHECK_DTYPE(o.dtype() == in.dtype(), op, ": out is ", dtype_name(o.dtype()),
                   " but input is ", dtype_name(in.dtype()), "; pass an out of dtype ",
                   dtype_name(in.dtype()));
  const int64_t batch = in.sizes()[0], m = in.sizes()[1], n = w.sizes()[2];
  const Shape& os = o.sizes();
  SGMM_CHECK_SHAPE(os.size() == 3 && os[0] == batch && os[1] == m && os[2] == n, op, ": out is ",
                   shape_str(os), " but the result is [", batch, ", ", m, ", ", n,
                   "]; pass an out of that shape");
  // Overlaps are shape errors (error.hpp): out overlapping itself or an input.
  SGMM_CHECK_SHAPE(has_distinct_elements(os, o.strides()), op, ": out's strides ",
                   shape_str(o.strides()), " make several elements share memory",
                   "; pass a tensor whose elements are distinct (e.g. a contiguous one)");
  SGMM_CHECK_SHAPE(!memory_overlaps(out, input), op,
                   ": out overlaps input; pass a separate tensor");
  SGMM_CHECK_SHAPE(!memory_overlaps(out, weight), op,
                   ": out overlaps weight; pass a separate tensor");
  SGMM_CHECK(!is_grad_enabled() ||
                 !(input.requires_grad() || weight.requires_grad() || out.requires_grad() ||
                   (scale_tensor.defined() && scale_tensor.requires_grad())),
             op, ": out= variants do not support autograd, but an argument requires grad; "
             "call scaled_grouped_mm() instead, or run under sgmm::NoGradGuard");

  cpu::GemmBatch job;
  job.dtype = ops::gemm_dtype(in.dtype());
  job.batch = batch;
  job.m = m;
  job.n = n;
  job.k = in.sizes()[2];
  job.a = ops::matrix_operand(input);
  job.b = ops::matrix_operand(weight);
  job.c = ops::output_operand(out);
  job.epilogue.scale = scale;
  cpu::gemm(job);
  o.storage()->bump_version();
  return out;
}

}  // namespace

Tensor scaled_grouped_mm(const Tensor& input, const Tensor& weight, double scale) {
  ops::check_batched_operands(kOp, "weight", input, weight);
  return forward(input, weight, scale, Tensor());
}

Tensor scaled_grouped_mm(const Tensor& input, const Tensor& weight, const Tensor& scale) {
  ops::check_batched_operands(kOp, "weight", input, weight);
  check_scale_tensor(kOp, scale);
  // The value is read now: a later change to the scale tensor does not
  // affect this result (its gradient uses the same value).
  return forward(input, weight, scale.item<double>(), scale);
}

Tensor scaled_grouped_mm(const Tensor& input, const Tensor& weight,
                         const ScaledGroupedMMFuncOptions& options) {
  return options.has_tensor_scale() ? scaled_grouped_mm(input, weight, options.scale_tensor())
                                    : scaled_grouped_mm(input, weight, options.scale_value());
}

Tensor& scaled_grouped_mm_out(Tensor& out, const Tensor& input, const Tensor& weight,
                              double scale) {
  return forward_out(out, input, weight, scale, Tensor());
}

Tensor& scaled_grouped_mm_out(Tensor& out, const Tensor& input, const Tensor& weight,
                              const ScaledGroupedMMFuncOptions& options) {
  if (options.has_tensor_scale()) {
    const Tensor& scale = options.scale_tensor();
    check_scale_tensor("scaled_grouped_mm_out", scale);
    return forward_out(out, input, weight, scale.item<double>(), scale);
  }
  return forward_out(out, input, weight, options.scale_value(), Tensor());
}

}  // namespace sgmm::nn::functional
