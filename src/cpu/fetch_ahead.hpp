#pragma once
// A packed micro-kernel's fetches of what the driver packs next
// (KernelEpilogue::fetch, TypedGemmKernel::fetches_ahead).

#include <type_traits>

#include "cpu/microkernels.hpp"

namespace sgmm::cpu {
// Internal to each kernel file that includes it: those are compiled with
// different ISA flags, so no inline function may be shared between them.
namespace {

// KernelEpilogue::fetch's lines, asked for one per k step of a packed
// kernel: interleaved with the FMAs, where a burst of prefetches between
// kernel calls filled the core's miss buffers and stalled it. The weight
// gradient input^T @ grad_out of 64 x 2048 x 64 x 64 (its operands from
// memory), AVX-512, one thread, the API timed with rdtsc: 46-48 -> 61-63
// flop a TSC tick in float32, 22 -> 25 in float64.
class FetchAhead {
 public:
  explicit FetchAhead(const KernelEpilogue& epilogue)
      : at_{epilogue.fetch[0], epilogue.fetch[1]},
        end_{epilogue.fetch_end[0], epilogue.fetch_end[1]} {}

  bool any() const { return at_[0] < end_[0] || at_[1] < end_[1]; }

  // The next line of the first range not yet done, into L2.
  inline __attribute__((always_inline)) void next_line() {
    if (at_[0] < end_[0]) {
      __builtin_prefetch(at_[0], 0, 2);
      at_[0] += 64;
    } else if (at_[1] < end_[1]) {
      __builtin_prefetch(at_[1], 0, 2);
      at_[1] += 64;
    }
  }

 private:
  const char* at_[2];
  const char* end_[2];
};

// Runs a packed kernel's loop as loop(fetch, std::true_type()) when the
// epilogue has lines to fetch, else as loop(fetch, std::false_type()): the
// loop compiled with the fetches and without, since their test in every
// step cost 1x2048^3 and 4x1024^3 a few percent. The loop calls
// fetch.next_line() once a step when its second argument is true.
template <typename Loop>
inline __attribute__((always_inline)) void with_fetch_ahead(const KernelEpilogue& epilogue,
                                                            Loop&& loop) {
  FetchAhead fetch(epilogue);
  if (fetch.any()) {
    loop(fetch, std::true_type());
  } else {
    loop(fetch, std::false_type());
  }
}

}  // namespace
}  // namespace sgmm::cpu
