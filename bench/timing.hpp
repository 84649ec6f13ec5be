#pragma once
// Median-of-samples timing. The machine has two cores shared with other
// work, so a single time is noise; the median of several samples, each long
// enough to dwarf the clock's resolution, is the number reported, with the
// fastest sample beside it.

#include <cstdint>
#include <functional>

namespace sgmm::bench {

struct TimingPolicy {
  double target_seconds = 0.3;  // roughly how long one measurement takes in all
  int min_samples = 3;  // unless a call is so slow that 4x target_seconds passes first
  int max_samples = 15;
};

struct Timing {
  double median_seconds = 0;  // per call
  double min_seconds = 0;     // per call, fastest sample
  int samples = 0;
  int64_t calls_per_sample = 0;  // of the last sample (doubled when samples came out too short)
};

// call(i) computes the i-th call (i picks the operand copy in the
// cold-cache mode). The caller has made one call already (the harness's
// correctness check), so the first timed call is not a cold one.
Timing time_calls(const std::function<void(int64_t)>& call, const TimingPolicy& policy);

// Sleeps long enough for the previous library's spinning worker threads
// (OpenBLAS spins ~0.1 s, OpenMP a few ms) to go to sleep, so that they do
// not take a core from the next measurement.
void let_worker_threads_settle();

}  // namespace sgmm::bench
