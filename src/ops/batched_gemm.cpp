#include "ops/batched_gemm.hpp"

#include "tensor/dtype_dispatch.hpp"
#include "tensor/strided_loop.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm::ops {

cpu::GemmDType gemm_dtype(ScalarType dtype) {
  switch (dtype) {
    case kFloat32: return cpu::GemmDType::f32;
    case kFloat64: return cpu::GemmDType::f64;
    case kBFloat16: return cpu::GemmDType::bf16;
    case kFloat16: return cpu::GemmDType::f16;
    default: break;
  }
  throw DTypeError(detail::str_cat("matrix product: no GEMM for dtype ", dtype_name(dtype)));
}

// The operands below are of checked, defined 3-D tensors: read directly.
cpu::MatrixOperand matrix_operand(const Tensor& t) {
  const TensorImpl& impl = *t.unsafe_impl();
  const Shape& strides = impl.strides();
  return {impl.data(), strides[0], strides[1], strides[2]};
}

cpu::MatrixOperand transposed_operand(const Tensor& t) {
  const TensorImpl& impl = *t.unsafe_impl();
  const Shape& strides = impl.strides();
  return {impl.data(), strides[0], strides[2], strides[1]};
}

cpu::OutputOperand output_operand(const Tensor& t) {
  const TensorImpl& impl = *t.unsafe_impl();
  const Shape& strides = impl.strides();
  return {impl.data(), strides[0], strides[1], strides[2]};
}

void check_batched_operands(const char* op, const char* weight_name, const Tensor& input,
                            const Tensor& weight) {
  SGMM_CHECK(input.defined(), op, ": input is an undefined tensor");
  SGMM_CHECK(weight.defined(), op, ": ", weight_name, " is an undefined tensor");
  // Every call runs these checks, so they read the two views once rather
  // than through Tensor's accessors (each a call that checks the handle).
  const TensorImpl& in = *input.unsafe_impl();
  const TensorImpl& w = *weight.unsafe_impl();
  SGMM_CHECK_DEVICE(in.device().is_cpu() && w.device().is_cpu(), op,
                    ": expected CPU tensors, got input on ", in.device().str(), " and ",
                    weight_name, " on ", w.device().str());
  SGMM_CHECK_SHAPE(in.dim() == 3, op, ": expected a 3-D input [batch, m, k], got ", in.dim(),
                   "-D ", shape_str(in.sizes()));
  SGMM_CHECK_SHAPE(w.dim() == 3, op, ": expected a 3-D ", weight_name, " [batch, k, n], got ",
                   w.dim(), "-D ", shape_str(w.sizes()));
  const ScalarType dtype = in.dtype();
  SGMM_CHECK_DTYPE(is_floating_point(dtype), op,
                   ": expected a floating-point input (float32, float64, bfloat16 or float16), "
                   "got ", dtype_name(dtype), "; convert it with .to(sgmm::kFloat32)");
  SGMM_CHECK_DTYPE(w.dtype() == dtype, op, ": input and ", weight_name,
                   " must have the same dtype, got ", dtype_name(dtype), " and ",
                   dtype_name(w.dtype()), "; convert ", weight_name, " with .to(",
                   dtype_constant_name(dtype), ") (no implicit promotion)");
  const Shape& is = in.sizes();
  const Shape& ws = w.sizes();
  SGMM_CHECK_SHAPE(is[0] == ws[0], op, ": batch sizes differ: input is ", shape_str(is),
                   " (batch = ", is[0], ") but ", weight_name, " is ", shape_str(ws),
                   " (batch = ", ws[0], "); input.size(0) must equal ", weight_name,
                   ".size(0)");
  // The result's size, checked here so the error names op.
  checked_numel({is[0], is[1], ws[2]}, op);
  if (is[2] != ws[1]) {
    // When the weight's last dim matches k the caller most likely passed K
    // where K^T was meant (the attention pattern): say how to fix it.
    bool transposed_fits = ws[2] == is[2];
    throw ShapeError(detail::str_cat(
        op, ": inner dimensions differ: input is ", shape_str(is), " (k = ", is[2], ") but ",
        weight_name, " is ", shape_str(ws), " (k = ", ws[1], "); ", weight_name,
        " must be [batch, k, n]", transposed_fits ? " -- for Q @ K^T pass K.transpose(1, 2)" : ""));
  }
}

namespace {

// A new [batch, m, n] output, and in job the engine call that fills it
// with scale * (a @ b).
Tensor prepare_product(cpu::GemmBatch& job, cpu::MatrixOperand a, cpu::MatrixOperand b,
                       int64_t batch, int64_t m, int64_t n, int64_t k, ScalarType dtype,
                       Device device, double scale) {
  Tensor out = make_empty({batch, m, n}, dtype, device, "matrix product");
  job.dtype = gemm_dtype(dtype);
  job.batch = batch;
  job.m = m;
  job.n = n;
  job.k = k;
  job.a = a;
  job.b = b;
  job.c = output_operand(out);
  job.epilogue.scale = scale;
  return out;
}

}  // namespace

Tensor batched_product(const Tensor& a, const Tensor& b, double scale) {
  cpu::GemmBatch job;
  Tensor out = prepare_product(job, matrix_operand(a), matrix_operand(b), a.size(0), a.size(1),
                               b.size(2), a.size(2), a.scalar_type(), a.device(), scale);
  cpu::gemm(job);
  return out;
}

BatchedProductGrads batched_product_grads(const Tensor& grad_out, const Tensor& a,
                                          const Tensor& b, double scale) {
  // One job for both products: the engine runs grad_a[p] and grad_b[p]
  // back to back, while grad_out[p], which both read, is in cache.
  BatchedProductGrads grads;
  cpu::GemmBatch jobs[2];
  size_t count = 0;
  const int64_t batch = grad_out.size(0), m = grad_out.size(1), n = grad_out.size(2);
  const ScalarType dtype = grad_out.scalar_type();
  // d a [batch, m, k] = d_out [batch, m, n] @ b^T [batch, n, k]
  if (b.defined()) {
    grads.a = prepare_product(jobs[count++], matrix_operand(grad_out), transposed_operand(b),
                              batch, m, b.size(1), n, dtype, grad_out.device(), scale);
  }
  // d b [batch, k, n] = a^T [batch, k, m] @ d_out [batch, m, n]
  if (a.defined()) {
    grads.b = prepare_product(jobs[count++], transposed_operand(a), matrix_operand(grad_out),
                              batch, a.size(2), n, m, dtype, grad_out.device(), scale);
  }
  cpu::gemm(jobs, count);
  return grads;
}

double sum_of_products(const Tensor& x, const Tensor& y) {
  double total = 0;
  visit_floating_dtype(x.scalar_type(), "sum_of_products", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* px = static_cast<const T*>(x.data_ptr());
    const T* py = static_cast<const T*>(y.data_ptr());
    for_each_strided_row<2>(x.sizes(), {x.strides(), y.strides()},
                            [&](const std::array<int64_t, 2>& offset, int64_t count,
                                const std::array<int64_t, 2>& stride) {
                              for (int64_t j = 0; j < count; ++j)
                                total += convert_element<double>(px[offset[0] + j * stride[0]]) *
                                         convert_element<double>(py[offset[1] + j * stride[1]]);
                            });
  });
  return total;
}

}  // namespace sgmm::ops
