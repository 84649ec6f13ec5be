#include "cpu/cpu_features.hpp"

#include <unistd.h>

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace sgmm::cpu {
namespace {

#if defined(__x86_64__) || defined(__i386__)
// XGETBV without -mxsave: the library proper is built for baseline x86-64.
uint64_t read_xcr0() {
  uint32_t eax = 0;
  uint32_t edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

void detect_instruction_sets(CpuFeatures* f) {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  unsigned max_leaf = __get_cpuid_max(0, nullptr);
  if (max_leaf < 1) return;
  // Leaf 0: the vendor string in EBX, EDX, ECX.
  __cpuid(0, eax, ebx, ecx, edx);
  char vendor[13] = {};
  std::memcpy(vendor, &ebx, 4);
  std::memcpy(vendor + 4, &edx, 4);
  std::memcpy(vendor + 8, &ecx, 4);
  if (std::strcmp(vendor, "GenuineIntel") == 0) f->vendor = CpuVendor::intel;
  if (std::strcmp(vendor, "AuthenticAMD") == 0) f->vendor = CpuVendor::amd;
  __cpuid_count(1, 0, eax, ebx, ecx, edx);
  const bool osxsave = (ecx >> 27) & 1u;
  f->fma = (ecx >> 12) & 1u;
  f->avx = (ecx >> 28) & 1u;
  f->f16c = (ecx >> 29) & 1u;
  if (osxsave) {
    const uint64_t xcr0 = read_xcr0();
    // Bits 1-2: SSE and AVX state; bits 5-7: opmask, upper ZMM0-15, ZMM16-31.
    f->os_saves_ymm = (xcr0 & 0x6u) == 0x6u;
    f->os_saves_zmm = f->os_saves_ymm && (xcr0 & 0xe0u) == 0xe0u;
  }
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const unsigned max_subleaf = eax;
    f->avx2 = (ebx >> 5) & 1u;
    f->avx512f = (ebx >> 16) & 1u;
    f->avx512dq = (ebx >> 17) & 1u;
    f->avx512bw = (ebx >> 30) & 1u;
    f->avx512vl = (ebx >> 31) & 1u;
    f->avx512_vnni = (ecx >> 11) & 1u;
    if (max_subleaf >= 1) {
      __cpuid_count(7, 1, eax, ebx, ecx, edx);
      f->avx512_bf16 = (eax >> 5) & 1u;
    }
  }
}
#else
void detect_instruction_sets(CpuFeatures*) {}
#endif

void detect_cache_sizes(CpuFeatures* f) {
  // glibc reads these from CPUID; a value of 0 or -1 means unknown, and the
  // defaults (typical of current x86 cores) stay.
  const long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE);
  const long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  if (l1 > 0) f->l1d_bytes = l1;
  if (l2 > 0) f->l2_bytes = l2;
  if (l3 > 0) f->l3_bytes = l3;
}

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
  detect_instruction_sets(&f);
  detect_cache_sizes(&f);
  return f;
}

}  // namespace

std::vector<std::string> CpuFeatures::names() const {
  std::vector<std::string> out;
  const std::pair<bool, const char*> table[] = {
      {avx, "avx"},
      {avx2, "avx2"},
      {fma, "fma"},
      {f16c, "f16c"},
      {avx512f, "avx512f"},
      {avx512bw, "avx512bw"},
      {avx512dq, "avx512dq"},
      {avx512vl, "avx512vl"},
      {avx512_bf16, "avx512_bf16"},
      {avx512_vnni, "avx512_vnni"},
  };
  for (const auto& [present, name] : table) {
    if (present) out.emplace_back(name);
  }
  return out;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect_cpu_features();
  return features;
}

}  // namespace sgmm::cpu
