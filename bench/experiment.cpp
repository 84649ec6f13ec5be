#include "experiment.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>

#include "reference_check.hpp"

namespace sgmm::bench {

namespace {

// `settle`: wait for another library's spinning workers first (see
// let_worker_threads_settle).
ContenderResult measure_contender(Contender& contender, const BenchCase& bench_case,
                                  OperandPool& operands, const RunSettings& settings,
                                  bool settle) {
  ContenderResult result;
  result.column = contender.column();
  result.variant = contender.variant();
  result.tag = contender.tag();
  result.is_sgmm = contender.is_sgmm();
  result.computes_same_result = contender.applied_scale(bench_case) == bench_case.scale;
  try {
    operands.poison_outputs(bench_case);
    const std::string refusal = contender.prepare(bench_case, operands);
    if (!refusal.empty()) {
      result.outcome = Outcome::skipped;
      result.note = refusal;
      contender.release();
      return result;
    }
    contender.run(operands.set(0));
    const CheckResult check =
        check_against_float64(bench_case, operands.set(0), contender.applied_scale(bench_case));
    result.max_relative_error = check.max_relative_error;
    result.tolerance = check.tolerance;
    if (!check.passed) {
      result.outcome = Outcome::wrong;
      result.note = check.first_failure;
      contender.release();
      return result;
    }
    if (settle) let_worker_threads_settle();
    const size_t copies = operands.size();
    result.timing = time_calls(
        [&](int64_t call) { contender.run(operands.set(static_cast<size_t>(call) % copies)); },
        settings.timing);
    result.gflops = case_flops(bench_case) / result.timing.median_seconds * 1e-9;
    result.outcome = Outcome::measured;
  } catch (const std::exception& e) {
    result.outcome = Outcome::skipped;
    result.note = std::string("threw: ") + e.what();
  }
  contender.release();
  return result;
}

std::string format_gflops(double gflops) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f GFLOP/s", gflops);
  return text;
}

// Each contender is measured in this many rounds, the rounds of all the
// contenders of a shape interleaved, and keeps its fastest: on a shared
// machine a slow spell (a neighbour's load, the VM's two cores moved onto
// one) then lands on every contender's rounds alike instead of on one
// contender's whole measurement.
constexpr int kRounds = 3;
// A comparison (ExperimentSpec::compare_with) takes more, shorter rounds,
// the two settings back to back in each, the order alternating: the median
// of the rounds' ratios resolves a difference of a few percent that the
// ratio of two bests (each from its own slow or fast spell) does not.
constexpr int kPairedRounds = 9;

// One contender on one case; `result` is where its measurement goes.
struct Slot {
  Contender* contender;
  const BenchCase* bench_case;
  OperandPool* operands;
  ContenderResult* result;
  bool baseline = false;  // a comparison's default setting (ShapeResult::baseline)
};

// Measures every slot in `rounds` interleaved rounds, odd rounds in the
// reverse order, and gives each round's GFLOP/s per slot (0 where not
// measured). A wrong answer in any round makes the result wrong; a refusal
// or a throw ends the slot's rounds.
std::vector<std::vector<double>> measure_in_rounds(const std::vector<Slot>& slots,
                                                   const RunSettings& settings, int rounds) {
  RunSettings round_settings = settings;
  round_settings.timing.target_seconds = settings.timing.target_seconds / rounds;
  std::vector<bool> done(slots.size(), false);
  std::vector<std::vector<double>> round_gflops(slots.size(), std::vector<double>(rounds, 0.0));
  // sgmm after sgmm needs no settling: its workers spin for microseconds.
  bool after_sgmm = false;
  for (int round = 0; round < rounds; ++round) {
    for (size_t step = 0; step < slots.size(); ++step) {
      const size_t i = round % 2 == 0 ? step : slots.size() - 1 - step;
      if (done[i]) continue;
      const Slot& slot = slots[i];
      const bool settle = !(after_sgmm && slot.contender->is_sgmm());
      after_sgmm = slot.contender->is_sgmm();
      ContenderResult measured = measure_contender(*slot.contender, *slot.bench_case,
                                                   *slot.operands, round_settings, settle);
      ContenderResult& kept = *slot.result;
      if (measured.outcome != Outcome::measured) {
        kept = std::move(measured);
        done[i] = true;
        continue;
      }
      round_gflops[i][round] = measured.gflops;
      if (round == 0 || measured.gflops > kept.gflops) kept = std::move(measured);
    }
  }
  return round_gflops;
}

// The median and range of the rounds' ratios of sgmm's headline column to
// the same column at the default setting; empty if any round lacks one.
PairedRatio paired_ratio(const ShapeResult& shape, const std::vector<Slot>& slots,
                         const std::vector<std::vector<double>>& round_gflops) {
  PairedRatio paired;
  const ContenderResult* headline = headline_sgmm(shape);
  if (headline == nullptr) return paired;
  const std::vector<double>* setting = nullptr;
  const std::vector<double>* base = nullptr;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].contender->column() != headline->column) continue;
    (slots[i].baseline ? base : setting) = &round_gflops[i];
  }
  if (setting == nullptr || base == nullptr) return paired;
  std::vector<double> ratios;
  for (size_t r = 0; r < setting->size(); ++r) {
    if ((*setting)[r] <= 0 || (*base)[r] <= 0) return paired;
    ratios.push_back((*setting)[r] / (*base)[r]);
  }
  std::sort(ratios.begin(), ratios.end());
  paired.rounds = static_cast<int>(ratios.size());
  paired.low = ratios.front();
  paired.high = ratios.back();
  paired.median = ratios[ratios.size() / 2];
  return paired;
}

void print_result(const char* shape_name, const ContenderResult& result, std::ostream& progress) {
  char line[256];
  if (result.outcome == Outcome::measured) {
    std::snprintf(line, sizeof line, "  %-7s %-22s %9.2f GFLOP/s  (%d x %lld calls, err %.1e)",
                  shape_name, result.column.c_str(), result.gflops, result.timing.samples,
                  static_cast<long long>(result.timing.calls_per_sample),
                  result.max_relative_error);
  } else {
    std::snprintf(line, sizeof line, "  %-7s %-22s %s", shape_name, result.column.c_str(),
                  result.outcome == Outcome::wrong ? "WRONG RESULT" : "skipped");
  }
  progress << line;
  if (!result.note.empty()) progress << ": " << result.note;
  progress << std::endl;
}

BenchCase case_of(const ExperimentSpec& spec, const BenchShape& shape) {
  BenchCase bench_case;
  bench_case.shape = shape;
  bench_case.dtype = spec.dtype;
  bench_case.direction = spec.direction;
  bench_case.scale = spec.scale;
  bench_case.weight_transposed = spec.weight_transposed;
  bench_case.threads = spec.threads;
  bench_case.cold_cache = spec.cold_cache;
  bench_case.sgmm_kernel = spec.sgmm_kernel;
  return bench_case;
}

}  // namespace

ExperimentResult run_experiment(const ExperimentSpec& spec, const std::vector<BenchShape>& shapes,
                                ContenderList& contenders, const MachinePeaks& peaks,
                                const RunSettings& settings, std::ostream& progress) {
  ExperimentResult experiment;
  experiment.spec = spec;
  experiment.peak_gflops = peaks.get(spec.peak_isa, spec.peak_precision, spec.threads);
  progress << "== " << spec.title << std::endl;
  // The baseline of a comparison: sgmm at the default setting (on the same
  // threads), in the same rounds as the setting compared.
  ExperimentSpec defaults;
  defaults.threads = spec.threads;
  for (const BenchShape& shape : shapes) {
    const BenchCase bench_case = case_of(spec, shape);
    OperandPool operands(bench_case, settings.cold_cache_bytes);
    ShapeResult shape_result;
    shape_result.shape = shape;

    const BenchCase base_case = case_of(defaults, shape);
    const bool with_baseline = !spec.compare_with.empty();
    std::unique_ptr<OperandPool> base_operands;
    if (with_baseline) {
      base_operands = std::make_unique<OperandPool>(base_case, settings.cold_cache_bytes);
    }

    std::vector<Contender*> taking_part;
    std::vector<Contender*> baseline_part;
    for (const std::unique_ptr<Contender>& contender : contenders) {
      if (!spec.sgmm_only || contender->is_sgmm()) taking_part.push_back(contender.get());
      if (with_baseline && contender->is_sgmm()) baseline_part.push_back(contender.get());
    }
    shape_result.contenders.resize(taking_part.size());
    shape_result.baseline.resize(baseline_part.size());
    std::vector<Slot> slots;
    for (size_t i = 0; i < baseline_part.size(); ++i) {
      slots.push_back(
          {baseline_part[i], &base_case, base_operands.get(), &shape_result.baseline[i], true});
    }
    for (size_t i = 0; i < taking_part.size(); ++i) {
      slots.push_back({taking_part[i], &bench_case, &operands, &shape_result.contenders[i]});
    }
    const std::vector<std::vector<double>> round_gflops =
        measure_in_rounds(slots, settings, with_baseline ? kPairedRounds : kRounds);
    if (with_baseline) shape_result.paired = paired_ratio(shape_result, slots, round_gflops);

    for (const ContenderResult& result : shape_result.baseline) {
      progress << "  " << shape.name << "  " << result.column << " at the default setting: "
               << (result.outcome == Outcome::measured ? format_gflops(result.gflops) : "—")
               << std::endl;
    }
    for (const ContenderResult& result : shape_result.contenders) {
      print_result(shape.name, result, progress);
    }
    experiment.shapes.push_back(std::move(shape_result));
  }
  return experiment;
}

const ContenderResult* best_in_column(const ShapeResult& shape, const std::string& column) {
  const ContenderResult* best = nullptr;
  for (const ContenderResult& result : shape.contenders) {
    if (result.column != column || result.outcome != Outcome::measured) continue;
    if (best == nullptr || result.gflops > best->gflops) best = &result;
  }
  return best;
}

const ContenderResult* headline_sgmm(const ShapeResult& shape) {
  if (const ContenderResult* api = best_in_column(shape, "sgmm")) return api;
  return best_in_column(shape, "sgmm gemm");
}

namespace {

const ContenderResult* fastest_peer(const ShapeResult& shape, bool same_result_only) {
  const ContenderResult* best = nullptr;
  for (const ContenderResult& result : shape.contenders) {
    if (result.is_sgmm || result.outcome != Outcome::measured) continue;
    if (same_result_only && !result.computes_same_result) continue;
    if (best == nullptr || result.gflops > best->gflops) best = &result;
  }
  return best;
}

}  // namespace

const ContenderResult* best_peer(const ShapeResult& shape) { return fastest_peer(shape, false); }

const ContenderResult* best_scaled_peer(const ShapeResult& shape) {
  return fastest_peer(shape, true);
}

std::vector<std::string> experiment_columns(const ExperimentResult& experiment) {
  std::vector<std::string> columns;
  for (const ShapeResult& shape : experiment.shapes) {
    for (const ContenderResult& result : shape.contenders) {
      if (std::find(columns.begin(), columns.end(), result.column) == columns.end()) {
        columns.push_back(result.column);
      }
    }
  }
  return columns;
}

}  // namespace sgmm::bench
