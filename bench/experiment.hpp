#pragma once
// An experiment is one table of the report: a setting (dtype, direction,
// scale, threads, kernel, cache state) measured over the shape list for
// every contender that takes part.

#include <ostream>
#include <string>
#include <vector>

#include "bench_case.hpp"
#include "contender.hpp"
#include "fma_peak.hpp"
#include "timing.hpp"

namespace sgmm::bench {

struct ExperimentSpec {
  std::string id;     // "forward", "backward", ... (JSON key, command-line name)
  std::string title;  // the table's heading
  BenchDType dtype = BenchDType::f32;
  Direction direction = Direction::forward;
  double scale = kBenchScale;
  bool weight_transposed = false;  // see BenchCase
  // Shapes this experiment runs, of the run's list (empty: all of them).
  std::vector<std::string> only_shapes;
  int threads = 2;
  bool cold_cache = false;
  std::string sgmm_kernel;  // empty: sgmm's automatic choice
  bool sgmm_only = false;   // peers take no part (bfloat16, forced kernels, scale overhead)
  // The peak the "% of peak" column divides by.
  VectorIsa peak_isa = VectorIsa::avx512;
  PeakPrecision peak_precision = PeakPrecision::f32;
  // The experiment this one is compared with (ratio column): its sgmm
  // numbers are measured again right beside this one's, shape by shape, so
  // the ratio does not carry the drift of a shared machine between tables.
  std::string compare_with;
  // The fixed cost of a call: the table gives microseconds per call of a
  // 1x1x1x1 product (kCallShape) instead of GFLOP/s.
  bool per_call = false;
};

enum class Outcome { measured, wrong, skipped };

struct ContenderResult {
  std::string column;
  std::string variant;
  std::string tag;
  bool is_sgmm = false;
  // False for a contender that does less work (libxsmm without its scale).
  bool computes_same_result = true;
  Outcome outcome = Outcome::skipped;
  std::string note;  // why skipped, or the first wrong element
  double max_relative_error = 0;
  double tolerance = 0;
  Timing timing;
  double gflops = 0;
};

// A comparison's ratio, round by round (see ExperimentSpec::compare_with):
// sgmm's headline GFLOP/s over the same at the default setting, measured
// back to back in each of `rounds` rounds (0: not measured).
struct PairedRatio {
  int rounds = 0;
  double median = 0, low = 0, high = 0;
};

struct ShapeResult {
  BenchShape shape{};
  std::vector<ContenderResult> contenders;
  // With compare_with: sgmm measured at the default setting (float32, the
  // default scale, automatic kernel) in the same pass.
  std::vector<ContenderResult> baseline;
  PairedRatio paired;
};

struct ExperimentResult {
  ExperimentSpec spec;
  double peak_gflops = 0;
  std::vector<ShapeResult> shapes;
};

struct RunSettings {
  TimingPolicy timing;
  size_t cold_cache_bytes = size_t{64} << 20;  // twice a 32 MiB L3
};

ExperimentResult run_experiment(const ExperimentSpec& spec, const std::vector<BenchShape>& shapes,
                                ContenderList& contenders, const MachinePeaks& peaks,
                                const RunSettings& settings, std::ostream& progress);

// The best measured variant of a column for one shape, or null.
const ContenderResult* best_in_column(const ShapeResult& shape, const std::string& column);
// The sgmm number a table leads with: the public API when it was measured, else the driver.
const ContenderResult* headline_sgmm(const ShapeResult& shape);
// The fastest measured peer, or null. Counts libxsmm without its scale
// (less work than sgmm does): the bar the engine's issue sets.
const ContenderResult* best_peer(const ShapeResult& shape);
// The fastest measured peer that computes the same result as sgmm (the
// scale included), or null.
const ContenderResult* best_scaled_peer(const ShapeResult& shape);
// Columns in first-seen order.
std::vector<std::string> experiment_columns(const ExperimentResult& experiment);

}  // namespace sgmm::bench
