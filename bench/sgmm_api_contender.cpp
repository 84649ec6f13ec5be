// sgmm through its public API, as a user calls it:
// sgmm::nn::functional::scaled_grouped_mm_out into a preallocated output.
// The tensors wrap the harness's buffers (from_blob), made once per case.

#include <stdexcept>

#include "contender.hpp"
#include "cpu/dispatch.hpp"
#include "sgmm/sgmm.hpp"

namespace sgmm::bench {

namespace {

ScalarType tensor_dtype(BenchDType dtype) {
  switch (dtype) {
    case BenchDType::f32: return kFloat32;
    case BenchDType::f64: return kFloat64;
    case BenchDType::bf16: return kBFloat16;
    case BenchDType::f16: return kFloat16;
  }
  throw std::logic_error("unknown bench dtype");
}

class SgmmApiContender final : public Contender {
 public:
  std::string column() const override { return "sgmm"; }
  std::string variant() const override {
    return "sgmm::nn::functional::scaled_grouped_mm_out (public API)";
  }
  bool is_sgmm() const override { return true; }

  std::string prepare(const BenchCase& bench_case, const OperandPool& operands) override {
    if (bench_case.direction != Direction::forward) {
      return "backward is measured through the driver (sgmm gemm column)";
    }
    if (!bench_case.sgmm_kernel.empty()) {
      if (!cpu::kernel_config_supported(bench_case.sgmm_kernel)) {
        return "this CPU cannot run sgmm's " + bench_case.sgmm_kernel + " kernels";
      }
      cpu::force_kernel_config(bench_case.sgmm_kernel);
    }
    set_num_threads(bench_case.threads);
    scale_ = bench_case.scale;
    const BenchShape& s = bench_case.shape;
    const TensorOptions options = TensorOptions().dtype(tensor_dtype(bench_case.dtype));
    copies_.clear();
    for (size_t i = 0; i < operands.size(); ++i) {
      const OperandSet& set = operands.set(i);
      const Tensor weight = bench_case.weight_transposed
                                ? from_blob(set.weight, {s.b, s.n, s.k}, options).transpose(1, 2)
                                : from_blob(set.weight, {s.b, s.k, s.n}, options);
      copies_.push_back({from_blob(set.input, {s.b, s.m, s.k}, options), weight,
                         from_blob(set.out, {s.b, s.m, s.n}, options)});
    }
    return {};
  }

  void run(const OperandSet& operands) override {
    TensorCopy& copy = copies_[operands.index];
    nn::functional::scaled_grouped_mm_out(copy.out, copy.input, copy.weight, scale_);
  }

  void release() override {
    copies_.clear();
    cpu::reset_kernel_config();
  }

 private:
  struct TensorCopy {
    Tensor input;
    Tensor weight;
    Tensor out;
  };
  std::vector<TensorCopy> copies_;
  double scale_ = 1.0;
};

}  // namespace

ContenderList make_sgmm_api_contenders() {
  ContenderList list;
  list.push_back(std::make_unique<SgmmApiContender>());
  return list;
}

}  // namespace sgmm::bench
