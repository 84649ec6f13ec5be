// sgmm through its GEMM driver, sgmm::cpu::gemm: the engine without the
// Tensor layer's validation and dispatch, so the difference to the public
// API column is the cost of that layer.

#include <stdexcept>

#include "contender.hpp"
#include "cpu/dispatch.hpp"
#include "cpu/gemm.hpp"
#include "sgmm/runtime.hpp"

namespace sgmm::bench {

namespace {

cpu::GemmDType gemm_dtype(BenchDType dtype) {
  switch (dtype) {
    case BenchDType::f32: return cpu::GemmDType::f32;
    case BenchDType::f64: return cpu::GemmDType::f64;
    case BenchDType::bf16: return cpu::GemmDType::bf16;
    case BenchDType::f16: return cpu::GemmDType::f16;
  }
  throw std::logic_error("unknown bench dtype");
}

class SgmmGemmContender final : public Contender {
 public:
  std::string column() const override { return "sgmm gemm"; }
  std::string variant() const override { return "sgmm::cpu::gemm (driver, no Tensor layer)"; }
  bool is_sgmm() const override { return true; }

  std::string prepare(const BenchCase& bench_case, const OperandPool&) override {
    if (!bench_case.sgmm_kernel.empty()) {
      if (!cpu::kernel_config_supported(bench_case.sgmm_kernel)) {
        return "this CPU cannot run sgmm's " + bench_case.sgmm_kernel + " kernels";
      }
      cpu::force_kernel_config(bench_case.sgmm_kernel);
    }
    set_num_threads(bench_case.threads);
    const BenchShape& s = bench_case.shape;
    const cpu::GemmDType dtype = gemm_dtype(bench_case.dtype);
    const cpu::Epilogue epilogue{bench_case.scale, false};
    batches_.clear();
    if (bench_case.direction == Direction::forward) {
      cpu::GemmBatch forward;
      forward.dtype = dtype;
      forward.batch = s.b;
      forward.m = s.m;
      forward.n = s.n;
      forward.k = s.k;
      forward.a = {nullptr, s.m * s.k, s.k, 1};
      forward.b = bench_case.weight_transposed ? cpu::MatrixOperand{nullptr, s.k * s.n, 1, s.k}
                                               : cpu::MatrixOperand{nullptr, s.k * s.n, s.n, 1};
      forward.c = {nullptr, s.m * s.n, s.n, 1};
      forward.epilogue = epilogue;
      batches_.push_back(forward);
    } else {
      // grad_input [m, k] = grad_out [m, n] @ weight^T, weight^T read as a
      // transposed view of weight [k, n] (row stride 1, column stride n).
      cpu::GemmBatch grad_input;
      grad_input.dtype = dtype;
      grad_input.batch = s.b;
      grad_input.m = s.m;
      grad_input.n = s.k;
      grad_input.k = s.n;
      grad_input.a = {nullptr, s.m * s.n, s.n, 1};
      grad_input.b = {nullptr, s.k * s.n, 1, s.n};
      grad_input.c = {nullptr, s.m * s.k, s.k, 1};
      grad_input.epilogue = epilogue;
      // grad_weight [k, n] = input^T @ grad_out, input^T a transposed view of input [m, k].
      cpu::GemmBatch grad_weight;
      grad_weight.dtype = dtype;
      grad_weight.batch = s.b;
      grad_weight.m = s.k;
      grad_weight.n = s.n;
      grad_weight.k = s.m;
      grad_weight.a = {nullptr, s.m * s.k, 1, s.k};
      grad_weight.b = {nullptr, s.m * s.n, s.n, 1};
      grad_weight.c = {nullptr, s.k * s.n, s.n, 1};
      grad_weight.epilogue = epilogue;
      // One call with both products: one scheduled job, as the autograd
      // backward would issue it.
      batches_.push_back(grad_input);
      batches_.push_back(grad_weight);
    }
    return {};
  }

  void run(const OperandSet& operands) override {
    if (batches_.size() == 1) {
      batches_[0].a.data = operands.input;
      batches_[0].b.data = operands.weight;
      batches_[0].c.data = operands.out;
    } else {
      batches_[0].a.data = operands.grad_out;
      batches_[0].b.data = operands.weight;
      batches_[0].c.data = operands.grad_input;
      batches_[1].a.data = operands.input;
      batches_[1].b.data = operands.grad_out;
      batches_[1].c.data = operands.grad_weight;
    }
    cpu::gemm(batches_.data(), batches_.size());
  }

  void release() override {
    batches_.clear();
    cpu::reset_kernel_config();
  }

 private:
  std::vector<cpu::GemmBatch> batches_;
};

}  // namespace

ContenderList make_sgmm_gemm_contenders() {
  ContenderList list;
  list.push_back(std::make_unique<SgmmGemmContender>());
  return list;
}

}  // namespace sgmm::bench
