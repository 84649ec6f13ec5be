#pragma once
// The micro-kernel and packing contracts, and every kernel compiled into the
// library. Each ISA's kernels live in their own file, compiled with that
// ISA's flags; this header declares them only (no inline code), so nothing
// compiled with AVX-512 flags can be picked by the linker for a generic caller.

#include <cstdint>

namespace sgmm::cpu {

// What a micro-kernel does with its accumulators when it stores them:
//   add_to_c == false: C = acc * scale      (C is never read; it may hold NaN)
//   add_to_c == true:  C = fma(acc, scale, C)
// scale_is_one skips the multiply, so the result is the plain product.
// The f32 kernels (f32, bf16, f16) read scale_f32, the f64 kernels scale_f64.
struct KernelEpilogue {
  float scale_f32 = 1.0f;
  double scale_f64 = 1.0;
  bool scale_is_one = true;
  bool add_to_c = false;
  // The product is large enough that A and C are likely not in L1/L2: the
  // direct kernels ask for A's next lines and C's tiles ahead of use. Set
  // from the whole product, so every tile or row chunk of it does the same.
  bool prefetch = false;
  // For a packed micro-kernel that fetches ahead (TypedGemmKernel::
  // fetches_ahead): byte ranges it asks L2 for, one line a k step, the
  // first range first. The driver passes what it packs next, so that it
  // arrives while this tile is multiplied (see compute_tile). Empty:
  // nothing.
  const char* fetch[2] = {nullptr, nullptr};
  const char* fetch_end[2] = {nullptr, nullptr};
};

// A micro-kernel multiplies one packed MR x k panel of A by one packed k x NR
// panel of B and stores the m x n corner (m <= MR, n <= NR) of the product
// to C, whose element (i, j) is c[i * rs_c + j * cs_c], in the accumulator
// type (float for f32/bf16/f16, double for f64). Rows and columns past m, n
// are computed on the zero padding of the panels and never stored.
// k counts source elements along the sum (bf16 kernels read ceil(k / 2) pairs).
using MicroKernelFn = void (*)(int64_t k, const void* a_panel, const void* b_panel, void* c,
                               int64_t rs_c, int64_t cs_c, int m, int n,
                               const KernelEpilogue& epilogue);

// Packs `rows` rows of a block into panels of R rows each. Element (r, p)
// (row r < rows, p < k along the sum) is read at src + r * row_stride +
// p * k_stride. Panel q holds rows [qR, qR + R): for each p, R consecutive
// values (pairs-of-p layout for bf16 kernels: for each pair, R x 2 values).
// Rows past `rows` and the odd last p of a pair are zero-filled.
// A is packed with row_stride = A's row stride, k_stride = A's column stride;
// B with row_stride = B's column stride, k_stride = B's row stride.
using PackPanelsFn = void (*)(const void* src, int64_t row_stride, int64_t k_stride, int64_t rows,
                              int64_t k, void* dst);

// A direct kernel multiplies a whole small product without packing A: A is
// read in place with any strides; B comes in panels of NR columns (the
// configuration's nr), panel q at b + q * b_panel_stride with row stride
// rs_b and unit column stride (B itself when its columns are contiguous,
// else B packed). The sum over k runs in one pass, so for k <= KC every
// element is computed exactly as the packed path computes it.
using DirectGemmFn = void (*)(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                              int64_t cs_a, const void* b, int64_t rs_b, int64_t b_panel_stride,
                              void* c, int64_t rs_c, int64_t cs_c, const KernelEpilogue& epilogue);

// Rounds an m x n block of float sums (row stride ld_sums) into a 16-bit C
// with unit column stride, with the epilogue (scale, add to C), exactly as
// the driver's generic rounding does, element for element.
using StoreRows16Fn = void (*)(const float* sums, int64_t ld_sums, int64_t m, int64_t n, void* c,
                               int64_t rs_c, const KernelEpilogue& epilogue);

// Widens `rows` rows of `cols` 16-bit values (row stride rs, unit column
// stride) into floats, row-major with row stride cols. Exact.
using WidenRowsFn = void (*)(const void* src, int64_t rs, int64_t rows, int64_t cols, float* dst);

// Stores an m x n tile of float accumulators held row-major (row stride
// tile_stride) to a strided C with the epilogue: the one path every kernel
// uses for a tile it cannot store with vector instructions. Performs exactly
// the arithmetic of the vector path, so results do not depend on where tile
// edges fall.
void store_tile_f32(const float* tile, int64_t tile_stride, float* c, int64_t rs_c, int64_t cs_c,
                    int m, int n, const KernelEpilogue& epilogue);
void store_tile_f64(const double* tile, int64_t tile_stride, double* c, int64_t rs_c, int64_t cs_c,
                    int m, int n, const KernelEpilogue& epilogue);

// Portable C++ reference kernels (no ISA flags), kernels_reference.cpp.
void gemm_f32_4x8_reference(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                            const KernelEpilogue&);
void gemm_f64_4x4_reference(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                            const KernelEpilogue&);
void pack_f32_4_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f32_8_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f64_4_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_to_f32_4_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_to_f32_8_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f16_to_f32_4_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f16_to_f32_8_reference(const void*, int64_t, int64_t, int64_t, int64_t, void*);

// AVX2 + FMA + F16C, kernels_avx2.cpp.
void gemm_f32_6x16_avx2(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                        const KernelEpilogue&);
void gemm_f64_6x8_avx2(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                       const KernelEpilogue&);
void gemm_f32_direct_6x16_avx2(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                               const void*, int64_t, int64_t, void*, int64_t, int64_t,
                               const KernelEpilogue&);
// Products 9 or 10 columns wide with A's rows contiguous (see
// TypedGemmKernel::direct_narrow), float32; and from B's columns, its
// column stride in rs_b's place (TypedGemmKernel::direct_narrow_b_columns).
void gemm_f32_direct_narrow_avx2(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                 const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                 const KernelEpilogue&);
void gemm_f32_direct_narrow_b_columns_avx2(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                           const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                           const KernelEpilogue&);
// The same two with all four k of A's 16-byte load spread by shuffles (the
// same sums; for cores with two shuffle ports, see narrow_main_block).
void gemm_f32_direct_narrow_spread_avx2(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                        const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                        const KernelEpilogue&);
void gemm_f32_direct_narrow_b_columns_spread_avx2(int64_t, int64_t, int64_t, const void*, int64_t,
                                                  int64_t, const void*, int64_t, int64_t, void*,
                                                  int64_t, int64_t, const KernelEpilogue&);
void pack_f32_6_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f32_16_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f64_6_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f64_8_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_to_f32_6_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_to_f32_16_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f16_to_f32_6_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f16_to_f32_16_avx2(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void widen_bf16_rows_avx2(const void*, int64_t, int64_t, int64_t, float*);
void widen_f16_rows_avx2(const void*, int64_t, int64_t, int64_t, float*);
void store_f32_rows_as_bf16_avx2(const float*, int64_t, int64_t, int64_t, void*, int64_t,
                                 const KernelEpilogue&);
void store_f32_rows_as_f16_avx2(const float*, int64_t, int64_t, int64_t, void*, int64_t,
                                const KernelEpilogue&);

// AVX-512 F/BW/DQ/VL + FMA (+ AVX512_BF16 for the bf16 kernel), kernels_avx512.cpp.
void gemm_f32_14x32_avx512(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                           const KernelEpilogue&);
void gemm_f64_14x16_avx512(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                           const KernelEpilogue&);
void gemm_bf16_14x32_avx512(int64_t, const void*, const void*, void*, int64_t, int64_t, int, int,
                            const KernelEpilogue&);
void gemm_f32_direct_14x32_avx512(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                  const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                  const KernelEpilogue&);
// Products of 9 or 10 columns with A's column stride 1 (the driver's
// TypedGemmKernel::direct_narrow), float32 and float64.
void gemm_f32_direct_narrow_avx512(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                   const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                   const KernelEpilogue&);
void gemm_f64_direct_narrow_avx512(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                   const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                   const KernelEpilogue&);
// The float32 one from B's columns (unit row stride: attention's K^T), its
// column stride passed in rs_b's place (TypedGemmKernel::direct_narrow_b_columns).
void gemm_f32_direct_narrow_b_columns_avx512(int64_t, int64_t, int64_t, const void*, int64_t,
                                             int64_t, const void*, int64_t, int64_t, void*, int64_t,
                                             int64_t, const KernelEpilogue&);
// float32 products at least 16 columns wide from B's columns (unit row
// stride), the column stride in rs_b's place (TypedGemmKernel::direct_b_columns).
void gemm_f32_direct_b_columns_avx512(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                      const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                      const KernelEpilogue&);
// bf16 direct kernel (AVX512_BF16): A with unit column stride, B packed in
// pairs, float sums to a C with unit column stride; the epilogue is the
// caller's (it rounds the sums into the bf16 output).
void gemm_bf16_direct_14x32_avx512(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                   const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                   const KernelEpilogue&);
// The same sums, B read in place (row stride rs_b, unit column stride; the
// panel stride is unused), two rows interleaved into pairs per step.
void gemm_bf16_direct_b_rows_14x32_avx512(int64_t, int64_t, int64_t, const void*, int64_t,
                                          int64_t, const void*, int64_t, int64_t, void*, int64_t,
                                          int64_t, const KernelEpilogue&);
void gemm_f64_direct_14x16_avx512(int64_t, int64_t, int64_t, const void*, int64_t, int64_t,
                                  const void*, int64_t, int64_t, void*, int64_t, int64_t,
                                  const KernelEpilogue&);
void store_f32_rows_as_bf16_avx512(const float*, int64_t, int64_t, int64_t, void*, int64_t,
                                   const KernelEpilogue&);
void store_f32_rows_as_f16_avx512(const float*, int64_t, int64_t, int64_t, void*, int64_t,
                                  const KernelEpilogue&);
void widen_f16_rows_avx512(const void*, int64_t, int64_t, int64_t, float*);
void widen_bf16_rows_avx512(const void*, int64_t, int64_t, int64_t, float*);
void pack_f32_14_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f32_32_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f64_14_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f64_16_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
// Half-width B panels (one vector a k step), for the direct path's B of at
// most that many columns (TypedGemmKernel::pack_b_half).
void pack_f32_16_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f64_8_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_pairs_14_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_pairs_32_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_to_f32_14_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_bf16_to_f32_32_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f16_to_f32_14_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);
void pack_f16_to_f32_32_avx512(const void*, int64_t, int64_t, int64_t, int64_t, void*);

}  // namespace sgmm::cpu
