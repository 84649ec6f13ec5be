#include "cpu/thread_pool.hpp"

#include <immintrin.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "sgmm/error.hpp"

namespace sgmm::cpu {
namespace {

// How long a worker keeps polling for the next job before it sleeps. Long
// enough to bridge the gap between back-to-back calls of a loop, short
// enough not to hold a core that other processes want.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);

int initial_thread_count() {
  if (const char* env = std::getenv("SGMM_NUM_THREADS"); env != nullptr) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value >= 1 && value <= 1024) return static_cast<int>(value);
  }
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores >= 1 ? static_cast<int>(cores) : 1;
}

}  // namespace

ThreadPool& ThreadPool::instance() {
  // Never destroyed: workers must outlive any static object that calls gemm
  // during exit; the OS reclaims them.
  static ThreadPool* pool = new ThreadPool(initial_thread_count());
  return *pool;
}

ThreadPool::ThreadPool(int num_threads) { start_workers(num_threads); }

ThreadPool::~ThreadPool() { stop_workers(); }

void ThreadPool::set_num_threads(int num_threads) {
  SGMM_CHECK(num_threads >= 1, "set_num_threads: the number of threads must be >= 1, got ",
             num_threads);
  std::lock_guard<std::mutex> job_lock(run_mutex_);
  if (num_threads == this->num_threads()) return;
  stop_workers();
  start_workers(num_threads);
}

void ThreadPool::start_workers(int num_threads) {
  stopping_.store(false);
  num_threads_.store(num_threads, std::memory_order_relaxed);
  workers_.reserve(num_threads - 1);
  // A new worker must not read the generation itself: by the time it runs,
  // the caller may have published the next job, which it would then miss.
  const uint64_t current = generation_.load();
  for (int i = 1; i < num_threads; ++i) {
    workers_.emplace_back([this, i, current] { worker_loop(i, current); });
  }
}

void ThreadPool::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

void ThreadPool::run_items(int thread_index) {
  for (;;) {
    const int64_t item = next_item_.fetch_add(1, std::memory_order_relaxed);
    if (item >= count_) return;
    fn_(context_, item, thread_index);
  }
}

void ThreadPool::worker_loop(int thread_index, uint64_t seen) {
  for (;;) {
    // Poll for a new job, then sleep until one comes.
    auto spin_start = std::chrono::steady_clock::now();
    uint32_t polls = 0;
    for (;;) {
      if (generation_.load(std::memory_order_acquire) != seen || stopping_.load()) break;
      _mm_pause();
      if ((++polls & 63u) == 0 && std::chrono::steady_clock::now() - spin_start > kSpinBeforeSleep) {
        std::unique_lock<std::mutex> lock(sleep_mutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, [&] { return generation_.load() != seen || stopping_.load(); });
        sleepers_.fetch_sub(1);
        break;
      }
    }
    if (stopping_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    run_items(thread_index);
    workers_done_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::run(int64_t count, ItemFn fn, void* context) {
  if (count <= 0) return;
  std::unique_lock<std::mutex> job_lock(run_mutex_, std::try_to_lock);
  const int workers = static_cast<int>(workers_.size());
  if (!job_lock.owns_lock() || workers == 0 || count == 1) {
    for (int64_t item = 0; item < count; ++item) fn(context, item, 0);
    return;
  }
  fn_ = fn;
  context_ = context;
  count_ = count;
  next_item_.store(0, std::memory_order_relaxed);
  workers_done_.store(0, std::memory_order_relaxed);
  // seq_cst pairs with the sleeper's increment of sleepers_: either the
  // sleeper sees the new generation, or this thread sees the sleeper.
  generation_.fetch_add(1);
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    wake_.notify_all();
  }
  run_items(0);
  // Every worker acknowledges the job before the next one may overwrite it.
  uint32_t polls = 0;
  while (workers_done_.load(std::memory_order_acquire) < workers) {
    _mm_pause();
    if ((++polls & 1023u) == 0) std::this_thread::yield();
  }
}

}  // namespace sgmm::cpu
