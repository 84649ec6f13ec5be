#pragma once
// The machine's floating-point peak, measured rather than taken from a
// datasheet: on a shared, virtualised 2-core machine the clock and the
// number of FMA units actually delivered are whatever they are today.

#include <string>
#include <vector>

namespace sgmm::bench {

enum class VectorIsa { avx512, avx2 };
enum class PeakPrecision { f32, f64 };

const char* vector_isa_name(VectorIsa isa);
bool vector_isa_supported(VectorIsa isa);

// GFLOP/s of `threads` threads, each running chains of independent FMAs on
// full vector registers for about `seconds` in all; the best of several
// repeats. Each thread's rate is over its own CPU time, so other work on
// the machine does not lower the peak.
// Zero when the ISA is not supported.
double measure_fma_peak_gflops(VectorIsa isa, PeakPrecision precision, int threads,
                               double seconds);

// Every peak the report needs, measured once per run.
struct PeakEntry {
  VectorIsa isa;
  PeakPrecision precision;
  int threads;
  double gflops;
};
struct MachinePeaks {
  std::vector<PeakEntry> entries;
  // Zero when not measured or not supported.
  double get(VectorIsa isa, PeakPrecision precision, int threads) const;
  // Keeps the higher of each entry and the same entry of `other`.
  void keep_higher(const MachinePeaks& other);
};
MachinePeaks measure_machine_peaks(const std::vector<int>& thread_counts,
                                   double seconds_per_measurement);

std::string cpu_model_name();
// The 1-minute load average, or -1 where /proc/loadavg cannot be read.
double one_minute_load_average();

}  // namespace sgmm::bench
