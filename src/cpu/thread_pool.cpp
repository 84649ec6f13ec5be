#include "cpu/thread_pool.hpp"

#include <immintrin.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "cpu/gemm_driver.hpp"
#include "sgmm/error.hpp"

namespace sgmm::cpu {
namespace {

// How long a worker keeps polling for the next job before it sleeps. Long
// enough to bridge the gap between back-to-back calls of a loop, short
// enough not to hold a core that other processes want.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);

constexpr uint64_t kJobClosed = uint64_t{1} << 32;
constexpr uint64_t kJobMembers = kJobClosed - 1;
constexpr int kJobGenerationShift = 33;

uint64_t open_job_state(uint64_t generation) { return generation << kJobGenerationShift; }

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
  static ThreadPool* pool = new ThreadPool(initial_thread_count(), prepare_gemm_thread);
  return *pool;
}

ThreadPool::ThreadPool(int num_threads, PrepareThreadFn prepare_worker)
    : prepare_worker_(prepare_worker) {
  start_workers(num_threads);
}

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
  shares_ = std::make_unique<Share[]>(static_cast<size_t>(num_threads));
  workers_.reserve(num_threads - 1);
  // A new worker must not read the generation itself: by the time it runs,
  // the caller may have published the next job, which it would then miss.
  const uint64_t current = generation_.load();
  std::atomic<int> prepared{0};
  for (int i = 1; i < num_threads; ++i) {
    workers_.emplace_back([this, i, current, &prepared] {
      if (prepare_worker_ != nullptr) prepare_worker_();
      prepared.fetch_add(1, std::memory_order_release);
      worker_loop(i, current);
    });
  }
  // Return only once every worker is ready, so its preparation (which may
  // allocate) never lands inside a later call.
  while (prepared.load(std::memory_order_acquire) < num_threads - 1) std::this_thread::yield();
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
  const int threads = num_threads();
  for (int offset = 0; offset < threads; ++offset) {
    Share& share = shares_[(thread_index + offset) % threads];
    for (;;) {
      const int64_t first = share.next.fetch_add(grain_, std::memory_order_relaxed);
      if (first >= share.end) break;
      const int64_t last = std::min(first + grain_, share.end);
      fn_(context_, first, last, thread_index);
    }
  }
}

void ThreadPool::worker_loop(int thread_index, uint64_t seen) {
  for (;;) {
    // Poll for a new job, then sleep until one comes.
    const auto spin_start = std::chrono::steady_clock::now();
    uint32_t polls = 0;
    for (;;) {
      if (generation_.load(std::memory_order_acquire) != seen || stopping_.load()) break;
      _mm_pause();
      if ((++polls & 63u) == 0 &&
          std::chrono::steady_clock::now() - spin_start > kSpinBeforeSleep) {
        std::unique_lock<std::mutex> lock(sleep_mutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, [&] { return generation_.load() != seen || stopping_.load(); });
        sleepers_.fetch_sub(1);
        break;
      }
    }
    if (stopping_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    // Join the job of that generation if it is still open.
    const uint64_t expected_generation = open_job_state(seen) >> kJobGenerationShift;
    uint64_t state = job_state_.load(std::memory_order_acquire);
    bool joined = false;
    while ((state >> kJobGenerationShift) == expected_generation && (state & kJobClosed) == 0) {
      if (job_state_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel)) {
        joined = true;
        break;
      }
    }
    if (!joined) continue;
    run_items(thread_index);
    job_state_.fetch_sub(1, std::memory_order_release);
  }
}

void ThreadPool::run(int64_t count, RangeFn fn, void* context, int64_t grain) {
  if (count <= 0) return;
  std::unique_lock<std::mutex> job_lock(run_mutex_, std::try_to_lock);
  if (!job_lock.owns_lock() || workers_.empty() || count == 1) {
    fn(context, 0, count, 0);
    return;
  }
  fn_ = fn;
  context_ = context;
  grain_ = std::max<int64_t>(grain, 1);
  const int threads = num_threads();
  for (int t = 0; t < threads; ++t) {
    shares_[t].next.store(count * t / threads, std::memory_order_relaxed);
    shares_[t].end = count * (t + 1) / threads;
  }
  const uint64_t generation = generation_.load(std::memory_order_relaxed) + 1;
  job_state_.store(open_job_state(generation), std::memory_order_release);
  // seq_cst pairs with the sleeper's increment of sleepers_: either the
  // sleeper sees the new generation, or this thread sees the sleeper.
  generation_.store(generation);
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    wake_.notify_all();
  }
  run_items(0);
  // No item is left to start: close the job and wait for the workers that
  // joined to finish theirs.
  job_state_.fetch_or(kJobClosed, std::memory_order_acq_rel);
  uint32_t polls = 0;
  while ((job_state_.load(std::memory_order_acquire) & kJobMembers) != 0) {
    _mm_pause();
    if ((++polls & 1023u) == 0) std::this_thread::yield();
  }
}

}  // namespace sgmm::cpu
