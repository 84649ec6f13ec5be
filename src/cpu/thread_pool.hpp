#pragma once
// The library's one thread pool. A job is a count of independent items; the
// calling thread and the workers take items from per-thread shares until
// none is left. Workers spin briefly after a job, so a stream of small calls
// does not pay an OS wake-up each, then sleep.

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
  // what is left of the others'. Repeated calls thus give each thread the
  // same items (their data stays in that core's cache), while a thread
  // that is late or asleep holds nothing up. A call made while another job
  // runs (from another thread, or from inside an item) runs its items on
  // the calling thread alone, in one range.
  void run(int64_t count, RangeFn fn, void* context, int64_t grain = 1);

 private:
  // What a thread knows of a job.
  struct JobView {
    uint64_t generation;  // its low kGenerationBits bits
    int64_t count;
    RangeFn fn;
    void* context;
    int64_t grain;
  };

  void start_workers(int num_threads);
  void stop_workers();
  void worker_loop(int thread_index, uint64_t seen_generation);
  void run_job(int64_t count, RangeFn fn, void* context, int64_t grain);
  JobView read_job() const;
  // Claims up to `grain` items of thread `share`'s share; returns how many,
  // the first at *first, or 0 when the share (or the job) is done.
  int64_t claim(int share, const JobView& job, int64_t* first);
  // Whether the owner of `share` may have items it has not yet claimed.
  bool worth_taking_from(int share, const JobView& job) const;
  // Runs items of the job, own share first, and returns how many it ran.
  int64_t run_items(int thread_index, const JobView& job);

  PrepareThreadFn prepare_worker_ = nullptr;
  std::atomic<int> num_threads_{1};
  std::vector<std::thread> workers_;
  // The caller writes these on every job; alone on their line, so that a
  // worker reading num_threads_ does not wait for the line to come back.
  alignas(64) std::mutex run_mutex_;  // one job at a time
  uint64_t generation_ = 0;  // jobs published so far (under run_mutex_)

  // Each cache line below changes hands between cores a few times per job.
  // A VM's two cores may sit on different dies, where each hand-over costs
  // several hundred cycles against a few thousand for a whole small job, so
  // the layout keeps them few: a job is one line (its fields, then the
  // generation and count that workers poll, written last); each thread's
  // claim counter and progress report are lines of their own.
  struct alignas(64) Job {
    std::atomic<RangeFn> fn{nullptr};
    std::atomic<void*> context{nullptr};
    std::atomic<int64_t> grain{1};
    // The job's generation above its item count (as in a Counter): one
    // load gives a worker both, always of the same job.
    std::atomic<uint64_t> published{0};
  };
  // A generation above an item count. A claim counter holds how many items
  // of its share have been taken in that generation; one of an older
  // generation reads as none taken, so the caller never resets another
  // thread's counter. A progress report holds how many items its thread
  // has finished in that generation.
  struct alignas(64) Counter {
    std::atomic<uint64_t> value{0};
  };
  Job job_;
  std::unique_ptr<Counter[]> claims_;
  std::unique_ptr<Counter[]> finished_;
  std::atomic<bool> stopping_{false};

  // Sleeping workers wait here; sleepers_ lets the caller skip the lock
  // when every worker is still spinning.
  std::mutex sleep_mutex_;
  std::condition_variable wake_;
  std::atomic<int> sleepers_{0};
};

}  // namespace sgmm::cpu
