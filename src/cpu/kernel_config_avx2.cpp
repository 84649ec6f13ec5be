// AVX2 + FMA: 6x16 f32 and 6x8 f64 tiles. 16 ymm registers: 12 accumulators,
// two B vectors and one broadcast A value. Small f32 products take the
// direct kernel, one 16-column panel of B per pass over A, or, 9 or 10
// columns wide, the narrow one. bf16 and f16 are widened to f32 while
// packing (F16C for f16, a shift for bf16), or small tiles before the
// direct kernel, and use the f32 kernels.
#include "cpu/kernel_config.hpp"

namespace sgmm::cpu {
namespace {

KernelConfig make_avx2_config() {
  const CpuFeatures& cpu = cpu_features();
  KernelConfig config;
  config.name = "avx2";
  config.f32 = {"gemm_f32_6x16_avx2",
                6,
                16,
                1,
                4,
                0,
                0,
                0,
                pack_f32_6_avx2,
                pack_f32_16_avx2,
                gemm_f32_6x16_avx2,
                gemm_f32_direct_6x16_avx2,
                16};
  // AMD's cores shuffle on two ports: the narrow kernel spreads all four k
  // of A's loads by shuffles there (see narrow_main_block).
  const bool two_shuffle_ports = cpu.vendor == CpuVendor::amd;
  const DirectGemmFn narrow =
      two_shuffle_ports ? gemm_f32_direct_narrow_spread_avx2 : gemm_f32_direct_narrow_avx2;
  config.f32.direct_narrow = narrow;
  config.f32.direct_narrow_b_columns = two_shuffle_ports
                                           ? gemm_f32_direct_narrow_b_columns_spread_avx2
                                           : gemm_f32_direct_narrow_b_columns_avx2;
  config.f64 = {"gemm_f64_6x8_avx2", 6, 8, 1, 8, 0, 0, 0, pack_f64_6_avx2, pack_f64_8_avx2,
                gemm_f64_6x8_avx2};
  config.bf16 = {
      "gemm_f32_6x16_avx2", 6, 16, 1, 4, 0, 0, 0, pack_bf16_to_f32_6_avx2, pack_bf16_to_f32_16_avx2,
      gemm_f32_6x16_avx2};
  config.f16 = {
      "gemm_f32_6x16_avx2", 6, 16, 1, 4, 0, 0, 0, pack_f16_to_f32_6_avx2, pack_f16_to_f32_16_avx2,
      gemm_f32_6x16_avx2};
  // Small 16-bit tiles are widened to float rows and take the float direct
  // kernel (see compute_tile_via_float).
  config.bf16.widen_rows = widen_bf16_rows_avx2;
  config.f16.widen_rows = widen_f16_rows_avx2;
  config.bf16.store_rows_16bit = store_f32_rows_as_bf16_avx2;
  config.f16.store_rows_16bit = store_f32_rows_as_f16_avx2;
  for (TypedGemmKernel* k : {&config.bf16, &config.f16}) {
    k->direct = gemm_f32_direct_6x16_avx2;
    k->direct_cols = 16;
    k->direct_narrow = narrow;
  }
  for (TypedGemmKernel* k : {&config.f32, &config.f64, &config.bf16, &config.f16}) {
    k->fetches_ahead = k->kernel == gemm_f32_6x16_avx2 || k->kernel == gemm_f64_6x8_avx2;
    set_block_sizes_from_caches(cpu, k);
  }
  return config;
}

}  // namespace

const KernelConfig& avx2_kernel_config() {
  static const KernelConfig config = make_avx2_config();
  return config;
}

}  // namespace sgmm::cpu
