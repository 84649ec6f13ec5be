// The C++ side of the binding-overhead measurement: the same
// scaled_grouped_mm calls bench/overhead.js makes from JavaScript, timed the
// same way (median over repetitions of a batch of calls), so the difference
// is what the JavaScript binding adds per call.
//
//   overhead_bench [b m k n]...     (default: 32 10 64 10 and 16 128 256 128)
// prints one JSON line per shape: {"shape":[b,m,k,n],"us_per_call":...,"us_per_call_min":...,
// "cpu_us_per_call":...}: the median and the fastest repetition in wall time,
// and the median in process CPU time, which a busy machine disturbs least.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "sgmm/sgmm.hpp"

namespace {

constexpr int kRepetitions = 15;
// Each repetition runs about this long, so timer resolution does not matter.
constexpr double kTargetRepetitionSeconds = 0.05;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Timing {
  double median_us;
  double min_us;
  double cpu_median_us;
};

Timing microseconds_per_call(const sgmm::Tensor& input, const sgmm::Tensor& weight) {
  namespace F = sgmm::nn::functional;
  // Calibrate the number of calls per repetition.
  int calls = 1;
  for (;;) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) F::scaled_grouped_mm(input, weight, 0.125);
    double elapsed = seconds_since(start);
    if (elapsed > kTargetRepetitionSeconds / 4 || calls > (1 << 24)) {
      calls = std::max(1, static_cast<int>(calls * kTargetRepetitionSeconds / std::max(elapsed, 1e-9)));
      break;
    }
    calls *= 2;
  }
  std::vector<double> per_call;
  std::vector<double> cpu_per_call;
  for (int r = 0; r < kRepetitions; ++r) {
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu_start = std::clock();
    for (int i = 0; i < calls; ++i) F::scaled_grouped_mm(input, weight, 0.125);
    cpu_per_call.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / calls * 1e6);
    per_call.push_back(seconds_since(start) / calls * 1e6);
  }
  std::sort(per_call.begin(), per_call.end());
  std::sort(cpu_per_call.begin(), cpu_per_call.end());
  return {per_call[per_call.size() / 2], per_call.front(), cpu_per_call[cpu_per_call.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::vector<int64_t>> shapes;
  if (argc > 1) {
    if ((argc - 1) % 4 != 0) {
      std::fprintf(stderr, "usage: %s [b m k n]...\n", argv[0]);
      return 2;
    }
    for (int i = 1; i < argc; i += 4) {
      shapes.push_back({std::atoll(argv[i]), std::atoll(argv[i + 1]), std::atoll(argv[i + 2]),
                        std::atoll(argv[i + 3])});
    }
  } else {
    shapes = {{32, 10, 64, 10}, {16, 128, 256, 128}};
  }
  sgmm::manual_seed(0);
  for (const auto& s : shapes) {
    sgmm::Tensor input = sgmm::randn({s[0], s[1], s[2]});
    sgmm::Tensor weight = sgmm::randn({s[0], s[2], s[3]});
    Timing timing = microseconds_per_call(input, weight);
    std::printf(
        "{\"shape\":[%lld,%lld,%lld,%lld],\"us_per_call\":%.4f,\"us_per_call_min\":%.4f,\"cpu_us_per_call\":%.4f}\n",
        static_cast<long long>(s[0]), static_cast<long long>(s[1]), static_cast<long long>(s[2]),
        static_cast<long long>(s[3]), timing.median_us, timing.min_us, timing.cpu_median_us);
  }
  return 0;
}
