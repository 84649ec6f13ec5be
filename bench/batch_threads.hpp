#pragma once
// A small persistent thread team for the peers that parallelise over the
// batch themselves (OpenBLAS with one thread per call, libxsmm, Eigen).
// Spawning threads per call would cost tens of microseconds, more than a
// whole attention-sized batch takes, and would measure the harness rather
// than the library.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sgmm::bench {

class BatchThreads {
 public:
  // threads - 1 helpers; the calling thread does the first share itself.
  explicit BatchThreads(int threads);
  ~BatchThreads();
  BatchThreads(const BatchThreads&) = delete;
  BatchThreads& operator=(const BatchThreads&) = delete;

  int size() const { return static_cast<int>(helpers_.size()) + 1; }
  // Calls body(begin, end) on one contiguous range of [0, count) per
  // thread and returns when every range is done.
  void run(int64_t count, const std::function<void(int64_t, int64_t)>& body);

 private:
  void helper_loop(int worker);
  void run_share(int worker);

  std::vector<std::thread> helpers_;
  const std::function<void(int64_t, int64_t)>* body_ = nullptr;
  int64_t count_ = 0;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};
};

}  // namespace sgmm::bench
