#include "batch_threads.hpp"

#include <immintrin.h>

namespace sgmm::bench {

namespace {

// Helpers spin this many pause instructions (tens of microseconds) before
// sleeping: long enough that back-to-back timed calls never pay a wake-up,
// short enough that an idle team does not steal a core from the next
// library measured on this 2-core machine.
constexpr int kSpinPauses = 20000;

}  // namespace

BatchThreads::BatchThreads(int threads) {
  for (int worker = 1; worker < threads; ++worker) {
    helpers_.emplace_back([this, worker] { helper_loop(worker); });
  }
}

BatchThreads::~BatchThreads() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread& helper : helpers_) helper.join();
}

void BatchThreads::run_share(int worker) {
  const int64_t workers = size();
  const int64_t begin = count_ * worker / workers;
  const int64_t end = count_ * (worker + 1) / workers;
  if (begin < end) (*body_)(begin, end);
}

void BatchThreads::run(int64_t count, const std::function<void(int64_t, int64_t)>& body) {
  if (helpers_.empty()) {
    if (count > 0) body(0, count);
    return;
  }
  body_ = &body;
  count_ = count;
  pending_.store(static_cast<int>(helpers_.size()), std::memory_order_relaxed);
  {
    // Under the mutex, so a helper about to sleep cannot miss the new generation.
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  run_share(0);
  // Yield now and then: on a loaded machine a helper may be waiting for
  // this very core, and pure spinning would hold it off for a whole
  // scheduler time slice.
  for (uint32_t polls = 1; pending_.load(std::memory_order_acquire) != 0; ++polls) {
    _mm_pause();
    if (polls % 1024 == 0) std::this_thread::yield();
  }
}

void BatchThreads::helper_loop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    uint64_t current = generation_.load(std::memory_order_acquire);
    for (int spin = 0; current == seen && spin < kSpinPauses; ++spin) {
      _mm_pause();
      current = generation_.load(std::memory_order_acquire);
    }
    if (current == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      current = generation_.load(std::memory_order_acquire);
    }
    seen = current;
    if (stop_.load(std::memory_order_acquire)) return;
    run_share(worker);
    pending_.fetch_sub(1, std::memory_order_release);
  }
}

}  // namespace sgmm::bench
