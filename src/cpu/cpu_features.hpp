#pragma once
// What this CPU and OS can run, read once from CPUID and XCR0, and the data
// cache sizes the block sizes are derived from.

#include <cstdint>
#include <string>
#include <vector>

namespace sgmm::cpu {

// Whose cores: some block sizes and path choices are tuned per vendor (BLIS's
// config/zen4 and config/skx), where the same cache sizes favour another choice.
enum class CpuVendor { intel, amd, other };

struct CpuFeatures {
  CpuVendor vendor = CpuVendor::other;
  // Instruction sets reported by CPUID.
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512dq = false;
  bool avx512vl = false;
  bool avx512_bf16 = false;
  bool avx512_vnni = false;
  // Whether the OS saves the registers on a context switch (XCR0): without
  // it the instructions exist but their registers are not preserved.
  bool os_saves_ymm = false;
  bool os_saves_zmm = false;
  // Per-core data caches and the shared last level, in bytes.
  int64_t l1d_bytes = 32 * 1024;
  int64_t l2_bytes = 1024 * 1024;
  int64_t l3_bytes = 8 * 1024 * 1024;

  bool can_run_avx2() const { return avx && avx2 && fma && f16c && os_saves_ymm; }
  bool can_run_avx512() const {
    return can_run_avx2() && avx512f && avx512bw && avx512dq && avx512vl && os_saves_zmm;
  }
  // Names of the features present, as runtime_info() lists them ("avx2", "fma", ...).
  std::vector<std::string> names() const;
};

// Detected once, on first use.
const CpuFeatures& cpu_features();

}  // namespace sgmm::cpu
