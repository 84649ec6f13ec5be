#pragma once
// The library's one thread pool. A job is a count of independent items; the
// calling thread and the workers take items from a shared counter until none
// is left. Workers spin briefly after a job, so a stream of small calls does
// not pay an OS wake-up each, then sleep.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sgmm::cpu {

class ThreadPool {
 public:
  // Runs items [first, last) of a job on thread `thread_index`.
  using RangeFn = void (*)(void* context, int64_t first, int64_t last, int thread_index);

  using PrepareThreadFn = void (*)();

  // The process-wide pool, sized from SGMM_NUM_THREADS or the online cores.
  static ThreadPool& instance();

  // prepare_worker (may be null) runs on each worker thread before its first
  // job: the driver sizes the thread's scratch there, so a worker joining
  // its first job late never allocates in the middle of steady-state calls.
  ThreadPool(int num_threads, PrepareThreadFn prepare_worker);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that run a job, the caller included.
  int num_threads() const { return num_threads_.load(std::memory_order_relaxed); }
  // Waits for a running job, then restarts the workers. num_threads >= 1.
  void set_num_threads(int num_threads);

  // Calls fn(context, first, last, thread_index) on ranges of at most
  // `grain` items that together cover [0, count) once, and returns when all
  // have returned (a range lets the caller set up once for many small
  // items). thread_index < num_threads() names the thread (0 is the
  // caller). The items are cut into one contiguous share per thread: each
  // thread runs its own share first, `grain` items at a time, then takes
  // what is left of the others'. Repeated calls thus
  // give each thread the same items (their data stays in that core's
  // cache), while a thread that is late or asleep holds nothing up. A call
  // made while another job runs (from another thread, or from inside an
  // item) runs its items on the calling thread alone, in one range.
  void run(int64_t count, RangeFn fn, void* context, int64_t grain = 1);

 private:
  void start_workers(int num_threads);
  void stop_workers();
  void worker_loop(int thread_index, uint64_t seen_generation);
  void run_items(int thread_index);

  PrepareThreadFn prepare_worker_ = nullptr;
  std::atomic<int> num_threads_{1};
  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // one job at a time

  // The current job; written by the caller before it publishes the job.
  RangeFn fn_ = nullptr;
  void* context_ = nullptr;
  int64_t grain_ = 1;
  // One share of the items per thread, each on its own cache line.
  struct alignas(64) Share {
    std::atomic<int64_t> next{0};
    int64_t end = 0;
  };
  std::unique_ptr<Share[]> shares_;
  std::atomic<uint64_t> generation_{0};
  // Who may still touch the current job: its generation (bits 33-63), a
  // closed flag (bit 32) and the number of workers inside it (bits 0-31).
  // A worker joins only an open job of the generation it saw; the caller
  // closes the job once the items run out and waits only for workers that
  // joined, never for one still waking up.
  std::atomic<uint64_t> job_state_{0};
  std::atomic<bool> stopping_{false};

  // Sleeping workers wait here; sleepers_ lets the caller skip the lock
  // when every worker is still spinning.
  std::mutex sleep_mutex_;
  std::condition_variable wake_;
  std::atomic<int> sleepers_{0};
};

}  // namespace sgmm::cpu
