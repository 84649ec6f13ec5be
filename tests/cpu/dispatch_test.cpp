// Kernel dispatch and the runtime functions built on it.
#include "cpu/dispatch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cpu/cpu_features.hpp"
#include "sgmm/error.hpp"
#include "sgmm/runtime.hpp"
#include "sgmm/version.hpp"

namespace sgmm::cpu {
namespace {

TEST(Dispatch, ConfigurationsAreListedBestFirstEndingInGeneric) {
  const std::vector<std::string> names = kernel_config_names();
  ASSERT_EQ(names, (std::vector<std::string>{"avx512", "avx512_no_bf16", "avx2", "generic"}));
  EXPECT_TRUE(kernel_config_supported("generic"));
  EXPECT_FALSE(kernel_config_supported("sse9"));
}

TEST(Dispatch, SupportFollowsCpuFeatures) {
  const CpuFeatures& f = cpu_features();
  EXPECT_EQ(kernel_config_supported("avx2"), f.can_run_avx2());
  EXPECT_EQ(kernel_config_supported("avx512"), f.can_run_avx512());
  EXPECT_EQ(kernel_config_supported("avx512_no_bf16"), f.can_run_avx512());
  // A CPU that can run AVX-512 can run AVX2 (the list is ordered).
  if (kernel_config_supported("avx512")) {
    EXPECT_TRUE(kernel_config_supported("avx2"));
  }
}

TEST(Dispatch, ForcingChangesTheActiveConfigurationUntilReset) {
  const std::string automatic = active_kernel_config();
  force_kernel_config("generic");
  EXPECT_EQ(active_kernel_config(), "generic");
  reset_kernel_config();
  EXPECT_EQ(active_kernel_config(), automatic);
}

TEST(Dispatch, ForcingAnUnknownOrUnsupportedConfigurationThrows) {
  EXPECT_THROW(force_kernel_config("avx9000"), ValueError);
  for (const std::string& name : kernel_config_names()) {
    if (!kernel_config_supported(name)) {
      EXPECT_THROW(force_kernel_config(name), ValueError);
    }
  }
  reset_kernel_config();
}

TEST(Dispatch, ReasonsNameEveryConfigurationAndExactlyOneIsTaken) {
  const std::vector<std::string> reasons = dispatch_reasons();
  const std::vector<std::string> names = kernel_config_names();
  ASSERT_GE(reasons.size(), names.size());
  int taken = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(reasons[i].rfind(names[i] + ": ", 0), 0u) << reasons[i];
    if (reasons[i] == names[i] + ": taken") ++taken;
  }
  EXPECT_EQ(taken, 1);
}

TEST(Runtime, InfoReportsVersionKernelAndThreads) {
  const RuntimeInfo info = runtime_info();
  EXPECT_EQ(info.version, SGMM_VERSION);
  EXPECT_EQ(info.kernel, active_kernel_config());
  EXPECT_EQ(info.kernels, kernel_config_names());
  EXPECT_EQ(info.num_threads, get_num_threads());
  if (cpu_features().avx2) {
    EXPECT_NE(std::find(info.cpu_features.begin(), info.cpu_features.end(), "avx2"),
              info.cpu_features.end());
  }
}

TEST(Runtime, SetNumThreadsChangesThePoolAndRejectsZero) {
  const int saved = get_num_threads();
  set_num_threads(3);
  EXPECT_EQ(get_num_threads(), 3);
  set_num_threads(1);
  EXPECT_EQ(get_num_threads(), 1);
  EXPECT_THROW(set_num_threads(0), ValueError);
  EXPECT_EQ(get_num_threads(), 1);
  set_num_threads(saved);
  EXPECT_EQ(get_num_threads(), saved);
}

}  // namespace
}  // namespace sgmm::cpu
