// The thread pool: every item runs exactly once, whatever the grain and
// thread count, and calls from several threads at once all complete.
#include "cpu/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "sgmm/error.hpp"

namespace sgmm::cpu {
namespace {

struct Tally {
  std::vector<std::atomic<int>> runs;
  std::atomic<int> bad_thread_index{0};
  int num_threads = 0;
  explicit Tally(size_t n, int threads) : runs(n), num_threads(threads) {}
};

void count_items(void* context, int64_t first, int64_t last, int thread_index) {
  Tally& tally = *static_cast<Tally*>(context);
  for (int64_t item = first; item < last; ++item) {
    tally.runs[static_cast<size_t>(item)].fetch_add(1);
  }
  if (thread_index < 0 || thread_index >= tally.num_threads) tally.bad_thread_index.fetch_add(1);
}

TEST(ThreadPool, EveryItemRunsExactlyOnceForAnyGrainAndThreadCount) {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads, nullptr);
    ASSERT_EQ(pool.num_threads(), threads);
    for (int64_t count : {1, 2, 7, 64, 1000}) {
      for (int64_t grain : {1, 3, 16, 5000}) {
        Tally tally(static_cast<size_t>(count), threads);
        pool.run(count, count_items, &tally, grain);
        for (int64_t i = 0; i < count; ++i) {
          ASSERT_EQ(tally.runs[static_cast<size_t>(i)].load(), 1)
              << "item " << i << " of " << count << ", grain " << grain << ", " << threads
              << " threads";
        }
        EXPECT_EQ(tally.bad_thread_index.load(), 0);
      }
    }
  }
}

TEST(ThreadPool, ManyJobsInARowAfterResizing) {
  ThreadPool pool(2, nullptr);
  for (int round = 0; round < 3; ++round) {
    pool.set_num_threads(round % 2 == 0 ? 3 : 2);
    for (int job = 0; job < 2000; ++job) {
      Tally tally(5, pool.num_threads());
      pool.run(5, count_items, &tally);
      for (auto& r : tally.runs) ASSERT_EQ(r.load(), 1) << "round " << round << " job " << job;
    }
  }
}

// Jobs of very different sizes back to back, some items slow: a worker
// still inside one job, or reading the next as it is published, must
// never run an item twice or under the wrong job's numbering.
void count_items_some_slowly(void* context, int64_t first, int64_t last, int thread_index) {
  count_items(context, first, last, thread_index);
  for (int64_t item = first; item < last; ++item) {
    if (item % 7 == 3) {
      volatile int spin = 0;
      for (int i = 0; i < 2000; ++i) spin = spin + 1;
    }
  }
}

TEST(ThreadPool, JobsOfDifferentSizesBackToBack) {
  for (int threads : {2, 3}) {
    ThreadPool pool(threads, nullptr);
    for (int job = 0; job < 3000; ++job) {
      const int64_t count = job % 3 == 0 ? 500 : (job % 3 == 1 ? 2 : 37);
      Tally tally(static_cast<size_t>(count), threads);
      pool.run(count, count_items_some_slowly, &tally, job % 2 + 1);
      for (int64_t i = 0; i < count; ++i) {
        ASSERT_EQ(tally.runs[static_cast<size_t>(i)].load(), 1)
            << "job " << job << " item " << i << " of " << count;
      }
      EXPECT_EQ(tally.bad_thread_index.load(), 0);
    }
  }
}

TEST(ThreadPool, WorkersThatFellAsleepJoinLaterJobs) {
  ThreadPool pool(2, nullptr);
  for (int job = 0; job < 20; ++job) {
    // Longer than the workers' spin: each job starts with them asleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    Tally tally(64, 2);
    pool.run(64, count_items_some_slowly, &tally);
    for (auto& r : tally.runs) ASSERT_EQ(r.load(), 1) << "job " << job;
  }
}

// Millions of items in chunks: none lost or doubled at the chunk edges.
void mark_items(void* context, int64_t first, int64_t last, int) {
  auto* marks = static_cast<std::atomic<uint8_t>*>(context);
  for (int64_t item = first; item < last; ++item) {
    marks[item].fetch_add(1, std::memory_order_relaxed);
  }
}

TEST(ThreadPool, CountsBeyondOneJobRunEveryItemOnce) {
  ThreadPool pool(2, nullptr);
  const int64_t count = (int64_t{1} << 23) + 1000;
  std::vector<std::atomic<uint8_t>> marks(static_cast<size_t>(count));
  pool.run(count, mark_items, marks.data(), 4096);
  int64_t wrong = 0;
  for (auto& mark : marks) wrong += mark.load() != 1;
  EXPECT_EQ(wrong, 0);
}

TEST(ThreadPool, ConcurrentCallersAllComplete) {
  ThreadPool pool(2, nullptr);
  std::atomic<int> failures{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 3; ++c) {
    callers.emplace_back([&] {
      for (int job = 0; job < 300; ++job) {
        Tally tally(17, pool.num_threads());
        pool.run(17, count_items, &tally, 2);
        for (auto& r : tally.runs) {
          if (r.load() != 1) failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ThreadPool, RejectsZeroThreads) {
  ThreadPool pool(1, nullptr);
  EXPECT_THROW(pool.set_num_threads(0), ValueError);
  EXPECT_EQ(pool.num_threads(), 1);
}

}  // namespace
}  // namespace sgmm::cpu
