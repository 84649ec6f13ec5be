// Steady-state gemm calls allocate nothing: packing buffers are per thread
// and only grow, the job plan reuses its storage. This executable replaces
// the global operator new to count every allocation in the process.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "cpu/dispatch.hpp"
#include "cpu/gemm.hpp"
#include "sgmm/runtime.hpp"
#include "sgmm/sgmm.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

// The replacements below pair malloc with free by design; GCC cannot see
// that both operators are replaced together.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, std::align_val_t align) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const std::size_t a = static_cast<std::size_t>(align);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return ::operator new(size, align);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace sgmm::cpu {
namespace {

struct Problem {
  GemmDType dtype;
  int64_t batch, m, n, k;
};

class SteadyStateAllocationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SteadyStateAllocationTest, RepeatedCallsAllocateNothing) {
  if (!kernel_config_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run " << GetParam();
  force_kernel_config(GetParam());
  const Problem problems[] = {{GemmDType::f32, 1, 1, 1, 1},    {GemmDType::f32, 32, 10, 10, 64},
                              {GemmDType::f32, 3, 60, 70, 40}, {GemmDType::f32, 1, 30, 200, 600},
                              {GemmDType::f64, 2, 50, 70, 90}, {GemmDType::bf16, 2, 40, 50, 60},
                              {GemmDType::f16, 1, 30, 20, 10}};
  for (int threads : {1, 2}) {
    sgmm::set_num_threads(threads);
    for (const Problem& p : problems) {
      const size_t elem = p.dtype == GemmDType::f64 ? 8 : p.dtype == GemmDType::f32 ? 4 : 2;
      std::vector<unsigned char> a(p.batch * p.m * p.k * elem, 0), b(p.batch * p.k * p.n * elem, 0),
          c(p.batch * p.m * p.n * elem, 0);
      const GemmBatch batch{p.dtype,
                            p.batch,
                            p.m,
                            p.n,
                            p.k,
                            {a.data(), p.m * p.k, p.k, 1},
                            {b.data(), p.k * p.n, p.n, 1},
                            {c.data(), p.m * p.n, p.n, 1},
                            Epilogue{0.125, false}};
      // Warm up: the first calls on each thread size its buffers.
      for (int i = 0; i < 5; ++i) gemm(batch);
      const long before = allocations.load();
      for (int i = 0; i < 20; ++i) gemm(batch);
      EXPECT_EQ(allocations.load() - before, 0) << threads << " threads, batch " << p.batch << " m "
                                                << p.m << " n " << p.n << " k " << p.k;
    }
  }
  reset_kernel_config();
}

// The public out= call adds its checks and views on top of the engine, and
// allocates nothing either: attention's Q @ K^T with K^T a transposed view.
TEST(ApiAllocationTest, ScaledGroupedMMOutAllocatesNothing) {
  const Tensor queries = randn({32, 10, 64});
  const Tensor keys = randn({32, 10, 64});
  const Tensor keys_t = keys.transpose(1, 2);
  const Tensor weight = randn({32, 64, 10});
  Tensor out = empty({32, 10, 10});
  for (int threads : {1, 2}) {
    sgmm::set_num_threads(threads);
    for (int i = 0; i < 5; ++i) {
      nn::functional::scaled_grouped_mm_out(out, queries, keys_t, 0.125);
      nn::functional::scaled_grouped_mm_out(out, queries, weight, 1.0);
    }
    const long before = allocations.load();
    for (int i = 0; i < 20; ++i) {
      nn::functional::scaled_grouped_mm_out(out, queries, keys_t, 0.125);
      nn::functional::scaled_grouped_mm_out(out, queries, weight, 1.0);
    }
    EXPECT_EQ(allocations.load() - before, 0) << threads << " threads";
  }
}

INSTANTIATE_TEST_SUITE_P(EveryConfig, SteadyStateAllocationTest,
                         ::testing::ValuesIn(kernel_config_names()));

}  // namespace
}  // namespace sgmm::cpu
