// matmul with torch's rules: 1-D operands gain a dim that is removed again,
// batch dims broadcast. Every case becomes GEMM batches over strided views:
// a broadcast operand gets batch stride 0, nothing is copied or expanded.

#include <vector>

#include "autograd/node.hpp"
#include "ops/batched_gemm.hpp"
#include "ops/reduce.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/ops.hpp"
#include "tensor/dtype_dispatch.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace {

// One batch dim as each operand (a, b, out) steps through it.
struct BatchDim {
  int64_t size;
  int64_t stride[3];
};

// out[..., m, n] = a[..., m, k] @ b[..., k, n]; a and b at least 2-D, out
// contiguous with the broadcast batch shape. No checks, no autograd.
void matmul_into(const Tensor& out, const Tensor& a, const Tensor& b) {
  // Nothing to write; an empty outer batch dim would otherwise still
  // describe one (out of bounds) GemmBatch below.
  if (out.numel() == 0) return;
  const int64_t batch_rank = out.dim() - 2;
  const int64_t m = a.size(-2), k = a.size(-1), n = b.size(-1);
  IntArrayRef batch_shape(out.sizes().data(), static_cast<size_t>(batch_rank));
  Shape a_batch = broadcast_strides(IntArrayRef(a.sizes().data(), a.sizes().size() - 2),
                                    IntArrayRef(a.strides().data(), a.strides().size() - 2),
                                    batch_shape);
  Shape b_batch = broadcast_strides(IntArrayRef(b.sizes().data(), b.sizes().size() - 2),
                                    IntArrayRef(b.strides().data(), b.strides().size() - 2),
                                    batch_shape);

  // Batch dims outermost first, size-1 dims dropped, neighbours merged
  // where every operand steps through them uniformly.
  std::vector<BatchDim> dims;
  for (int64_t d = 0; d < batch_rank; ++d) {
    if (batch_shape[d] == 1) continue;
    BatchDim dim{batch_shape[d], {a_batch[d], b_batch[d], out.stride(d)}};
    if (!dims.empty()) {
      BatchDim& outer = dims.back();
      bool mergeable = true;
      for (int i = 0; i < 3; ++i)
        mergeable = mergeable && outer.stride[i] == dim.stride[i] * dim.size;
      if (mergeable) {
        outer.size *= dim.size;
        for (int i = 0; i < 3; ++i) outer.stride[i] = dim.stride[i];
        continue;
      }
    }
    dims.push_back(dim);
  }

  cpu::GemmBatch job;
  job.dtype = ops::gemm_dtype(out.scalar_type());
  job.batch = 1;
  job.m = m;
  job.n = n;
  job.k = k;
  job.a = {a.data_ptr(), 0, a.stride(-2), a.stride(-1)};
  job.b = {b.data_ptr(), 0, b.stride(-2), b.stride(-1)};
  job.c = {out.data_ptr(), 0, out.stride(-2), out.stride(-1)};
  if (dims.empty()) {
    cpu::gemm(job);
    return;
  }
  const BatchDim& inner = dims.back();
  job.batch = inner.size;
  job.a.batch_stride = inner.stride[0];
  job.b.batch_stride = inner.stride[1];
  job.c.batch_stride = inner.stride[2];
  // One weight for every batch and the input's rows running on across
  // batches (an N-D input times a matrix): a single taller GEMM instead of
  // many short ones.
  if (dims.size() == 1 && job.b.batch_stride == 0 && m > 0 &&
      job.a.batch_stride == m * job.a.row_stride && job.c.batch_stride == m * job.c.row_stride) {
    job.m = m * job.batch;
    job.batch = 1;
    job.a.batch_stride = job.b.batch_stride = job.c.batch_stride = 0;
    cpu::gemm(job);
    return;
  }
  // Outer batch dims: one GemmBatch per index, run as one job.
  auto elem = static_cast<int64_t>(element_size(out.scalar_type()));
  std::vector<cpu::GemmBatch> jobs;
  std::vector<int64_t> counter(dims.size() - 1, 0);
  while (true) {
    int64_t offset[3] = {0, 0, 0};
    for (size_t d = 0; d + 1 < dims.size(); ++d)
      for (int i = 0; i < 3; ++i) offset[i] += counter[d] * dims[d].stride[i];
    cpu::GemmBatch part = job;
    part.a.data = static_cast<const char*>(job.a.data) + offset[0] * elem;
    part.b.data = static_cast<const char*>(job.b.data) + offset[1] * elem;
    part.c.data = static_cast<char*>(job.c.data) + offset[2] * elem;
    jobs.push_back(part);
    size_t d = counter.size();
    while (d > 0 && ++counter[d - 1] == dims[d - 1].size) counter[--d] = 0;
    if (d == 0) break;
  }
  cpu::gemm(jobs.data(), jobs.size());
}

// a @ b for a and b at least 2-D; no autograd.
Tensor matmul_product(const Tensor& a, const Tensor& b) {
  Shape batch = broadcast_shapes(IntArrayRef(a.sizes().data(), a.sizes().size() - 2),
                                 IntArrayRef(b.sizes().data(), b.sizes().size() - 2),
                                 "matmul (batch dimensions)");
  batch.push_back(a.size(-2));
  batch.push_back(b.size(-1));
  Tensor out = make_empty(batch, a.scalar_type(), a.device(), "matmul");
  matmul_into(out, a, b);
  return out;
}

class MatmulBackward final : public autograd::Node {
 public:
  MatmulBackward(const Tensor& a, const Tensor& b, const char* name)
      : a_(a), b_(b), name_(name) {}
  const char* name() const override { return name_; }

  std::vector<Tensor> apply(const Tensor& grad) override {
    std::vector<Tensor> grads(2);
    const Tensor& a = a_.unpack(*this);
    const Tensor& b = b_.unpack(*this);
    if (needs_input_grad(0))
      grads[0] = ops::sum_to_shape(matmul_product(grad, b.transpose(-1, -2)), a.sizes());
    if (needs_input_grad(1)) {
      if (b.dim() == 2 && a.dim() > 2) {
        // A matrix shared by every batch: its gradient sums over the batch,
        // which one GEMM over the flattened rows does directly.
        Tensor rows = a.reshape({-1, a.size(-1)});
        Tensor grad_rows = grad.reshape({-1, grad.size(-1)});
        grads[1] = matmul_product(rows.t(), grad_rows);
      } else {
        grads[1] = ops::sum_to_shape(matmul_product(a.transpose(-1, -2), grad), b.sizes());
      }
    }
    return grads;
  }

 protected:
  void release_saved_tensors() override {
    a_.reset();
    b_.reset();
  }

 private:
  autograd::SavedTensor a_;
  autograd::SavedTensor b_;
  const char* name_;
};

// a @ b with a and b at least 2-D, recording the graph.
Tensor matmul_at_least_2d(const Tensor& a, const Tensor& b) {
  Tensor out = matmul_product(a, b);
  if (autograd::any_requires_grad({&a, &b})) {
    const char* name = a.dim() == 2 && b.dim() == 2 ? "MmBackward0"
                       : a.dim() == 3 && b.dim() == 3 && a.size(0) == b.size(0)
                           ? "BmmBackward0"
                           : "MatmulBackward0";
    autograd::set_history(out, std::make_shared<MatmulBackward>(a, b, name), {&a, &b});
  }
  return out;
}

}  // namespace

Tensor matmul(const Tensor& input, const Tensor& other) {
  SGMM_CHECK(input.defined() && other.defined(), "matmul: an operand is an undefined tensor");
  SGMM_CHECK_DEVICE(input.device().is_cpu() && other.device().is_cpu(),
                    "matmul: expected CPU tensors, got ", input.device().str(), " and ",
                    other.device().str());
  SGMM_CHECK_SHAPE(input.dim() >= 1 && other.dim() >= 1,
                   "matmul: both operands need at least one dimension, got ", input.dim(),
                   "-D and ", other.dim(), "-D; use mul() for a 0-d operand");
  ScalarType dtype = input.scalar_type();
  SGMM_CHECK_DTYPE(is_floating_point(dtype),
                   "matmul: expected floating-point operands (float32, float64, bfloat16 or "
                   "float16), got ", dtype_name(dtype), "; convert with .to(sgmm::kFloat32)");
  SGMM_CHECK_DTYPE(other.scalar_type() == dtype, "matmul: operands have different dtypes, ",
                   dtype_name(dtype), " and ", dtype_name(other.scalar_type()),
                   "; convert one with .to(", dtype_constant_name(dtype),
                   ") (no implicit promotion)");
  int64_t k_input = input.size(-1);
  int64_t k_other = other.dim() == 1 ? other.size(0) : other.size(-2);
  SGMM_CHECK_SHAPE(k_input == k_other, "matmul: inner dimensions differ: input is ",
                   shape_str(input.sizes()), " (k = ", k_input, ") but other is ",
                   shape_str(other.sizes()), " (k = ", k_other, ")");
  // 1-D operands: a row vector on the left, a column vector on the right,
  // through differentiable views so the gradients come back in shape.
  Tensor a = input.dim() == 1 ? input.unsqueeze(0) : input;
  Tensor b = other.dim() == 1 ? other.unsqueeze(1) : other;
  Tensor out = matmul_at_least_2d(a, b);
  if (other.dim() == 1) out = out.squeeze(-1);
  if (input.dim() == 1) out = out.squeeze(input.dim() == 1 && other.dim() == 1 ? 0 : -2);
  return out;
}

}  // namespace sgmm
