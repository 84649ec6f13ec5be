#pragma once
// A contender is one way of computing a case: sgmm through its public API,
// sgmm through its GEMM driver, or a peer library. The harness prepares it
// once per case (everything a library resolves from the shape: plans,
// primitives, JIT kernels, thread settings), checks its answer, then times
// run() alone.

#include <memory>
#include <string>
#include <vector>

#include "bench_case.hpp"

namespace sgmm::bench {

class Contender {
 public:
  virtual ~Contender() = default;
  // The table column this contender reports into. Variants of one library
  // share a column; the table keeps the faster one and names it.
  virtual std::string column() const = 0;
  // What exactly runs ("cblas_sgemm, threads over the batch").
  virtual std::string variant() const = 0;
  // A word that tells variants of one column apart in the table ("loop").
  virtual std::string tag() const { return {}; }
  // Whether it counts as a peer (the best-peer column picks among peers
  // that compute the same result as sgmm).
  virtual bool is_sgmm() const { return false; }
  // The scale its output carries: the case's scale, or 1 for a contender
  // that cannot apply one (then it does less work than the others and is
  // shown, never chosen as the best peer).
  virtual double applied_scale(const BenchCase& bench_case) const { return bench_case.scale; }
  // Resolves everything that depends only on the case, for every operand
  // copy. Returns an empty string when the case can run, else why not.
  virtual std::string prepare(const BenchCase& bench_case, const OperandPool& operands) = 0;
  // Computes the case on one operand copy. The only thing timed.
  virtual void run(const OperandSet& operands) = 0;
  // Drops what prepare() made (primitives, tensors, kernels).
  virtual void release() {}
};

using ContenderList = std::vector<std::unique_ptr<Contender>>;

// sgmm through sgmm::cpu::gemm (always built).
ContenderList make_sgmm_gemm_contenders();
// sgmm through sgmm::nn::functional::scaled_grouped_mm_out (built when the
// tensor and ops layers are, SGMM_BENCH_HAVE_TENSOR_API).
ContenderList make_sgmm_api_contenders();

// Each peer is defined in peers/<peer>.cpp, compiled only when CMake found
// the library (SGMM_BENCH_HAVE_<PEER>).
// Each also says which build of the library runs (version, configuration).
ContenderList make_openblas_contenders();
std::string openblas_build_description();
ContenderList make_onednn_contenders();
std::string onednn_build_description();
ContenderList make_libxsmm_contenders();
std::string libxsmm_build_description();
ContenderList make_eigen_contenders();
std::string eigen_build_description();

}  // namespace sgmm::bench
