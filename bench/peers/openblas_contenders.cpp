// OpenBLAS, two ways, because neither is always the faster:
//   - one multithreaded cblas_?gemm per matrix of the batch (OpenBLAS
//     splits each matrix over its threads; good for few large matrices);
//   - the batch split over our threads, each calling a single-threaded
//     cblas_?gemm (no per-call thread sync; good for many small matrices).
// alpha carries the scale, so OpenBLAS does the same work as sgmm.

#include <cblas.h>

#include <memory>

#include "../batch_threads.hpp"
#include "../contender.hpp"

namespace sgmm::bench {

namespace {

template <typename T>
void gemm_row_major(CBLAS_TRANSPOSE trans_a, CBLAS_TRANSPOSE trans_b, int64_t m, int64_t n,
                    int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                    int64_t ldc) {
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, 0.0f, c, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, 0.0, c, ldc);
  }
}

// Computes batch items [begin, end) of the case with one BLAS call per product.
template <typename T>
void compute_batch_range(const BenchCase& bench_case, const OperandSet& operands, int64_t begin,
                         int64_t end) {
  const BenchShape& s = bench_case.shape;
  const T alpha = static_cast<T>(bench_case.scale);
  const T* input = static_cast<const T*>(operands.input);
  const T* weight = static_cast<const T*>(operands.weight);
  for (int64_t p = begin; p < end; ++p) {
    if (bench_case.direction == Direction::forward) {
      gemm_row_major<T>(CblasNoTrans, bench_case.weight_transposed ? CblasTrans : CblasNoTrans, s.m,
                        s.n, s.k, alpha, input + p * s.m * s.k, s.k, weight + p * s.k * s.n,
                        bench_case.weight_transposed ? s.k : s.n,
                        static_cast<T*>(operands.out) + p * s.m * s.n, s.n);
    } else {
      const T* grad_out = static_cast<const T*>(operands.grad_out) + p * s.m * s.n;
      // grad_input = grad_out @ weight^T, grad_weight = input^T @ grad_out.
      gemm_row_major<T>(CblasNoTrans, CblasTrans, s.m, s.k, s.n, alpha, grad_out, s.n,
                        weight + p * s.k * s.n, s.n,
                        static_cast<T*>(operands.grad_input) + p * s.m * s.k, s.k);
      gemm_row_major<T>(CblasTrans, CblasNoTrans, s.k, s.n, s.m, alpha, input + p * s.m * s.k,
                        s.k, grad_out, s.n,
                        static_cast<T*>(operands.grad_weight) + p * s.k * s.n, s.n);
    }
  }
}

std::string openblas_refusal(const BenchCase& bench_case) {
  if (bench_case.dtype == BenchDType::bf16 || bench_case.dtype == BenchDType::f16) {
    return std::string("OpenBLAS 0.3.21 from Debian has no ") + bench_dtype_name(bench_case.dtype) +
           " GEMM in its CBLAS";
  }
  return {};
}

class OpenBlasLoopContender final : public Contender {
 public:
  std::string column() const override { return "OpenBLAS"; }
  std::string variant() const override {
    return "loop over the batch, multithreaded cblas_?gemm per matrix";
  }
  std::string tag() const override { return "loop"; }
  std::string prepare(const BenchCase& bench_case, const OperandPool&) override {
    if (std::string refusal = openblas_refusal(bench_case); !refusal.empty()) return refusal;
    openblas_set_num_threads(bench_case.threads);
    case_ = bench_case;
    return {};
  }
  void run(const OperandSet& operands) override {
    if (case_.dtype == BenchDType::f32) {
      compute_batch_range<float>(case_, operands, 0, case_.shape.b);
    } else {
      compute_batch_range<double>(case_, operands, 0, case_.shape.b);
    }
  }

 private:
  BenchCase case_;
};

class OpenBlasBatchThreadsContender final : public Contender {
 public:
  std::string column() const override { return "OpenBLAS"; }
  std::string variant() const override {
    return "batch split over threads, single-threaded cblas_?gemm";
  }
  std::string tag() const override { return "batch"; }
  std::string prepare(const BenchCase& bench_case, const OperandPool&) override {
    if (std::string refusal = openblas_refusal(bench_case); !refusal.empty()) return refusal;
    openblas_set_num_threads(1);
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

ContenderList make_openblas_contenders() {
  ContenderList list;
  list.push_back(std::make_unique<OpenBlasLoopContender>());
  list.push_back(std::make_unique<OpenBlasBatchThreadsContender>());
  return list;
}

std::string openblas_build_description() {
  return std::string("OpenBLAS ") + openblas_get_config();
}

}  // namespace sgmm::bench
