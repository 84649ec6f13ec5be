// The portable configuration: C++ reference kernels, no ISA flags. It runs
// everywhere and is the yardstick the vector kernels are tested against.
#include <algorithm>

#include "cpu/kernel_config.hpp"

namespace sgmm::cpu {

void set_block_sizes_from_caches(const CpuFeatures& cpu, TypedGemmKernel* kernel) {
  const int64_t bytes = kernel->packed_bytes;
  // KC: long enough that loading and storing the C tile once per KC step is
  // a small fraction of the tile's work (a 14x32 tile stores 28 vectors per
  // 14 * KC FMAs), and that a large C (which lives in memory) is passed
  // over few times; the B micro-panel (KC x NR) is 1/8 of L2 and streams
  // from there alongside A. Measured on a 1 MB-L2 core, float32 14x32: 512
  // beats 128 by ~15%, 1024 beats 512 by 1.5-2% on 1024^3 and 2048^3. At
  // most 1024 steps of the kernel's loop: a bf16 step is a pair, so its KC
  // reaches 2048 values, its B micro-panel the same 128 KB, and MC and NC
  // follow (Zen 5, bf16, against 1024: 1x2048^3 +8%, 4x1024x2048x1024
  // +5-11%, 64x256x512x256 +3-5%, others within the noise). A multiple of
  // 8, so bf16 pairs never straddle steps.
  int64_t kc = cpu.l2_bytes / 8 / (kernel->nr * bytes);
  kc = std::clamp<int64_t>(kc, 128, 1024 * kernel->k_step) & ~int64_t{7};
  // MC: the A block (MC x KC) in about a third of L2, leaving room for the
  // B micro-panels and C lines passing through.
  int64_t mc = cpu.l2_bytes / 3 / (kc * bytes);
  mc = std::clamp<int64_t>(mc / kernel->mr, 1, 64) * kernel->mr;
  // NC: the B panel (KC x NC) in a quarter of the shared L3, capped so a
  // thread's buffer stays a few MB.
  int64_t nc = std::min<int64_t>(cpu.l3_bytes / 4, 4 * 1024 * 1024) / (kc * bytes);
  nc = std::clamp<int64_t>(nc / kernel->nr, 4, 256) * kernel->nr;
  kernel->kc = kc;
  kernel->mc = mc;
  kernel->nc = nc;
  // A direct product re-reads A once per pass over B's columns, from L2 or
  // (Zen) its fast L3. Both cores below have 1 MB of L2; direct against
  // packed, GFLOP/s: Zen 5, float32 256x512x256 (a 512 KB A, 4 passes) 223
  // against 189 on one thread, 512x512x512 (1 MB, 8 passes) 462 against
  // 434 on two, but float64 2048x64x64 (1 MB of short rows, 2 passes)
  // 101-123 against 177-201; Cascade Lake 62-89 against 98-99 and 52
  // against 94.
  const bool amd = cpu.vendor == CpuVendor::amd;
  kernel->direct_max_a_bytes = amd ? cpu.l2_bytes / 2 : cpu.l2_bytes / 4;
  kernel->direct_max_a_bytes_long_rows = amd ? cpu.l2_bytes : cpu.l2_bytes / 4;
}

namespace {

KernelConfig make_generic_config() {
  const CpuFeatures& cpu = cpu_features();
  KernelConfig config;
  config.name = "generic";
  config.f32 = {
      "gemm_f32_4x8_reference", 4, 8, 1, 4, 0, 0, 0, pack_f32_4_reference, pack_f32_8_reference,
      gemm_f32_4x8_reference};
  config.f64 = {
      "gemm_f64_4x4_reference", 4, 4, 1, 8, 0, 0, 0, pack_f64_4_reference, pack_f64_4_reference,
      gemm_f64_4x4_reference};
  config.bf16 = {"gemm_f32_4x8_reference",
                 4,
                 8,
                 1,
                 4,
                 0,
                 0,
                 0,
                 pack_bf16_to_f32_4_reference,
                 pack_bf16_to_f32_8_reference,
                 gemm_f32_4x8_reference};
  config.f16 = {"gemm_f32_4x8_reference",
                4,
                8,
                1,
                4,
                0,
                0,
                0,
                pack_f16_to_f32_4_reference,
                pack_f16_to_f32_8_reference,
                gemm_f32_4x8_reference};
  for (TypedGemmKernel* k : {&config.f32, &config.f64, &config.bf16, &config.f16}) {
    set_block_sizes_from_caches(cpu, k);
  }
  return config;
}

}  // namespace

const KernelConfig& generic_kernel_config() {
  static const KernelConfig config = make_generic_config();
  return config;
}

}  // namespace sgmm::cpu
