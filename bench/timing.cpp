#include "timing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

namespace sgmm::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A sample shorter than this is dominated by clock reads and scheduling
// jitter, so tiny shapes repeat the call within one sample.
constexpr double kMinSampleSeconds = 1e-3;
// Sampling stops after this many times the target, even short of the
// planned samples.
constexpr double kGiveUpFactor = 4.0;
// OpenBLAS's idle workers spin for about 2^28 cycles before sleeping.
constexpr auto kSettleTime = std::chrono::milliseconds(150);

}  // namespace

void let_worker_threads_settle() { std::this_thread::sleep_for(kSettleTime); }

Timing time_calls(const std::function<void(int64_t)>& call, const TimingPolicy& policy) {
  int64_t next_call = 0;
  // Estimate the time of one call: a few rounds, each long enough to time,
  // keeping the fastest. A round that another process interrupted would
  // overstate the call and leave the samples too short to time well.
  constexpr int kEstimateRounds = 5;
  double per_call = 0;
  double estimate_seconds = 0;
  std::vector<double> single_call_rounds;  // rounds of one call: already samples of a slow call
  for (int round = 0; round < kEstimateRounds; ++round) {
    int64_t calls = 0;
    const Clock::time_point start = Clock::now();
    double elapsed = 0;
    do {
      call(next_call++);
      ++calls;
      elapsed = seconds_since(start);
    } while (elapsed < kMinSampleSeconds);
    if (calls == 1) single_call_rounds.push_back(elapsed);
    const double round_per_call = elapsed / static_cast<double>(calls);
    per_call = round == 0 ? round_per_call : std::min(per_call, round_per_call);
    estimate_seconds += elapsed;
    // Slow calls (large shapes) need no more rounds than the budget allows;
    // two rounds at least, so one interrupted round cannot decide alone.
    if (round >= 1 && estimate_seconds > 0.25 * policy.target_seconds) break;
  }

  Timing timing;
  const double budget = std::max(policy.target_seconds - estimate_seconds, 0.0);
  const double sample_seconds =
      std::max(kMinSampleSeconds, budget / static_cast<double>(policy.max_samples));
  timing.calls_per_sample = std::max<int64_t>(1, std::llround(sample_seconds / per_call));
  const double one_sample = per_call * static_cast<double>(timing.calls_per_sample);
  const int planned = std::clamp(static_cast<int>(budget / one_sample), policy.min_samples,
                                 policy.max_samples);

  std::vector<double> per_call_times;
  if (timing.calls_per_sample == 1) per_call_times = single_call_rounds;
  // A call that another process slowed down a hundredfold must not hold the
  // whole run: past this, the samples taken so far are the measurement.
  const double give_up_seconds = kGiveUpFactor * policy.target_seconds;
  const Clock::time_point sampling_start = Clock::now();
  while (static_cast<int>(per_call_times.size()) < planned) {
    const Clock::time_point start = Clock::now();
    for (int64_t c = 0; c < timing.calls_per_sample; ++c) call(next_call++);
    const double sample = seconds_since(start);
    per_call_times.push_back(sample / static_cast<double>(timing.calls_per_sample));
    // An estimate that an interruption inflated makes samples too short to
    // time well: lengthen the following ones.
    if (sample < 0.5 * kMinSampleSeconds) timing.calls_per_sample *= 2;
    if (seconds_since(sampling_start) > give_up_seconds) break;
  }
  std::sort(per_call_times.begin(), per_call_times.end());
  const size_t n = per_call_times.size();
  timing.samples = static_cast<int>(n);
  timing.median_seconds = n % 2 == 1 ? per_call_times[n / 2]
                                     : 0.5 * (per_call_times[n / 2 - 1] + per_call_times[n / 2]);
  timing.min_seconds = per_call_times.front();
  return timing;
}

}  // namespace sgmm::bench
