#include "cpu/thread_pool.hpp"

#include <immintrin.h>
#include <x86intrin.h>
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

// A worker that finished its own share within this many time-stamp
// counter ticks (10 to 40 us at 1.5 to 6 GHz; a clock call would cost more
// than it saves here) does not look at the others': the caller, who
// started first, is about done too, and the look (a cache line from the
// other core) would make the worker late for the next job. Past it, a share
// that stalled is worth the look.
constexpr uint64_t kLookAfterTicks = 60000;

// Counters hold a generation (its low 40 bits) above an item count.
constexpr int kItemBits = 24;
constexpr uint64_t kItemMask = (uint64_t{1} << kItemBits) - 1;
constexpr uint64_t kGenerationMask = (uint64_t{1} << (64 - kItemBits)) - 1;
// The most items one job numbers; run() cuts a larger count into jobs.
constexpr int64_t kMaxJobItems = int64_t{1} << (kItemBits - 1);

uint64_t pack(uint64_t generation, int64_t items) {
  return ((generation & kGenerationMask) << kItemBits) | static_cast<uint64_t>(items);
}
uint64_t generation_of(uint64_t value) { return value >> kItemBits; }
int64_t items_of(uint64_t value) { return static_cast<int64_t>(value & kItemMask); }
// Whether `counter` is an older generation than `job` (both masked); a
// thread never falls 2^39 jobs behind.
bool older(uint64_t counter, uint64_t job) {
  const uint64_t behind = (job - counter) & kGenerationMask;
  return behind != 0 && behind < (kGenerationMask >> 1);
}

// Asks for a cache line in the state a write needs (a hint; no fault).
inline void prefetch_for_write(const void* line) {
  __asm__ volatile("prefetchw %0" : : "m"(*static_cast<const char*>(line)));
}

int initial_thread_count() {
  if (const char* env = std::getenv("SGMM_NUM_THREADS"); env != nullptr) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value >= 1 && value <= 1024) return static_cast<int>(value);
  }
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores >= 1 ? static_cast<int>(cores) : 1;
}

// One job's worth of a larger count: its items offset by `first`.
struct Slice {
  ThreadPool::RangeFn fn;
  void* context;
  int64_t first;
};
void run_slice(void* context, int64_t first, int64_t last, int thread_index) {
  const Slice& slice = *static_cast<const Slice*>(context);
  slice.fn(slice.context, slice.first + first, slice.first + last, thread_index);
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
  // Fresh counters read as generation 0: older than any job to come.
  claims_ = std::make_unique<Counter[]>(static_cast<size_t>(num_threads));
  finished_ = std::make_unique<Counter[]>(static_cast<size_t>(num_threads));
  workers_.reserve(num_threads - 1);
  // A new worker must not read the generation itself: by the time it runs,
  // the caller may have published the next job, which it would then miss.
  const uint64_t current = generation_ & kGenerationMask;
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

ThreadPool::JobView ThreadPool::read_job() const {
  // The fields may already be the next job's when this job is over; then
  // every claim fails and they are never used. A claim that succeeds proves
  // the job still runs, and the caller rewrites the fields only once its job
  // has finished.
  const uint64_t published = job_.published.load(std::memory_order_acquire);
  JobView job;
  job.generation = generation_of(published);
  job.count = items_of(published);
  job.fn = job_.fn.load(std::memory_order_relaxed);
  job.context = job_.context.load(std::memory_order_relaxed);
  job.grain = job_.grain.load(std::memory_order_relaxed);
  return job;
}

int64_t ThreadPool::claim(int share, const JobView& job, int64_t* first) {
  const int threads = num_threads();
  const int64_t begin = job.count * share / threads;
  const int64_t size = job.count * (share + 1) / threads - begin;
  std::atomic<uint64_t>& counter = claims_[share].value;
  uint64_t value = counter.load(std::memory_order_acquire);
  for (;;) {
    int64_t taken = 0;
    if (generation_of(value) == job.generation) {
      taken = items_of(value);
    } else if (!older(generation_of(value), job.generation)) {
      return 0;  // a later job's counter: this job is over
    }
    if (taken >= size) return 0;
    const int64_t take = std::min(job.grain, size - taken);
    if (counter.compare_exchange_weak(value, pack(job.generation, taken + take),
                                      std::memory_order_acq_rel, std::memory_order_acquire)) {
      *first = begin + taken;
      return take;
    }
  }
}

bool ThreadPool::worth_taking_from(int share, const JobView& job) const {
  const int threads = num_threads();
  const int64_t size = job.count * (share + 1) / threads - job.count * share / threads;
  const uint64_t report = finished_[share].value.load(std::memory_order_acquire);
  // An owner that has reported nothing of this job may be asleep: look. One
  // with at most its current run of items left will take them itself, and a
  // look would pull its claim counter away from it.
  if (generation_of(report) != job.generation) return true;
  return items_of(report) + job.grain < size;
}

int64_t ThreadPool::run_items(int thread_index, const JobView& job) {
  const int threads = num_threads();
  const uint64_t start = thread_index != 0 ? __rdtsc() : 0;
  int64_t ran = 0;
  for (int offset = 0; offset < threads; ++offset) {
    const int share = (thread_index + offset) % threads;
    if (offset > 0) {
      if (thread_index != 0 && __rdtsc() - start < kLookAfterTicks) break;
      if (!worth_taking_from(share, job)) continue;
    }
    int64_t first = 0;
    while (const int64_t count = claim(share, job, &first)) {
      job.fn(job.context, first, first + count, thread_index);
      ran += count;
      finished_[thread_index].value.store(pack(job.generation, ran), std::memory_order_release);
    }
  }
  return ran;
}

void ThreadPool::worker_loop(int thread_index, uint64_t seen) {
  for (;;) {
    // Poll for a new job, then sleep until one comes. seq_cst: pairs with
    // the caller's publication (see run_job).
    auto published = [&] { return generation_of(job_.published.load()) != seen; };
    const auto spin_start = std::chrono::steady_clock::now();
    uint32_t polls = 0;
    for (;;) {
      if (published() || stopping_.load(std::memory_order_relaxed)) break;
      // The caller reads this thread's claim counter when it looks for
      // items left, and its progress report when it waits for a job's end:
      // take both lines back before the next job writes them (the report
      // later, once the caller has read the last one). A report store
      // waiting for its line held up the next claim (a locked instruction).
      if ((polls & 255u) == 0) prefetch_for_write(&claims_[thread_index]);
      if ((polls & 255u) == 255u) prefetch_for_write(&finished_[thread_index]);
      _mm_pause();
      if ((++polls & 63u) == 0 &&
          std::chrono::steady_clock::now() - spin_start > kSpinBeforeSleep) {
        std::unique_lock<std::mutex> lock(sleep_mutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, [&] { return published() || stopping_.load(); });
        sleepers_.fetch_sub(1);
        break;
      }
    }
    if (stopping_.load()) return;
    const JobView job = read_job();
    seen = job.generation;
    run_items(thread_index, job);
  }
}

void ThreadPool::run_job(int64_t count, RangeFn fn, void* context, int64_t grain) {
  const uint64_t generation = ++generation_ & kGenerationMask;
  job_.fn.store(fn, std::memory_order_relaxed);
  job_.context.store(context, std::memory_order_relaxed);
  job_.grain.store(grain, std::memory_order_relaxed);
  // seq_cst pairs with the sleeper's increment of sleepers_: either the
  // sleeper sees the new job, or this thread sees the sleeper.
  job_.published.store(pack(generation, count));
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    wake_.notify_all();
  }
  const JobView job{generation, count, fn, context, grain};
  const int64_t ran = run_items(0, job);
  // Every item is claimed; wait until the workers that took some report
  // them finished. A worker that never woke took none.
  const int threads = num_threads();
  uint32_t polls = 0;
  for (;;) {
    int64_t total = ran;
    for (int t = 1; t < threads; ++t) {
      const uint64_t report = finished_[t].value.load(std::memory_order_acquire);
      if (generation_of(report) == generation) total += items_of(report);
    }
    if (total == count) return;
    _mm_pause();
    if ((++polls & 1023u) == 0) std::this_thread::yield();
  }
}

void ThreadPool::run(int64_t count, RangeFn fn, void* context, int64_t grain) {
  if (count <= 0) return;
  std::unique_lock<std::mutex> job_lock(run_mutex_, std::try_to_lock);
  if (!job_lock.owns_lock() || workers_.empty() || count == 1) {
    fn(context, 0, count, 0);
    return;
  }
  grain = std::max<int64_t>(grain, 1);
  if (count <= kMaxJobItems) {
    run_job(count, fn, context, grain);
    return;
  }
  for (int64_t first = 0; first < count; first += kMaxJobItems) {
    Slice slice{fn, context, first};
    run_job(std::min(kMaxJobItems, count - first), run_slice, &slice, grain);
  }
}

}  // namespace sgmm::cpu
