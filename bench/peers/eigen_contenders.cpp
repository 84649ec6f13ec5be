// Eigen 3.4: a Map over each matrix of the batch and
// C.noalias() = scale * A * B, which Eigen folds into its GEMM's alpha.
// Eigen is built here without OpenMP, so each product runs on one thread
// and the batch is split over our threads (a batch of one runs on one
// thread: that is how Eigen is used without OpenMP). This file is compiled
// with -march=native, as an Eigen user would compile it; Eigen's kernels
// are chosen at compile time.

#include <Eigen/Core>
#include <memory>

#include "../batch_threads.hpp"
#include "../contender.hpp"

namespace sgmm::bench {

namespace {

template <typename T>
using RowMajorMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using ConstMatrixView = Eigen::Map<const RowMajorMatrix<T>>;
template <typename T>
using MatrixView = Eigen::Map<RowMajorMatrix<T>>;

template <typename T>
void compute_batch_range(const BenchCase& bench_case, const OperandSet& operands, int64_t begin,
                         int64_t end) {
  const BenchShape& s = bench_case.shape;
  const T scale = static_cast<T>(bench_case.scale);
  for (int64_t p = begin; p < end; ++p) {
    ConstMatrixView<T> input(static_cast<const T*>(operands.input) + p * s.m * s.k, s.m, s.k);
    const T* weight_data = static_cast<const T*>(operands.weight) + p * s.k * s.n;
    ConstMatrixView<T> weight(weight_data, s.k, s.n);
    if (bench_case.direction == Direction::forward) {
      MatrixView<T> out(static_cast<T*>(operands.out) + p * s.m * s.n, s.m, s.n);
      if (bench_case.weight_transposed) {
        // weight = K^T, K a row-major [n, k].
        out.noalias() = scale * input * ConstMatrixView<T>(weight_data, s.n, s.k).transpose();
      } else {
        out.noalias() = scale * input * weight;
      }
    } else {
      ConstMatrixView<T> grad_out(static_cast<const T*>(operands.grad_out) + p * s.m * s.n, s.m,
                                  s.n);
      MatrixView<T> grad_input(static_cast<T*>(operands.grad_input) + p * s.m * s.k, s.m, s.k);
      MatrixView<T> grad_weight(static_cast<T*>(operands.grad_weight) + p * s.k * s.n, s.k, s.n);
      grad_input.noalias() = scale * grad_out * weight.transpose();
      grad_weight.noalias() = scale * input.transpose() * grad_out;
    }
  }
}

class EigenContender final : public Contender {
 public:
  std::string column() const override { return "Eigen"; }
  std::string variant() const override {
    return "Map + noalias() = scale * A * B per matrix, batch split over threads";
  }
  std::string prepare(const BenchCase& bench_case, const OperandPool&) override {
    if (bench_case.dtype == BenchDType::bf16 || bench_case.dtype == BenchDType::f16) {
      return "16-bit types compare sgmm with itself only";
    }
    case_ = bench_case;
    threads_ = std::make_unique<BatchThreads>(bench_case.threads);
    return {};
  }
  void run(const OperandSet& operands) override {
    threads_->run(case_.shape.b, [&](int64_t begin, int64_t end) {
      if (case_.dtype == BenchDType::f32) {
        compute_batch_range<float>(case_, operands, begin, end);
      } else {
        compute_batch_range<double>(case_, operands, begin, end);
      }
    });
  }
  void release() override { threads_.reset(); }

 private:
  BenchCase case_;
  std::unique_ptr<BatchThreads> threads_;
};

}  // namespace

ContenderList make_eigen_contenders() {
  ContenderList list;
  list.push_back(std::make_unique<EigenContender>());
  return list;
}

std::string eigen_build_description() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
         "." + std::to_string(EIGEN_MINOR_VERSION) + ", " + Eigen::SimdInstructionSetsInUse();
}

}  // namespace sgmm::bench
