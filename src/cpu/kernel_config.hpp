#pragma once
// A kernel configuration: for one ISA, which micro-kernel and packing
// routines serve each element type, and the block sizes around them
// (BLIS's config/<uarch>/). Adding a CPU family means one kernel file and
// one table file.

#include <cstdint>

#include "cpu/cpu_features.hpp"
#include "cpu/microkernels.hpp"

namespace sgmm::cpu {

// How one element type is multiplied on one ISA.
struct TypedGemmKernel {
  const char* name = "";  // the micro-kernel's name, e.g. "gemm_f32_14x32_avx512"
  int mr = 0;             // micro-tile rows (A panel height)
  int nr = 0;             // micro-tile columns (B panel width)
  int k_step = 1;         // panels hold groups of k_step values along k (2: bf16 pairs)
  int packed_bytes = 4;   // bytes of one packed element
  // Block sizes (BLIS's MC, KC, NC): an MC x KC block of A stays in L2, a
  // KC x NR micro-panel of B in L1, a KC x NC panel of B in L3.
  int64_t mc = 0;
  int64_t kc = 0;
  int64_t nc = 0;
  PackPanelsFn pack_a = nullptr;
  PackPanelsFn pack_b = nullptr;
  MicroKernelFn kernel = nullptr;
  // Small products skip packing A (null: always packed).
  DirectGemmFn direct = nullptr;
  // Columns of B the direct kernel covers in one pass over A: a multiple of nr.
  int direct_cols = 0;
  // Packs panels nr / 2 wide, for a B the direct path packs (strided
  // columns: K^T, the backward pass's views) of at most nr / 2 columns,
  // which a full panel would pad to twice its bytes (null: full panels).
  PackPanelsFn pack_b_half = nullptr;
  // Products 9 or 10 columns wide with A's rows contiguous take this kernel
  // (null: they take `direct`, which leaves 6 or 7 of every 16 lanes idle
  // there). It sums some columns in another order, so the driver picks it
  // per product (direct_kernel_for). A float kernel for float16, which
  // widens small products to float first.
  DirectGemmFn direct_narrow = nullptr;
  // The same sums as direct_narrow from a B read by columns in place: unit
  // row stride (attention's K^T view), the column stride passed in rs_b's
  // place (null: such a B is packed for direct_narrow first).
  DirectGemmFn direct_narrow_b_columns = nullptr;
  // Products at least 16 columns wide from a B read by columns in place
  // (unit row stride: Q @ K^T of a longer sequence), the column stride in
  // rs_b's place; A's rows contiguous. It sums in another order than
  // `direct`, so the driver picks it per product, for few rows and when
  // every tile of the product takes the direct path (direct_kernel_for);
  // column tiles are at least NR wide (null: such a B is packed for
  // `direct` first).
  DirectGemmFn direct_b_columns = nullptr;
  // 16-bit outputs: rounds float sums into C rows (null: the driver's
  // generic rounding, which gives the same bits).
  StoreRows16Fn store_rows_16bit = nullptr;
  // 16-bit direct kernels: the same sums as `direct` from a B with unit
  // column stride read in place, unpacked (null: B is packed first).
  DirectGemmFn direct_b_rows = nullptr;
  // 16-bit types whose `direct` kernel is a float one: small tiles have A
  // and B widened to float rows first (the packed path widens them too, so
  // the sums are the same).
  WidenRowsFn widen_rows = nullptr;
  // The most A (bytes) a product longer than one KC step may have and still
  // skip packing it, re-read once per pass over B: with rows shorter than
  // 1 KB, and with longer ones (see takes_direct_path_whole; set with the
  // block sizes).
  int64_t direct_max_a_bytes = 0;
  int64_t direct_max_a_bytes_long_rows = 0;
  // The micro-kernel asks for KernelEpilogue::fetch's lines itself, one a
  // k step (false: the driver asks for what it packs next between calls).
  bool fetches_ahead = false;
};

struct KernelConfig {
  const char* name = "";  // "avx512", "avx512_no_bf16", "avx2", "generic"
  TypedGemmKernel f32;
  TypedGemmKernel f64;
  TypedGemmKernel bf16;
  TypedGemmKernel f16;
};

// Block sizes for an mr x nr micro-kernel on elements of elem_bytes, from
// the detected cache sizes: the B micro-panel takes about half of L1, the A
// block about half of L2, the B panel a quarter of L3 (shared by the cores).
void set_block_sizes_from_caches(const CpuFeatures& cpu, TypedGemmKernel* kernel);

// The tables, best first. Each is built on first use; only a supported one
// may be used to run a kernel (dispatch.cpp checks).
const KernelConfig& avx512_kernel_config();
// The AVX-512 kernels without AVX512_BF16's instructions: what a CPU that
// lacks them runs (avx512_kernel_config there is this one); listed so that
// path can be forced, tested and measured on a CPU that has them.
const KernelConfig& avx512_no_bf16_kernel_config();
const KernelConfig& avx2_kernel_config();
const KernelConfig& generic_kernel_config();

}  // namespace sgmm::cpu

namespace sgmm::cpu {

// The configuration gemm() runs with now: the forced one, else the automatic
// choice (made once). Cheap: one atomic load after the first call.
const KernelConfig& selected_kernel_config();

}  // namespace sgmm::cpu
