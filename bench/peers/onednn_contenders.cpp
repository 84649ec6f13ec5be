// oneDNN's batched matmul primitive (oneDNN 2.6 API). The primitive is
// created once per case (creating it costs 0.1 ms or more, far more than a
// small batch takes) and only executed in the timed loop. The scale is an
// output scale of the primitive, fused like sgmm's epilogue.

#include <omp.h>

#include <dnnl.hpp>
#include <unordered_map>

#include "../contender.hpp"

namespace sgmm::bench {

namespace {

using dnnl::memory;

// One matmul: dst [b, rows, cols] = scale * src [b, rows, depth] @ weights [b, depth, cols],
// each operand described by its own strides (a transposed view is just other strides).
struct PreparedMatmul {
  dnnl::matmul primitive;
  memory src, weights, dst;
  std::unordered_map<int, memory> arguments;
};

PreparedMatmul make_matmul(const dnnl::engine& engine, memory::data_type type, int64_t batch,
                           int64_t rows, int64_t cols, int64_t depth,
                           const memory::dims& src_strides, const memory::dims& weights_strides,
                           double scale) {
  const memory::desc src_desc({batch, rows, depth}, type, src_strides);
  const memory::desc weights_desc({batch, depth, cols}, type, weights_strides);
  const memory::desc dst_desc({batch, rows, cols}, type, memory::dims{rows * cols, cols, 1});
  dnnl::primitive_attr attributes;
  attributes.set_output_scales(0, {static_cast<float>(scale)});
  const dnnl::matmul::primitive_desc plan(dnnl::matmul::desc(src_desc, weights_desc, dst_desc),
                                          attributes, engine);
  PreparedMatmul prepared{dnnl::matmul(plan), memory(src_desc, engine, nullptr),
                          memory(weights_desc, engine, nullptr), memory(dst_desc, engine, nullptr),
                          {}};
  prepared.arguments = {{DNNL_ARG_SRC, prepared.src},
                        {DNNL_ARG_WEIGHTS, prepared.weights},
                        {DNNL_ARG_DST, prepared.dst}};
  return prepared;
}

class OneDnnMatmulContender final : public Contender {
 public:
  OneDnnMatmulContender() : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {}
  std::string column() const override { return "oneDNN"; }
  std::string variant() const override { return "dnnl::matmul, batched, output scale"; }

  std::string prepare(const BenchCase& bench_case, const OperandPool&) override {
    if (bench_case.dtype != BenchDType::f32) {
      return std::string("oneDNN's CPU matmul has no ") + bench_dtype_name(bench_case.dtype) +
             " kernel compared here";
    }
    // oneDNN from Debian runs on OpenMP; the team size is read when the primitive runs.
    omp_set_num_threads(bench_case.threads);
    const BenchShape& s = bench_case.shape;
    const memory::data_type type = memory::data_type::f32;
    matmuls_.clear();
    try {
      if (bench_case.direction == Direction::forward) {
        const memory::dims weight_strides = bench_case.weight_transposed
                                                ? memory::dims{s.k * s.n, 1, s.k}
                                                : memory::dims{s.k * s.n, s.n, 1};
        matmuls_.push_back(make_matmul(engine_, type, s.b, s.m, s.n, s.k, {s.m * s.k, s.k, 1},
                                       weight_strides, bench_case.scale));
      } else {
        // grad_input [m, k] = grad_out [m, n] @ weight^T: weight [k, n] seen as [n, k] by strides.
        matmuls_.push_back(make_matmul(engine_, type, s.b, s.m, s.k, s.n, {s.m * s.n, s.n, 1},
                                       {s.k * s.n, 1, s.n}, bench_case.scale));
        // grad_weight [k, n] = input^T @ grad_out: input [m, k] seen as [k, m] by strides.
        matmuls_.push_back(make_matmul(engine_, type, s.b, s.k, s.n, s.m, {s.m * s.k, 1, s.k},
                                       {s.m * s.n, s.n, 1}, bench_case.scale));
      }
    } catch (const dnnl::error& e) {
      matmuls_.clear();
      return std::string("oneDNN refused the primitive: ") + e.what();
    }
    return {};
  }

  void run(const OperandSet& operands) override {
    if (matmuls_.size() == 1) {
      execute(matmuls_[0], operands.input, operands.weight, operands.out);
    } else {
      execute(matmuls_[0], operands.grad_out, operands.weight, operands.grad_input);
      execute(matmuls_[1], operands.input, operands.grad_out, operands.grad_weight);
    }
    stream_.wait();
  }

  void release() override { matmuls_.clear(); }

 private:
  void execute(PreparedMatmul& matmul, void* src, void* weights, void* dst) {
    matmul.src.set_data_handle(src);
    matmul.weights.set_data_handle(weights);
    matmul.dst.set_data_handle(dst);
    matmul.primitive.execute(stream_, matmul.arguments);
  }

  dnnl::engine engine_;
  dnnl::stream stream_;
  std::vector<PreparedMatmul> matmuls_;
};

}  // namespace

ContenderList make_onednn_contenders() {
  ContenderList list;
  list.push_back(std::make_unique<OneDnnMatmulContender>());
  return list;
}

std::string onednn_build_description() {
  const dnnl_version_t* version = dnnl_version();
  return "oneDNN " + std::to_string(version->major) + "." + std::to_string(version->minor) + "." +
         std::to_string(version->patch) + " (OpenMP runtime)";
}

}  // namespace sgmm::bench
