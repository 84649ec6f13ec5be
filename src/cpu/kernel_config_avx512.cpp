// AVX-512: 14x32 f32 and 14x16 f64 tiles. 32 zmm registers: 28
// accumulators, two B vectors and one broadcast A value; 28 independent FMA
// chains cover the FMA latency (4 cycles) times two FMA pipes several times.
// bf16 uses vdpbf16ps on pairs along k (float32 accumulation) where the CPU
// has AVX512_BF16, else it is widened to f32 like f16: while packing, or,
// for small tiles, to float rows for the float direct kernels.
#include "cpu/kernel_config.hpp"

namespace sgmm::cpu {
namespace {

// native_bf16: bf16 on vdpbf16ps (AVX512_BF16), else widened to float32,
// as f16 always is.
KernelConfig make_avx512_config(const char* name, bool native_bf16) {
  const CpuFeatures& cpu = cpu_features();
  KernelConfig config;
  config.name = name;
  config.f32 = {"gemm_f32_14x32_avx512",
                14,
                32,
                1,
                4,
                0,
                0,
                0,
                pack_f32_14_avx512,
                pack_f32_32_avx512,
                gemm_f32_14x32_avx512,
                gemm_f32_direct_14x32_avx512,
                64};
  config.f32.direct_narrow = gemm_f32_direct_narrow_avx512;
  config.f32.direct_narrow_b_columns = gemm_f32_direct_narrow_b_columns_avx512;
  config.f32.direct_b_columns = gemm_f32_direct_b_columns_avx512;
  config.f32.pack_b_half = pack_f32_16_avx512;
  config.f64 = {"gemm_f64_14x16_avx512",
                14,
                16,
                1,
                8,
                0,
                0,
                0,
                pack_f64_14_avx512,
                pack_f64_16_avx512,
                gemm_f64_14x16_avx512,
                gemm_f64_direct_14x16_avx512,
                32};
  config.f64.direct_narrow = gemm_f64_direct_narrow_avx512;
  config.f64.pack_b_half = pack_f64_8_avx512;
  if (native_bf16) {
    config.bf16 = {"gemm_bf16_14x32_avx512",
                   14,
                   32,
                   2,
                   2,
                   0,
                   0,
                   0,
                   pack_bf16_pairs_14_avx512,
                   pack_bf16_pairs_32_avx512,
                   gemm_bf16_14x32_avx512,
                   gemm_bf16_direct_14x32_avx512,
                   32};
    config.bf16.direct_b_rows = gemm_bf16_direct_b_rows_14x32_avx512;
  } else {
    config.bf16 = {"gemm_f32_14x32_avx512",
                   14,
                   32,
                   1,
                   4,
                   0,
                   0,
                   0,
                   pack_bf16_to_f32_14_avx512,
                   pack_bf16_to_f32_32_avx512,
                   gemm_f32_14x32_avx512};
    config.bf16.widen_rows = widen_bf16_rows_avx512;
  }
  config.f16 = {"gemm_f32_14x32_avx512",
                14,
                32,
                1,
                4,
                0,
                0,
                0,
                pack_f16_to_f32_14_avx512,
                pack_f16_to_f32_32_avx512,
                gemm_f32_14x32_avx512};
  config.bf16.store_rows_16bit = store_f32_rows_as_bf16_avx512;
  config.f16.widen_rows = widen_f16_rows_avx512;
  config.f16.store_rows_16bit = store_f32_rows_as_f16_avx512;
  // Small tiles of a 16-bit type widened to float (f16, and bf16 without
  // AVX512_BF16) are widened to float rows and take the float direct
  // kernels (see compute_tile_via_float), as on AVX2.
  for (TypedGemmKernel* k : {&config.bf16, &config.f16}) {
    if (k->widen_rows == nullptr) continue;
    k->direct = gemm_f32_direct_14x32_avx512;
    k->direct_cols = 64;
    k->direct_narrow = gemm_f32_direct_narrow_avx512;
  }
  for (TypedGemmKernel* k : {&config.f32, &config.f64, &config.bf16, &config.f16}) {
    k->fetches_ahead = k->kernel == gemm_f32_14x32_avx512 || k->kernel == gemm_f64_14x16_avx512 ||
                       k->kernel == gemm_bf16_14x32_avx512;
    set_block_sizes_from_caches(cpu, k);
  }
  return config;
}

}  // namespace

const KernelConfig& avx512_kernel_config() {
  static const KernelConfig config = make_avx512_config("avx512", cpu_features().avx512_bf16);
  return config;
}

const KernelConfig& avx512_no_bf16_kernel_config() {
  static const KernelConfig config = make_avx512_config("avx512_no_bf16", false);
  return config;
}

}  // namespace sgmm::cpu
