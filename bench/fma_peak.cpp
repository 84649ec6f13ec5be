#include "fma_peak.hpp"

#include <immintrin.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

namespace sgmm::bench {

namespace {

// Independent accumulator chains per thread. An FMA has a latency of 4
// cycles and up to 2 issue per cycle, so at least 8 chains must be in
// flight; 12 leaves margin, and 12 chains plus the two constants fit the
// 16 ymm registers of AVX2 without a spill.
constexpr int kChains = 12;
// The multiplier and addend keep every chain near 1: no overflow, no
// denormals (which would slow the loop down and understate the peak).
constexpr float kMultiplierF32 = 0.9999999f;
constexpr float kAddendF32 = 1e-7f;
constexpr double kMultiplierF64 = 0.9999999999;
constexpr double kAddendF64 = 1e-10;

// Each returns a value that depends on every chain, so none is optimised away.
__attribute__((target("avx512f"))) double fma_chains_f32_avx512(long iterations) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(1.0f + static_cast<float>(c));
  const __m512 a = _mm512_set1_ps(kMultiplierF32);
  const __m512 b = _mm512_set1_ps(kAddendF32);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  }
  __m512 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
  // Stored and summed by hand: GCC 12's _mm512_reduce_add_* trips -Wuninitialized.
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  double total = 0;
  for (float lane : lanes) total += lane;
  return total;
}

__attribute__((target("avx512f"))) double fma_chains_f64_avx512(long iterations) {
  __m512d acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_pd(1.0 + c);
  const __m512d a = _mm512_set1_pd(kMultiplierF64);
  const __m512d b = _mm512_set1_pd(kAddendF64);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_pd(acc[c], a, b);
  }
  __m512d sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_pd(sum, acc[c]);
  alignas(64) double lanes[8];
  _mm512_store_pd(lanes, sum);
  double total = 0;
  for (double lane : lanes) total += lane;
  return total;
}

__attribute__((target("avx2,fma"))) double fma_chains_f32_avx2(long iterations) {
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(1.0f + static_cast<float>(c));
  const __m256 a = _mm256_set1_ps(kMultiplierF32);
  const __m256 b = _mm256_set1_ps(kAddendF32);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  }
  __m256 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm256_add_ps(sum, acc[c]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  double total = 0;
  for (float lane : lanes) total += lane;
  return total;
}

__attribute__((target("avx2,fma"))) double fma_chains_f64_avx2(long iterations) {
  __m256d acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_pd(1.0 + c);
  const __m256d a = _mm256_set1_pd(kMultiplierF64);
  const __m256d b = _mm256_set1_pd(kAddendF64);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_pd(acc[c], a, b);
  }
  __m256d sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm256_add_pd(sum, acc[c]);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

using FmaChains = double (*)(long);

struct PeakKernel {
  FmaChains chains;
  double flops_per_iteration;  // chains * lanes * 2 (an FMA is two operations)
};

PeakKernel peak_kernel(VectorIsa isa, PeakPrecision precision) {
  const int vector_bytes = isa == VectorIsa::avx512 ? 64 : 32;
  const int lanes = vector_bytes / (precision == PeakPrecision::f32 ? 4 : 8);
  const double flops = 2.0 * kChains * lanes;
  if (isa == VectorIsa::avx512) {
    return {precision == PeakPrecision::f32 ? fma_chains_f32_avx512 : fma_chains_f64_avx512, flops};
  }
  return {precision == PeakPrecision::f32 ? fma_chains_f32_avx2 : fma_chains_f64_avx2, flops};
}


// Keeps the compiler from dropping the chains' results.
std::atomic<double> g_fma_sink{0};

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Runs `threads` threads of `iterations` FMA chains at once and returns the
// sum of their rates in iterations per second, each rate over the CPU time
// of its own thread. CPU time, not wall time: on a machine shared with other
// work a thread is descheduled now and then, and the peak is what a core
// delivers while it runs, not how much of the core this process was given.
double run_team(FmaChains chains, long iterations, int threads) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<double> rates(threads, 0.0);
  std::vector<std::thread> team;
  for (int t = 0; t < threads; ++t) {
    team.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      const double start = thread_cpu_seconds();
      g_fma_sink.store(chains(iterations), std::memory_order_relaxed);
      rates[t] = static_cast<double>(iterations) / (thread_cpu_seconds() - start);
    });
  }
  while (ready.load() != threads) std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (std::thread& member : team) member.join();
  double total = 0;
  for (double rate : rates) total += rate;
  return total;
}

}  // namespace

const char* vector_isa_name(VectorIsa isa) { return isa == VectorIsa::avx512 ? "avx512" : "avx2"; }

bool vector_isa_supported(VectorIsa isa) {
  __builtin_cpu_init();
  if (isa == VectorIsa::avx512) return __builtin_cpu_supports("avx512f");
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

double measure_fma_peak_gflops(VectorIsa isa, PeakPrecision precision, int threads,
                               double seconds) {
  if (!vector_isa_supported(isa) || threads < 1) return 0;
  const PeakKernel kernel = peak_kernel(isa, precision);
  // Calibrate on one thread: grow the iteration count until a run lasts
  // about 10 ms, then scale it to the requested duration.
  constexpr double kCalibrationSeconds = 0.01;
  long iterations = 1000;
  for (;;) {
    const double seconds_per_run = static_cast<double>(iterations) / run_team(kernel.chains, iterations, 1);
    if (seconds_per_run >= kCalibrationSeconds) break;
    iterations *= 4;
  }
  // Several short repeats, keeping the best: a repeat that shared its core
  // with an interrupt or a cache-thrashing neighbour reads low.
  constexpr int kRepeats = 8;
  iterations = std::max<long>(
      1, static_cast<long>(static_cast<double>(iterations) * seconds /
                           (kCalibrationSeconds * kRepeats)));
  double best = 0;
  for (int r = 0; r < kRepeats; ++r) {
    const double iterations_per_second = run_team(kernel.chains, iterations, threads);
    best = std::max(best, kernel.flops_per_iteration * iterations_per_second * 1e-9);
  }
  return best;
}

double MachinePeaks::get(VectorIsa isa, PeakPrecision precision, int threads) const {
  for (const PeakEntry& entry : entries) {
    if (entry.isa == isa && entry.precision == precision && entry.threads == threads) {
      return entry.gflops;
    }
  }
  return 0;
}

void MachinePeaks::keep_higher(const MachinePeaks& other) {
  for (PeakEntry& entry : entries) {
    entry.gflops =
        std::max(entry.gflops, other.get(entry.isa, entry.precision, entry.threads));
  }
}

MachinePeaks measure_machine_peaks(const std::vector<int>& thread_counts,
                                   double seconds_per_measurement) {
  MachinePeaks peaks;
  for (VectorIsa isa : {VectorIsa::avx512, VectorIsa::avx2}) {
    for (PeakPrecision precision : {PeakPrecision::f32, PeakPrecision::f64}) {
      for (int threads : thread_counts) {
        peaks.entries.push_back({isa, precision, threads,
                                 measure_fma_peak_gflops(isa, precision, threads,
                                                         seconds_per_measurement)});
      }
    }
  }
  return peaks;
}

std::string cpu_model_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

double one_minute_load_average() {
  std::ifstream loadavg("/proc/loadavg");
  double load = -1;
  if (!(loadavg >> load)) return -1;
  return load;
}

}  // namespace sgmm::bench
