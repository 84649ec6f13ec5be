// AVX-512 micro-kernels and packing (F, BW, DQ, VL, FMA, F16C; AVX512_BF16
// for the bf16 kernel). Compiled with those flags and reached only through
// dispatch, after CPUID and XCR0 have been checked. Everything here is
// either an exported kernel or in an anonymous namespace: no inline function
// compiled with these flags may be shared with generic code.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>

#include "cpu/fetch_ahead.hpp"
#include "cpu/microkernels.hpp"
#include "cpu/pack_rows_ahead.hpp"
#include "cpu/row_blocks.hpp"
#include "cpu/store_mode.hpp"

// GCC 12's AVX-512 intrinsics (unpack, zero-extend, shift) pass an
// "undefined" register as the unused merge source, then warn that it may be
// uninitialised once inlined; those lanes are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace sgmm::cpu {
namespace {

// The masks for columns [0, n) of a tile two vectors wide.
template <typename Mask, int Lanes>
void two_vector_masks(int n, Mask* low, Mask* high) {
  const unsigned full = (1u << Lanes) - 1u;
  *low = static_cast<Mask>(n >= Lanes ? full : (1u << n) - 1u);
  *high = static_cast<Mask>(n >= 2 * Lanes ? full : n > Lanes ? (1u << (n - Lanes)) - 1u : 0u);
}

__mmask16 low_mask16(int64_t count) {
  return static_cast<__mmask16>(count >= 16 ? 0xffffu : (1u << count) - 1u);
}
__mmask8 low_mask8(int64_t count) {
  return static_cast<__mmask8>(count >= 8 ? 0xffu : (1u << count) - 1u);
}

__m512 f32_epilogue(__m512 acc, const float* c, __mmask16 mask, __m512 scale,
                    const KernelEpilogue& epilogue) {
  if (epilogue.add_to_c) {
    const __m512 old = _mm512_maskz_loadu_ps(mask, c);
    return epilogue.scale_is_one ? _mm512_add_ps(old, acc) : _mm512_fmadd_ps(acc, scale, old);
  }
  return epilogue.scale_is_one ? acc : _mm512_mul_ps(acc, scale);
}

// One element type's 512-bit operations, so the direct kernel is written
// once for float (16 lanes) and double (8 lanes).
//
// broadcast: the kernels multiply each A value into two or more B vectors,
// broadcast once into a register. Folding the broadcast into each FMA
// ({1to16}) saves that register but loads A once per FMA: on a core with
// two load ports (Cascade Lake) the loads, not the FMAs, then bound a
// 14 x 32 loop (88% of the FMA peak against 99-100% with vbroadcastss, in
// L1; one thread, sgmm_bench: quant 95 -> 116, single 102 -> 121 GFLOP/s).
// An earlier Zen 4 measurement had the folded form 4-5% faster; on Zen 5
// it measured 5% slower (the 14 x 32 kernel, one thread: 512^3 x 16
// 201-211 against 218-220, 2048^3 212-223 against 234-239). On the Zen 4
// host of 2026-12-07 it measured the same within the noise
// (cpu::gemm timed with rdtsc, medians of 5-9 alternated processes, flop
// per TSC tick, folded against this form: 16 x 512^3 41.5 against 41.5
// on one thread, 81.9 against 82.5 on two; 4 x 1024^3 41.9 against 41.3
// and 83.6 against 83.5). The asm keeps GCC from folding the broadcast
// back into the FMAs.
template <typename T>
struct Zmm;

template <>
struct Zmm<float> {
  using V = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  static constexpr Mask kAll = 0xffff;
  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V loadu(const float* p) { return _mm512_loadu_ps(p); }
  static V maskz_loadu(Mask m, const float* p) { return _mm512_maskz_loadu_ps(m, p); }
  static void mask_storeu(float* p, Mask m, V v) { _mm512_mask_storeu_ps(p, m, v); }
  static void store(float* p, V v) { _mm512_store_ps(p, v); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  // *a in every lane (see above).
  static V broadcast(const float* a) {
    V r;
    asm("vbroadcastss %[a], %[r]" : [r] "=v"(r) : [a] "m"(*a));
    return r;
  }
  // Row `Row` (0..3) of four from `a`: rs and rs3 are one and three row
  // strides in bytes (see direct_block).
  template <int Row>
  static V broadcast_row(const float* a, int64_t rs, int64_t rs3) {
    V r;
    if constexpr (Row == 0) {
      asm("vbroadcastss (%[a]), %[r]" : [r] "=v"(r) : [a] "r"(a), "m"(*a));
    } else if constexpr (Row == 1) {
      asm("vbroadcastss (%[a],%[rs]), %[r]" : [r] "=v"(r) : [a] "r"(a), [rs] "r"(rs), "m"(*a));
    } else if constexpr (Row == 2) {
      asm("vbroadcastss (%[a],%[rs],2), %[r]" : [r] "=v"(r) : [a] "r"(a), [rs] "r"(rs), "m"(*a));
    } else {
      asm("vbroadcastss (%[a],%[rs3]), %[r]" : [r] "=v"(r) : [a] "r"(a), [rs3] "r"(rs3), "m"(*a));
    }
    (void)rs;
    (void)rs3;
    return r;
  }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static Mask low_mask(int64_t count) { return low_mask16(count); }
  static float scale(const KernelEpilogue& e) { return e.scale_f32; }
  static void store_tile(const float* tile, int64_t tile_stride, float* c, int64_t rs_c,
                         int64_t cs_c, int m, int n, const KernelEpilogue& e) {
    store_tile_f32(tile, tile_stride, c, rs_c, cs_c, m, n, e);
  }
};

template <>
struct Zmm<double> {
  using V = __m512d;
  using Mask = __mmask8;
  static constexpr int kLanes = 8;
  static constexpr Mask kAll = 0xff;
  static V zero() { return _mm512_setzero_pd(); }
  static V set1(double x) { return _mm512_set1_pd(x); }
  static V loadu(const double* p) { return _mm512_loadu_pd(p); }
  static V maskz_loadu(Mask m, const double* p) { return _mm512_maskz_loadu_pd(m, p); }
  static void mask_storeu(double* p, Mask m, V v) { _mm512_mask_storeu_pd(p, m, v); }
  static void store(double* p, V v) { _mm512_store_pd(p, v); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V broadcast(const double* a) {
    V r;
    asm("vbroadcastsd %[a], %[r]" : [r] "=v"(r) : [a] "m"(*a));
    return r;
  }
  // Row `Row` (0..3) of four from `a`: rs and rs3 are one and three row
  // strides in bytes (see direct_block).
  template <int Row>
  static V broadcast_row(const double* a, int64_t rs, int64_t rs3) {
    V r;
    if constexpr (Row == 0) {
      asm("vbroadcastsd (%[a]), %[r]" : [r] "=v"(r) : [a] "r"(a), "m"(*a));
    } else if constexpr (Row == 1) {
      asm("vbroadcastsd (%[a],%[rs]), %[r]" : [r] "=v"(r) : [a] "r"(a), [rs] "r"(rs), "m"(*a));
    } else if constexpr (Row == 2) {
      asm("vbroadcastsd (%[a],%[rs],2), %[r]" : [r] "=v"(r) : [a] "r"(a), [rs] "r"(rs), "m"(*a));
    } else {
      asm("vbroadcastsd (%[a],%[rs3]), %[r]" : [r] "=v"(r) : [a] "r"(a), [rs3] "r"(rs3), "m"(*a));
    }
    (void)rs;
    (void)rs3;
    return r;
  }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static Mask low_mask(int64_t count) { return low_mask8(count); }
  static double scale(const KernelEpilogue& e) { return e.scale_f64; }
  static void store_tile(const double* tile, int64_t tile_stride, double* c, int64_t rs_c,
                         int64_t cs_c, int m, int n, const KernelEpilogue& e) {
    store_tile_f64(tile, tile_stride, c, rs_c, cs_c, m, n, e);
  }
};

template <typename T, StoreMode Mode>
inline __attribute__((always_inline)) typename Zmm<T>::V combine(typename Zmm<T>::V acc, const T* c,
                                                                 typename Zmm<T>::Mask mask,
                                                                 typename Zmm<T>::V scale) {
  using Z = Zmm<T>;
  if constexpr (Mode == StoreMode::kPlain) return acc;
  if constexpr (Mode == StoreMode::kScaled) return Z::mul(acc, scale);
  if constexpr (Mode == StoreMode::kAdd) return Z::add(Z::maskz_loadu(mask, c), acc);
  return Z::fmadd(acc, scale, Z::maskz_loadu(mask, c));
}

// Stores Rows x Vectors accumulators to rows of a C with unit column
// stride, the last vector of each row masked. A row pointer steps down C:
// written as c + i * rs_c, every row's address was worked out ahead of the
// store mode's branch, and a 13-row block spilled some of them.
template <typename T, StoreMode Mode, int Rows, int Vectors>
inline __attribute__((always_inline)) void store_rows(
    const typename Zmm<T>::V (&acc)[Rows][Vectors], T* c, int64_t rs_c, typename Zmm<T>::Mask last,
    typename Zmm<T>::V scale) {
  using Z = Zmm<T>;
  T* row = c;
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      const typename Z::Mask mask = v == Vectors - 1 ? last : Z::kAll;
      T* out = row + Z::kLanes * v;
      Z::mask_storeu(out, mask, combine<T, Mode>(acc[i][v], out, mask, scale));
    }
    row += rs_c;
  }
}

template <typename T, int Rows, int Vectors>
inline __attribute__((always_inline)) void store_rows(
    const typename Zmm<T>::V (&acc)[Rows][Vectors], T* c, int64_t rs_c, typename Zmm<T>::Mask last,
    const KernelEpilogue& epilogue) {
  const typename Zmm<T>::V scale = Zmm<T>::set1(Zmm<T>::scale(epilogue));
  with_store_mode(epilogue, [&](auto mode) {
    store_rows<T, decltype(mode)::value, Rows, Vectors>(acc, c, rs_c, last, scale);
  });
}

__m512d f64_epilogue(__m512d acc, const double* c, __mmask8 mask, __m512d scale,
                     const KernelEpilogue& epilogue) {
  if (epilogue.add_to_c) {
    const __m512d old = _mm512_maskz_loadu_pd(mask, c);
    return epilogue.scale_is_one ? _mm512_add_pd(old, acc) : _mm512_fmadd_pd(acc, scale, old);
  }
  return epilogue.scale_is_one ? acc : _mm512_mul_pd(acc, scale);
}

// Stores MR rows of two float vectors each: masked vector stores when C's
// rows are contiguous, else through the shared strided path.
template <int MR>
inline __attribute__((always_inline)) void store_f32_tile(const __m512 (&lo)[MR],
                                                          const __m512 (&hi)[MR], float* c,
                                                          int64_t rs_c, int64_t cs_c, int m, int n,
                                                          const KernelEpilogue& epilogue) {
  if (cs_c == 1) {
    __mmask16 mask_lo, mask_hi;
    two_vector_masks<__mmask16, 16>(n, &mask_lo, &mask_hi);
    const __m512 scale = _mm512_set1_ps(epilogue.scale_f32);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      if (i < m) {
        float* row = c + i * rs_c;
        _mm512_mask_storeu_ps(row, mask_lo, f32_epilogue(lo[i], row, mask_lo, scale, epilogue));
        _mm512_mask_storeu_ps(row + 16, mask_hi,
                              f32_epilogue(hi[i], row + 16, mask_hi, scale, epilogue));
      }
    }
    return;
  }
  alignas(64) float tile[MR][32];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    _mm512_store_ps(&tile[i][0], lo[i]);
    _mm512_store_ps(&tile[i][16], hi[i]);
  }
  store_tile_f32(&tile[0][0], 32, c, rs_c, cs_c, m, n, epilogue);
}

template <int MR>
inline __attribute__((always_inline)) void store_f64_tile(const __m512d (&lo)[MR],
                                                          const __m512d (&hi)[MR], double* c,
                                                          int64_t rs_c, int64_t cs_c, int m, int n,
                                                          const KernelEpilogue& epilogue) {
  if (cs_c == 1) {
    __mmask8 mask_lo, mask_hi;
    two_vector_masks<__mmask8, 8>(n, &mask_lo, &mask_hi);
    const __m512d scale = _mm512_set1_pd(epilogue.scale_f64);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      if (i < m) {
        double* row = c + i * rs_c;
        _mm512_mask_storeu_pd(row, mask_lo, f64_epilogue(lo[i], row, mask_lo, scale, epilogue));
        _mm512_mask_storeu_pd(row + 8, mask_hi,
                              f64_epilogue(hi[i], row + 8, mask_hi, scale, epilogue));
      }
    }
    return;
  }
  alignas(64) double tile[MR][16];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    _mm512_store_pd(&tile[i][0], lo[i]);
    _mm512_store_pd(&tile[i][8], hi[i]);
  }
  store_tile_f64(&tile[0][0], 16, c, rs_c, cs_c, m, n, epilogue);
}

// Asks for the C tile's rows before the k loop, so they arrive while it
// runs instead of stalling the stores after it (a row of the tile is two or
// three cache lines; C is usually far from L1 by the time a tile is done).
template <int MR, int Cols, typename T>
inline __attribute__((always_inline)) void prefetch_tile_rows(const T* c, int64_t rs_c,
                                                              int64_t cs_c, int m) {
  if (cs_c != 1) return;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i < m) {
      const char* row = reinterpret_cast<const char*>(c + i * rs_c);
      _mm_prefetch(row, _MM_HINT_T0);
      _mm_prefetch(row + Cols * sizeof(T) - 1, _MM_HINT_T0);
    }
  }
}

// MR x 32 floats: per k, two B vectors and MR broadcasts of A feed 2*MR
// independent FMA chains. A's panel holds PanelMR rows per k step, of which
// the first MR are computed.
template <int MR, int PanelMR = MR>
void gemm_f32_mrx32(int64_t k, const float* a, const float* b, float* c, int64_t rs_c, int64_t cs_c,
                    int m, int n, const KernelEpilogue& epilogue) {
  prefetch_tile_rows<MR, 32>(c, rs_c, cs_c, m);
  __m512 lo[MR], hi[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    lo[i] = _mm512_setzero_ps();
    hi[i] = _mm512_setzero_ps();
  }
  with_fetch_ahead(epilogue, [&](FetchAhead& fetch, auto fetching) {
    for (int64_t p = 0; p < k; ++p) {
      if constexpr (decltype(fetching)::value) fetch.next_line();
      const __m512 b_lo = _mm512_load_ps(b);
      const __m512 b_hi = _mm512_load_ps(b + 16);
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) {
        const __m512 av = Zmm<float>::broadcast(a + i);
        lo[i] = _mm512_fmadd_ps(av, b_lo, lo[i]);
        hi[i] = _mm512_fmadd_ps(av, b_hi, hi[i]);
      }
      a += PanelMR;
      b += 32;
    }
  });
  store_f32_tile<MR>(lo, hi, c, rs_c, cs_c, m, n, epilogue);
}

// MR x 16 doubles, as gemm_f32_mrx32: the first MR of a panel's PanelMR rows.
template <int MR, int PanelMR = MR>
void gemm_f64_mrx16(int64_t k, const double* a, const double* b, double* c, int64_t rs_c,
                    int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  prefetch_tile_rows<MR, 16>(c, rs_c, cs_c, m);
  __m512d lo[MR], hi[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    lo[i] = _mm512_setzero_pd();
    hi[i] = _mm512_setzero_pd();
  }
  with_fetch_ahead(epilogue, [&](FetchAhead& fetch, auto fetching) {
    for (int64_t p = 0; p < k; ++p) {
      if constexpr (decltype(fetching)::value) fetch.next_line();
      const __m512d b_lo = _mm512_load_pd(b);
      const __m512d b_hi = _mm512_load_pd(b + 8);
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) {
        const __m512d av = Zmm<double>::broadcast(a + i);
        lo[i] = _mm512_fmadd_pd(av, b_lo, lo[i]);
        hi[i] = _mm512_fmadd_pd(av, b_hi, hi[i]);
      }
      a += PanelMR;
      b += 16;
    }
  });
  store_f64_tile<MR>(lo, hi, c, rs_c, cs_c, m, n, epilogue);
}

// bf16 pairs: each 32-bit lane of A and B holds two consecutive k values;
// vdpbf16ps adds both products to a float32 lane. The first MR of a panel's
// PanelMR rows, as gemm_f32_mrx32.
template <int MR, int PanelMR = MR>
void gemm_bf16_mrx32(int64_t k, const uint16_t* a, const uint16_t* b, float* c, int64_t rs_c,
                     int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  prefetch_tile_rows<MR, 32>(c, rs_c, cs_c, m);
  __m512 lo[MR], hi[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    lo[i] = _mm512_setzero_ps();
    hi[i] = _mm512_setzero_ps();
  }
  const int64_t pairs = (k + 1) / 2;
  with_fetch_ahead(epilogue, [&](FetchAhead& fetch, auto fetching) {
    for (int64_t p = 0; p < pairs; ++p) {
      if constexpr (decltype(fetching)::value) fetch.next_line();
      const __m512bh b_lo = (__m512bh)_mm512_load_si512(b);
      const __m512bh b_hi = (__m512bh)_mm512_load_si512(b + 32);
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) {
        int32_t pair;
        std::memcpy(&pair, a + 2 * i, sizeof pair);
        const __m512bh a_i = (__m512bh)_mm512_set1_epi32(pair);
        lo[i] = _mm512_dpbf16_ps(lo[i], a_i, b_lo);
        hi[i] = _mm512_dpbf16_ps(hi[i], a_i, b_hi);
      }
      a += 2 * PanelMR;
      b += 64;
    }
  });
  store_f32_tile<MR>(lo, hi, c, rs_c, cs_c, m, n, epilogue);
}

// A 14-row packed kernel and its shorter forms on the same 14-row panels,
// by rows - 1: the last tile of a block (1024 = 73 x 14 + 2 rows) computes
// only its own rows instead of 14, with the same sums. Family::kernel<MR>
// names the form of MR rows.
template <typename Family, int... Rows>
constexpr auto tile_kernels(std::integer_sequence<int, Rows...>) {
  using Fn = std::remove_const_t<decltype(Family::template kernel<1>)>;
  return std::array<Fn, sizeof...(Rows)>{{Family::template kernel<Rows + 1>...}};
}
struct F32Tiles {
  template <int MR>
  static constexpr auto kernel = &gemm_f32_mrx32<MR, 14>;
};
struct F64Tiles {
  template <int MR>
  static constexpr auto kernel = &gemm_f64_mrx16<MR, 14>;
};
struct Bf16Tiles {
  template <int MR>
  static constexpr auto kernel = &gemm_bf16_mrx32<MR, 14>;
};
constexpr auto kF32TileKernels = tile_kernels<F32Tiles>(std::make_integer_sequence<int, 14>());
constexpr auto kF64TileKernels = tile_kernels<F64Tiles>(std::make_integer_sequence<int, 14>());
constexpr auto kBf16TileKernels = tile_kernels<Bf16Tiles>(std::make_integer_sequence<int, 14>());

constexpr int kDirectMaxRows = 14;

// How far ahead (in k steps) the direct kernel prefetches A.
constexpr int64_t kDirectPrefetchSteps = 32;
// A block whose pass of B (k rows of four vectors) is at least this large
// (twice L1) also asks for B's row this many steps ahead: such a pass
// comes from L2 for every row block, and mid's blocks waited on it. The
// API timed with rdtsc, medians of 5 alternated runs, flop per TSC tick:
// 64x256x512x256 (a 128 KB pass) 78.3 -> 81.7 on one thread, 141.5 ->
// 154.0 on two; 16x512x512x512 76.7 -> 77.1 and 148.0 -> 151.9. With a 64
// KB pass (16x128x256x128), partly in L1, the extra loads cost more than
// they saved: 85.4 -> 81.5 and 80.3 -> 78.1 on one thread, 162.8 -> 152.1
// on two.
constexpr int64_t kDirectPrefetchBMinPassBytes = 96 * 1024;
constexpr int64_t kDirectPrefetchBSteps = 4;

// What a direct block asks for ahead of use: nothing (a small product, in
// L1/L2, where prefetching only costs), or, for a large one
// (KernelEpilogue::prefetch), C's tile and A's next lines: along its rows
// when k is contiguous in them, else along its columns (a transposed A, the
// input^T of a weight gradient, where every k step is a new line: 128 x 128
// x 256 from memory, one thread, 88.5 -> 95 GFLOP/s), with B's rows too
// for a long pass of B (kDirectPrefetchBMinPassBytes). Separate blocks, as
// a runtime choice between the two cost the row case's loop 4% (64 x 2048
// x 64 x 64).
enum DirectPrefetch { kPrefetchNone, kPrefetchRows, kPrefetchColumns, kPrefetchRowsAndB };

// kPrefetchRows, at k step p of a block of Rows rows of A (row stride
// rs_a, k stride cs_a, 1 when the blocks choose this): each row's line a
// prefetch distance ahead, and the next block's rows (which follow these)
// at p, so a block never starts on cold rows. Hardware prefetchers track
// too few streams for this on a large A. Prefetches past A do not fault.
// (cs_a stays a parameter: the direct blocks' loop, written with it, runs
// 64x2048x64x64 4% faster than with the constant, as GCC 12 lays it out.)
template <int Rows, typename T>
inline __attribute__((always_inline)) void prefetch_a_rows(const T* a, int64_t rs_a, int64_t cs_a,
                                                           int64_t p) {
  const T* ahead = a + (p + kDirectPrefetchSteps) * cs_a;
  const T* next_block = a + Rows * rs_a + p * cs_a;
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(ahead + i * rs_a), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(next_block + i * rs_a), _MM_HINT_T0);
  }
}

// f(std::integral_constant<int, i>) for i = 0 .. Rows - 1.
template <int Rows, typename F, int... I>
inline __attribute__((always_inline)) void for_each_row(F&& f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>()), ...);
}
template <int Rows, typename F>
inline __attribute__((always_inline)) void for_each_row(F&& f) {
  for_each_row<Rows>(f, std::make_integer_sequence<int, Rows>());
}

// Rows x (Lanes * Vectors) elements straight from A (any strides) and B's
// panels of 2 * Lanes columns (panel q at b + q * b_panel_stride, unit
// column stride; n <= Lanes * Vectors columns, the last vector masked),
// stored to C's rows (unit column stride; direct_product stages a strided
// C). Four vectors (two panels) let one broadcast of A feed four FMAs, so
// a narrow B (64 floats, 32 doubles) is done in one pass over A. Prefetch:
// a DirectPrefetch.
template <typename T, int Rows, int Vectors, DirectPrefetch Prefetch>
void direct_block(int64_t k, const T* a, int64_t rs_a, int64_t cs_a, const T* b, int64_t rs_b,
                  int64_t b_panel_stride, T* c, int64_t rs_c, int n,
                  const KernelEpilogue& epilogue) {
  using Z = Zmm<T>;
  constexpr int kLanes = Z::kLanes;
  if (Prefetch != kPrefetchNone) prefetch_tile_rows<Rows, kLanes * Vectors>(c, rs_c, 1, Rows);
  typename Z::V acc[Rows][Vectors];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) acc[i][v] = Z::zero();
  }
  const typename Z::Mask last = Z::low_mask(n - kLanes * (Vectors - 1));
  // A's rows in groups of four from one base each, addressed with the row
  // stride scaled in the instruction: GCC 12, left to itself, stepped a
  // pointer from row to row with one add each, 13 more instructions per k
  // step of a 14-row block, which made its loop issue-bound.
  const T* a_group[(Rows + 3) / 4];
#pragma GCC unroll 4
  for (int g = 0; g < (Rows + 3) / 4; ++g) a_group[g] = a + 4 * g * rs_a;
  const int64_t rs_bytes = rs_a * static_cast<int64_t>(sizeof(T));
  for (int64_t p = 0; p < k; ++p) {
    // A is read in place, one value from each of Rows rows per step. Along
    // rows (cs_a == 1), lines come 16 steps at a time; along columns, the
    // step's line (and the next block's, which mostly shares it) comes one
    // step at a time.
    if ((Prefetch == kPrefetchRows || Prefetch == kPrefetchRowsAndB) && (p & 15) == 0) {
      prefetch_a_rows<Rows>(a, rs_a, cs_a, p);
    }
    // Vector v of B's row at k step q.
    const auto b_vector = [&](int64_t q, int v) {
      return b + q * rs_b + (v / 2) * b_panel_stride + kLanes * (v % 2);
    };
    if (Prefetch == kPrefetchRowsAndB) {
#pragma GCC unroll 4
      for (int v = 0; v < Vectors; ++v) {
        _mm_prefetch(reinterpret_cast<const char*>(b_vector(p + kDirectPrefetchBSteps, v)),
                     _MM_HINT_T0);
      }
    }
    if (Prefetch == kPrefetchColumns) {
      const T* ahead = a + (p + kDirectPrefetchSteps) * cs_a;
      _mm_prefetch(reinterpret_cast<const char*>(ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(ahead + (2 * Rows - 1) * rs_a), _MM_HINT_T0);
    }
    typename Z::V b_vec[Vectors];
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      b_vec[v] = v == Vectors - 1 ? Z::maskz_loadu(last, b_vector(p, v)) : Z::loadu(b_vector(p, v));
    }
    for_each_row<Rows>([&](auto row) {
      constexpr int i = decltype(row)::value;
      const typename Z::V av =
          Z::template broadcast_row<i % 4>(a_group[i / 4] + p * cs_a, rs_bytes, 3 * rs_bytes);
#pragma GCC unroll 4
      for (int v = 0; v < Vectors; ++v) acc[i][v] = Z::fmadd(av, b_vec[v], acc[i][v]);
    });
  }
  store_rows<T, Rows, Vectors>(acc, c, rs_c, last, epilogue);
}

template <typename T>
using DirectBlockFn = void (*)(int64_t, const T*, int64_t, int64_t, const T*, int64_t, int64_t, T*,
                               int64_t, int, const KernelEpilogue&);

// The most rows a block of v vectors takes: its Rows * v accumulators, the
// B vectors and a broadcast fit the 32 registers.
constexpr int kDirectMaxVectors = 4;
constexpr int direct_max_rows(int vectors) {
  return vectors <= 2 ? kDirectMaxRows : (31 - vectors) / vectors;
}

template <typename T, int Rows, int Vectors, DirectPrefetch Prefetch>
constexpr DirectBlockFn<T> direct_block_or_null() {
  if constexpr (Rows <= direct_max_rows(Vectors)) {
    return direct_block<T, Rows, Vectors, Prefetch>;
  } else {
    return nullptr;
  }
}

// The direct blocks by [rows - 1][vectors - 1], rows 1..14 and one to four
// vectors where they fit; one table per DirectPrefetch.
template <typename T>
using DirectBlockTable =
    std::array<std::array<DirectBlockFn<T>, kDirectMaxVectors>, kDirectMaxRows>;
template <typename T, DirectPrefetch Prefetch, int... Rows>
constexpr DirectBlockTable<T> direct_block_table(std::integer_sequence<int, Rows...>) {
  return {{{{direct_block_or_null<T, Rows + 1, 1, Prefetch>(),
             direct_block_or_null<T, Rows + 1, 2, Prefetch>(),
             direct_block_or_null<T, Rows + 1, 3, Prefetch>(),
             direct_block_or_null<T, Rows + 1, 4, Prefetch>()}}...}};
}
template <typename T>
constexpr std::array<DirectBlockTable<T>, 4> kDirectBlocks = {
    direct_block_table<T, kPrefetchNone>(std::make_integer_sequence<int, kDirectMaxRows>()),
    direct_block_table<T, kPrefetchRows>(std::make_integer_sequence<int, kDirectMaxRows>()),
    direct_block_table<T, kPrefetchColumns>(std::make_integer_sequence<int, kDirectMaxRows>()),
    direct_block_table<T, kPrefetchRowsAndB>(std::make_integer_sequence<int, kDirectMaxRows>())};

// Which direct blocks a product of sums over k takes, in passes of
// pass_cols columns of B.
template <typename T>
inline DirectPrefetch direct_prefetch(int64_t cs_a, int64_t k, int64_t pass_cols,
                                      const KernelEpilogue& epilogue) {
  if (!epilogue.prefetch) return kPrefetchNone;
  if (cs_a != 1) return kPrefetchColumns;
  const int64_t pass_bytes = k * pass_cols * static_cast<int64_t>(sizeof(T));
  return pass_bytes >= kDirectPrefetchBMinPassBytes ? kPrefetchRowsAndB : kPrefetchRows;
}

float bf16_bits_to_f32(uint16_t bits) {
  const uint32_t u = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

float f16_bits_to_f32(uint16_t bits) { return _cvtsh_ss(bits); }

// Sixteen values of a 16-bit format widened to float (exact).
__m512 bf16_16_to_f32(__m256i bits) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bits), 16));
}
__m512 f16_16_to_f32(__m256i bits) { return _mm512_cvtph_ps(bits); }

// Rows of a 16-bit format widened to float rows (see WidenRowsFn).
template <__m512 (*Widen16)(__m256i)>
void widen_rows(const uint16_t* in, int64_t rs, int64_t rows, int64_t cols, float* dst) {
  if (rs == cols) {
    // Contiguous rows are one run of whole vectors: a B of 64 rows of 10
    // took a masked load and store per row, a third of a float16 10x64x10
    // product.
    cols *= rows;
    rows = 1;
  }
  for (int64_t i = 0; i < rows; ++i) {
    const uint16_t* row = in + i * rs;
    float* out = dst + i * cols;
    int64_t j = 0;
    for (; j + 16 <= cols; j += 16) {
      _mm512_storeu_ps(out + j,
                       Widen16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + j))));
    }
    if (j < cols) {
      const __mmask16 mask = low_mask16(cols - j);
      _mm512_mask_storeu_ps(out + j, mask, Widen16(_mm256_maskz_loadu_epi16(mask, row + j)));
    }
  }
}

// Transposes a 16x16 block of 32-bit values held in 16 registers (row i in
// r[i]): four rounds of shuffles, 64 instructions for 256 values. Inlined:
// as a call, GCC passed the block through memory both ways and ended with
// a vzeroupper, which made packing a transposed view 2.2x slower (256 rows
// of 128: 6.0 -> 2.7 us).
inline __attribute__((always_inline)) void transpose_16x16(__m512 (&r)[16]) {
  __m512 t[16];
#pragma GCC unroll 4
  for (int i = 0; i < 16; i += 4) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    t[i + 2] = _mm512_unpacklo_ps(r[i + 2], r[i + 3]);
    t[i + 3] = _mm512_unpackhi_ps(r[i + 2], r[i + 3]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xdd);
    t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xdd);
  }
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
  }
}

// Transposes an 8x8 block of doubles held in 8 registers.
inline __attribute__((always_inline)) void transpose_8x8(__m512d (&r)[8]) {
  __m512d t[8];
#pragma GCC unroll 4
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm512_unpacklo_pd(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_pd(r[i], r[i + 1]);
  }
  __m512d u[8];
#pragma GCC unroll 2
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm512_shuffle_f64x2(t[i], t[i + 2], 0x88);
    u[i + 1] = _mm512_shuffle_f64x2(t[i + 1], t[i + 3], 0x88);
    u[i + 2] = _mm512_shuffle_f64x2(t[i], t[i + 2], 0xdd);
    u[i + 3] = _mm512_shuffle_f64x2(t[i + 1], t[i + 3], 0xdd);
  }
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm512_shuffle_f64x2(u[i], u[i + 4], 0x88);
    r[i + 4] = _mm512_shuffle_f64x2(u[i], u[i + 4], 0xdd);
  }
}

// Steps ahead of its loads that pack_contiguous_steps asks for a step's
// run (see there).
constexpr int64_t kPackStepsAhead = 8;

// Packing a source whose R values of one k step are contiguous
// (row_stride == 1; A column-major, B row-major): one or two masked vector
// copies per panel and k step. Steps are the outer loop, over a group of
// panels at a time, so the source is read once, in order, a long run of
// each step's values at a time, which the prefetchers stream from memory;
// panel by panel, it was read in short strided runs, once for each panel
// (the input^T of a weight gradient, 64 x 1024 from memory: 26.7 -> 19.5
// us; in L2: 8.1 -> 5.5 us).
template <typename T, int R>
void pack_contiguous_steps(const T* src, int64_t k_stride, int64_t rows, int64_t k, T* dst) {
  using Z = Zmm<T>;
  constexpr int kLanes = Z::kLanes;
  constexpr int64_t kGroupPanels = 8;  // 8 output streams, up to 256 values of a step
  const int64_t panels = (rows + R - 1) / R;
  typename Z::Mask full_lo, full_hi, last_lo, last_hi;
  two_vector_masks<typename Z::Mask, kLanes>(R, &full_lo, &full_hi);
  two_vector_masks<typename Z::Mask, kLanes>(static_cast<int>(rows - (panels - 1) * R), &last_lo,
                                             &last_hi);
  for (int64_t q0 = 0; q0 < panels; q0 += kGroupPanels) {
    const int64_t group = panels - q0 < kGroupPanels ? panels - q0 : kGroupPanels;
    // The bytes of a step's run; the run kPackStepsAhead steps on is asked
    // for with each step, as the steps lie far apart (a column-major A's
    // columns, 1-8 KB in a weight gradient's input^T), which the hardware
    // prefetchers follow only partly. Weight gradients from memory, one
    // thread, the API timed with rdtsc: 64x2048x64x64 64-71 -> 67-74 flop a
    // TSC tick, 64x256x512x256 76-80 -> 80-84.
    const int64_t run_bytes =
        (q0 + group < panels ? group * R : rows - q0 * R) * static_cast<int64_t>(sizeof(T));
    for (int64_t p = 0; p < k; ++p) {
      const T* s = src + p * k_stride + q0 * R;
      T* d = dst + q0 * R * k + p * R;
      if (p + kPackStepsAhead < k) {
        const char* ahead = reinterpret_cast<const char*>(s + kPackStepsAhead * k_stride);
        for (int64_t byte = 0; byte < run_bytes + 63; byte += 64) {
          __builtin_prefetch(ahead + byte, 0, 3);
        }
      }
      for (int64_t q = 0; q < group; ++q) {
        const bool last = q0 + q == panels - 1;
        Z::mask_storeu(d, full_lo, Z::maskz_loadu(last ? last_lo : full_lo, s));
        if (R > kLanes) {
          Z::mask_storeu(d + kLanes, full_hi, Z::maskz_loadu(last ? last_hi : full_hi, s + kLanes));
        }
        s += R;
        d += R * k;
      }
    }
  }
}

// Packing into panels of R rows (see PackPanelsFn), three source shapes:
//  - the R values of one k step contiguous: pack_contiguous_steps;
//  - k contiguous (k_stride == 1; A row-major, B column-major, the backward
//    pass's transposed views): 16 rows x 16 k steps loaded, transposed in
//    registers and stored as 16 k steps;
//  - anything else: gathered one value at a time.
template <int R>
void pack_f32(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows, int64_t k,
              void* dst_void) {
  const float* src = static_cast<const float*>(src_void);
  float* dst = static_cast<float*>(dst_void);
  if (row_stride == 1) {
    pack_contiguous_steps<float, R>(src, k_stride, rows, k, dst);
    return;
  }
  // Rows of contiguous k are fetched ahead (none are for the gathered layout).
  PackRowsAhead<R, float> ahead(src, row_stride, k_stride == 1 ? rows : 0, k);
  for (int64_t r0 = 0; r0 < rows; r0 += R) {
    const int height = static_cast<int>(rows - r0 < R ? rows - r0 : R);
    const float* panel = src + r0 * row_stride;
    if (k_stride == 1) {
      for (int64_t p0 = 0; p0 < k; p0 += 16) {
        ahead.next_line();
        const int64_t steps = k - p0 < 16 ? k - p0 : 16;
        const __mmask16 k_mask = low_mask16(steps);
        for (int rb = 0; rb < R; rb += 16) {
          const __mmask16 lanes = low_mask16(R - rb);
          if (rb >= height) {
            // Padding only (a B^T panel of 16 columns or fewer: the last of
            // one 40 wide, say): zeros, not 16 zero rows transposed. While
            // 64x16x64x16 from K^T took a full panel (before pack_b_half):
            // 49-50 -> 51-52 flop a TSC tick through the API, one thread.
            for (int64_t q = 0; q < steps; ++q) {
              _mm512_mask_storeu_ps(dst + (p0 + q) * R + rb, lanes, _mm512_setzero_ps());
            }
            continue;
          }
          __m512 block[16];
#pragma GCC unroll 16
          for (int i = 0; i < 16; ++i) {
            block[i] = rb + i < height
                           ? _mm512_maskz_loadu_ps(k_mask, panel + (rb + i) * row_stride + p0)
                           : _mm512_setzero_ps();
          }
          transpose_16x16(block);
          for (int64_t q = 0; q < steps; ++q) {
            _mm512_mask_storeu_ps(dst + (p0 + q) * R + rb, lanes, block[q]);
          }
        }
      }
      dst += R * k;
    } else {
      for (int64_t p = 0; p < k; ++p) {
        for (int r = 0; r < height; ++r) dst[r] = panel[r * row_stride + p * k_stride];
        for (int r = height; r < R; ++r) dst[r] = 0.0f;
        dst += R;
      }
    }
  }
}

template <int R>
void pack_f64(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows, int64_t k,
              void* dst_void) {
  const double* src = static_cast<const double*>(src_void);
  double* dst = static_cast<double*>(dst_void);
  if (row_stride == 1) {
    pack_contiguous_steps<double, R>(src, k_stride, rows, k, dst);
    return;
  }
  // Rows of contiguous k are fetched ahead (none are for the gathered layout).
  PackRowsAhead<R, double> ahead(src, row_stride, k_stride == 1 ? rows : 0, k);
  for (int64_t r0 = 0; r0 < rows; r0 += R) {
    const int height = static_cast<int>(rows - r0 < R ? rows - r0 : R);
    const double* panel = src + r0 * row_stride;
    if (k_stride == 1) {
      for (int64_t p0 = 0; p0 < k; p0 += 8) {
        ahead.next_line();
        const int64_t steps = k - p0 < 8 ? k - p0 : 8;
        const __mmask8 k_mask = low_mask8(steps);
        for (int rb = 0; rb < R; rb += 8) {
          __m512d block[8];
#pragma GCC unroll 8
          for (int i = 0; i < 8; ++i) {
            block[i] = rb + i < height
                           ? _mm512_maskz_loadu_pd(k_mask, panel + (rb + i) * row_stride + p0)
                           : _mm512_setzero_pd();
          }
          transpose_8x8(block);
          const __mmask8 lanes = low_mask8(R - rb);
          for (int64_t q = 0; q < steps; ++q) {
            _mm512_mask_storeu_pd(dst + (p0 + q) * R + rb, lanes, block[q]);
          }
        }
      }
      dst += R * k;
    } else {
      for (int64_t p = 0; p < k; ++p) {
        for (int r = 0; r < height; ++r) dst[r] = panel[r * row_stride + p * k_stride];
        for (int r = height; r < R; ++r) dst[r] = 0.0;
        dst += R;
      }
    }
  }
}

// 16-bit sources widened to float while packing, for the f32 kernel: each
// panel, kChunk k steps at a time, widened into a float copy in the
// source's own layout (whole vectors along its contiguous dimension), which
// pack_f32 then packs (one thread, float16, value by value before:
// 64x256x512x256 90 -> 100 GFLOP/s, 1x2048x2048x2048 95 -> 106).
template <int R, __m512 (*Widen16)(__m256i), float (*Widen1)(uint16_t)>
void pack_16bit_to_f32(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows,
                       int64_t k, void* dst_void) {
  constexpr int64_t kChunk = 128;
  alignas(64) float staging[R * kChunk];
  const uint16_t* src = static_cast<const uint16_t*>(src_void);
  float* dst = static_cast<float*>(dst_void);
  for (int64_t r0 = 0; r0 < rows; r0 += R) {
    const int64_t height = std::min<int64_t>(R, rows - r0);
    const uint16_t* panel = src + r0 * row_stride;
    for (int64_t p0 = 0; p0 < k; p0 += kChunk) {
      const int64_t steps = std::min(kChunk, k - p0);
      const uint16_t* block = panel + p0 * k_stride;
      float* out = dst + r0 * k + p0 * R;
      if (k_stride == 1) {  // k contiguous: staging row r holds its steps values
        widen_rows<Widen16>(block, row_stride, height, steps, staging);
        pack_f32<R>(staging, steps, 1, height, steps, out);
      } else if (row_stride == 1) {  // rows contiguous: staging step p holds its R values
        for (int64_t p = 0; p < steps; ++p) {
          widen_rows<Widen16>(block + p * k_stride, height, 1, height, staging + p * R);
        }
        pack_f32<R>(staging, 1, R, height, steps, out);
      } else {
        for (int64_t p = 0; p < steps; ++p) {
          for (int64_t r = 0; r < height; ++r) {
            staging[p * R + r] = Widen1(block[r * row_stride + p * k_stride]);
          }
        }
        pack_f32<R>(staging, 1, R, height, steps, out);
      }
    }
  }
}

// bf16 pairs along k: for each pair q, R rows of (value at 2q, value at
// 2q+1) -- one 32-bit lane of vdpbf16ps. The same three source shapes as
// pack_f32: rows contiguous (two k steps zero-extended and merged into
// 32-bit lanes), k contiguous (pairs are already 32-bit words: the 16x16
// transpose), or gathered.
template <int R>
void pack_bf16_pairs(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows,
                     int64_t k, void* dst_void) {
  const uint16_t* src = static_cast<const uint16_t*>(src_void);
  uint16_t* dst = static_cast<uint16_t*>(dst_void);
  const int64_t pairs = (k + 1) / 2;
  for (int64_t r0 = 0; r0 < rows; r0 += R) {
    const int height = static_cast<int>(rows - r0 < R ? rows - r0 : R);
    const uint16_t* panel = src + r0 * row_stride;
    float* dst_words = reinterpret_cast<float*>(dst);
    if (row_stride == 1) {
      for (int64_t q = 0; q < pairs; ++q) {
        const uint16_t* even = panel + 2 * q * k_stride;
        const bool has_odd = 2 * q + 1 < k;
        for (int rb = 0; rb < R; rb += 16) {
          const __mmask16 rows_mask = low_mask16(height - rb > 0 ? height - rb : 0);
          const __m512i lo = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(rows_mask, even + rb));
          const __m512i hi =
              has_odd
                  ? _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(rows_mask, even + k_stride + rb))
                  : _mm512_setzero_si512();
          const __m512i words = _mm512_or_si512(lo, _mm512_slli_epi32(hi, 16));
          _mm512_mask_storeu_ps(dst_words + q * R + rb, low_mask16(R - rb),
                                _mm512_castsi512_ps(words));
        }
      }
    } else if (k_stride == 1) {
      for (int64_t q0 = 0; q0 < pairs; q0 += 16) {
        const int64_t values = k - 2 * q0 < 32 ? k - 2 * q0 : 32;
        const __mmask32 k_mask = values >= 32 ? 0xffffffffu : (1u << values) - 1u;
        const int64_t steps = (values + 1) / 2;
        for (int rb = 0; rb < R; rb += 16) {
          __m512 block[16];
#pragma GCC unroll 16
          for (int i = 0; i < 16; ++i) {
            block[i] = rb + i < height ? _mm512_castsi512_ps(_mm512_maskz_loadu_epi16(
                                             k_mask, panel + (rb + i) * row_stride + 2 * q0))
                                       : _mm512_setzero_ps();
          }
          transpose_16x16(block);
          const __mmask16 lanes = low_mask16(R - rb);
          for (int64_t q = 0; q < steps; ++q) {
            _mm512_mask_storeu_ps(dst_words + (q0 + q) * R + rb, lanes, block[q]);
          }
        }
      }
    } else {
      for (int64_t q = 0; q < pairs; ++q) {
        const int64_t p = 2 * q;
        uint16_t* out = dst + 2 * q * R;
        for (int r = 0; r < height; ++r) {
          const uint16_t* s = panel + r * row_stride + p * k_stride;
          out[2 * r] = s[0];
          out[2 * r + 1] = p + 1 < k ? s[k_stride] : uint16_t{0};
        }
        for (int r = height; r < R; ++r) {
          out[2 * r] = 0;
          out[2 * r + 1] = 0;
        }
      }
    }
    dst += 2 * R * pairs;
  }
}

// A whole small product on the direct blocks: passes of up to four vectors
// (two panels) over A, each in row blocks of near-equal height
// (for_each_row_block).
//
// A with strided columns (a weight gradient's input^T) takes passes of two
// vectors: a block then reads 14 of the 16 values of each line of A it
// touches (a k step of 14 rows) rather than 6, and its lines, 1-2 KB apart
// and so in few L1 sets, are fetched from L2 less often. More passes
// re-read A, and still win: the API timed with rdtsc, one thread, medians
// of 5 alternated runs, flop per TSC tick: quant's weight gradient (16 x
// 256x128x128 from x^T) 81.8 -> 87.0 and 83.9 -> 89.9 (two threads 162.5
// -> 172.6), 4 x 1024x256x64 (A of 1 MB) 70.5 -> 80.3 (two threads 134.4
// -> 148.4). A column's sums do not depend on the pass it is in.
//
// A C with strided columns (a transposed output) takes its blocks' sums
// through an aligned tile here, which the strided store writes with the
// epilogue, so the blocks themselves store rows only and need no tile (and
// no aligned stack frame) of their own: with store_rows' row pointer,
// 64x2048x64x64 in 2-3% fewer cycles (kernel called straight).
template <typename T>
__attribute__((noinline)) void direct_product(int64_t m, int64_t n, int64_t k, const T* a,
                                              int64_t rs_a, int64_t cs_a, const T* b, int64_t rs_b,
                                              int64_t b_panel_stride, T* c, int64_t rs_c,
                                              int64_t cs_c, const KernelEpilogue& epilogue) {
  using Z = Zmm<T>;
  constexpr int kLanes = Z::kLanes;
  constexpr int kPanelCols = 2 * kLanes;
  constexpr int kPassCols = kDirectMaxVectors * kLanes;
  const int64_t pass_cols = cs_a == 1 ? kPassCols : kPanelCols;
  const DirectBlockTable<T>& blocks =
      kDirectBlocks<T>[direct_prefetch<T>(cs_a, k, std::min(n, pass_cols), epilogue)];
  KernelEpilogue sums_only = epilogue;
  sums_only.scale_is_one = true;
  sums_only.add_to_c = false;
  alignas(64) T tile[kDirectMaxRows * kPassCols];
  for (int64_t j0 = 0; j0 < n; j0 += pass_cols) {
    const int cols = static_cast<int>(n - j0 < pass_cols ? n - j0 : pass_cols);
    const int vectors = (cols + kLanes - 1) / kLanes;
    const T* b_panel = b + (j0 / kPanelCols) * b_panel_stride;
    const int max_rows = direct_max_rows(vectors);
    if (cs_c != 1) {
      for_each_row_block(m, max_rows, [&](int64_t i0, int64_t rows) {
        blocks[rows - 1][vectors - 1](k, a + i0 * rs_a, rs_a, cs_a, b_panel, rs_b, b_panel_stride,
                                      tile, kPassCols, cols, sums_only);
        Z::store_tile(tile, kPassCols, c + i0 * rs_c + j0 * cs_c, rs_c, cs_c,
                      static_cast<int>(rows), cols, epilogue);
      });
      continue;
    }
    if (m <= max_rows) {  // one block, and no division on the smallest products' path
      blocks[m - 1][vectors - 1](k, a, rs_a, cs_a, b_panel, rs_b, b_panel_stride, c + j0, rs_c,
                                 cols, epilogue);
      continue;
    }
    for_each_row_block(m, max_rows, [&](int64_t i0, int64_t rows) {
      blocks[rows - 1][vectors - 1](k, a + i0 * rs_a, rs_a, cs_a, b_panel, rs_b, b_panel_stride,
                                    c + i0 * rs_c + j0, rs_c, cols, epilogue);
    });
  }
}

// The kernels' entry: a product that one block covers (attention's small
// heads) calls that block straight, a tail call with nothing of the general
// loop's frame in the way (6% of a 10x64x10 product); others take the loop.
template <typename T>
inline void direct_product_entry(int64_t m, int64_t n, int64_t k, const T* a, int64_t rs_a,
                                 int64_t cs_a, const T* b, int64_t rs_b, int64_t b_panel_stride,
                                 T* c, int64_t rs_c, int64_t cs_c, const KernelEpilogue& epilogue) {
  constexpr int kLanes = Zmm<T>::kLanes;
  if (m <= kDirectMaxRows && n <= 2 * kLanes && cs_c == 1) {
    return kDirectBlocks<T>[direct_prefetch<T>(cs_a, k, n, epilogue)][m - 1][(n - 1) / kLanes](
        k, a, rs_a, cs_a, b, rs_b, b_panel_stride, c, rs_c, static_cast<int>(n), epilogue);
  }
  direct_product<T>(m, n, k, a, rs_a, cs_a, b, rs_b, b_panel_stride, c, rs_c, cs_c, epilogue);
}

// bf16 on the direct path: Rows x (16 * Vectors) float sums from A's bf16
// rows in place (unit column stride: a 32-bit load is a pair of
// consecutive k values) and one panel of B packed in pairs (the packed
// path's layout: pair step q of column j at b + q * rs_b + 2 * j). The
// same vdpbf16ps steps as gemm_bf16_mrx32 on the same pairs, an odd k's
// last pair completed with zero, so the sums are identical. The float sums
// go to c unscaled; the caller rounds them into the bf16 output.
//
// With BRows, b is B itself (row stride rs_b, unit column stride) and each
// pair step interleaves two of its rows, the pairs the packing would have
// written: a small product then skips packing B (a third of a 10x64x10
// product).
template <int Rows, int Vectors, bool BRows>
void bf16_direct_block(int64_t k, const uint16_t* a, int64_t rs_a, const uint16_t* b, int64_t rs_b,
                       float* c, int64_t rs_c, int n) {
  __m512 acc[Rows][Vectors];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  __mmask16 columns[Vectors];
#pragma GCC unroll 2
  for (int v = 0; v < Vectors; ++v) columns[v] = low_mask16(n - 16 * v);
  const int64_t pairs = (k + 1) / 2;
  for (int64_t q = 0; q < pairs; ++q) {
    const bool last_odd = 2 * q + 1 == k;
    __m512bh b_vec[Vectors];
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) {
      if constexpr (BRows) {
        const uint16_t* even = b + 2 * q * rs_b + 16 * v;
        const __m512i low = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(columns[v], even));
        const __m512i high = _mm512_cvtepu16_epi32(
            _mm256_maskz_loadu_epi16(last_odd ? __mmask16{0} : columns[v], even + rs_b));
        b_vec[v] = (__m512bh)_mm512_or_si512(low, _mm512_slli_epi32(high, 16));
      } else {
        b_vec[v] = (__m512bh)_mm512_loadu_si512(b + q * rs_b + 32 * v);
      }
    }
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      const uint16_t* pair_ptr = a + i * rs_a + 2 * q;
      uint32_t pair = pair_ptr[0];
      if (!last_odd) std::memcpy(&pair, pair_ptr, sizeof pair);
      const __m512bh a_i = (__m512bh)_mm512_set1_epi32(static_cast<int32_t>(pair));
#pragma GCC unroll 2
      for (int v = 0; v < Vectors; ++v) acc[i][v] = _mm512_dpbf16_ps(acc[i][v], a_i, b_vec[v]);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) {
      _mm512_mask_storeu_ps(c + i * rs_c + 16 * v, columns[v], acc[i][v]);
    }
  }
}

using Bf16DirectBlockFn = void (*)(int64_t, const uint16_t*, int64_t, const uint16_t*, int64_t,
                                   float*, int64_t, int);
template <bool BRows, int... Rows>
constexpr std::array<std::array<Bf16DirectBlockFn, 2>, sizeof...(Rows)> bf16_direct_blocks(
    std::integer_sequence<int, Rows...>) {
  return {{{{bf16_direct_block<Rows + 1, 1, BRows>, bf16_direct_block<Rows + 1, 2, BRows>}}...}};
}
// By [B's rows in place][rows - 1][vectors - 1].
constexpr std::array<std::array<std::array<Bf16DirectBlockFn, 2>, 14>, 2> kBf16DirectBlocks = {
    bf16_direct_blocks<false>(std::make_integer_sequence<int, 14>()),
    bf16_direct_blocks<true>(std::make_integer_sequence<int, 14>())};

// The bf16 direct product: 32-column passes, rows in blocks of near-equal
// height. B's pass j0 starts b_panel_stride elements after the previous.
void bf16_direct_product(bool b_rows, int64_t m, int64_t n, int64_t k, const uint16_t* a,
                         int64_t rs_a, const uint16_t* b, int64_t rs_b, int64_t b_panel_stride,
                         float* c, int64_t rs_c) {
  for (int64_t j0 = 0; j0 < n; j0 += 32) {
    const int cols = static_cast<int>(n - j0 < 32 ? n - j0 : 32);
    const uint16_t* b_panel = b + (j0 / 32) * b_panel_stride;
    for_each_row_block(m, 14, [&](int64_t i0, int64_t rows) {
      kBf16DirectBlocks[b_rows][rows - 1][cols > 16 ? 1 : 0](k, a + i0 * rs_a, rs_a, b_panel, rs_b,
                                                             c + i0 * rs_c + j0, rs_c, cols);
    });
  }
}

}  // namespace

void gemm_f32_14x32_avx512(int64_t k, const void* a, const void* b, void* c, int64_t rs_c,
                           int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  kF32TileKernels[m - 1](k, static_cast<const float*>(a), static_cast<const float*>(b),
                         static_cast<float*>(c), rs_c, cs_c, m, n, epilogue);
}
void gemm_f64_14x16_avx512(int64_t k, const void* a, const void* b, void* c, int64_t rs_c,
                           int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  kF64TileKernels[m - 1](k, static_cast<const double*>(a), static_cast<const double*>(b),
                         static_cast<double*>(c), rs_c, cs_c, m, n, epilogue);
}
void gemm_bf16_14x32_avx512(int64_t k, const void* a, const void* b, void* c, int64_t rs_c,
                            int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  kBf16TileKernels[m - 1](k, static_cast<const uint16_t*>(a), static_cast<const uint16_t*>(b),
                          static_cast<float*>(c), rs_c, cs_c, m, n, epilogue);
}

void gemm_bf16_direct_14x32_avx512(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                                   int64_t cs_a, const void* b, int64_t rs_b,
                                   int64_t b_panel_stride, void* c, int64_t rs_c, int64_t cs_c,
                                   const KernelEpilogue&) {
  // The driver passes unit column strides (cs_a, cs_c) and float sums.
  (void)cs_a;
  (void)cs_c;
  bf16_direct_product(false, m, n, k, static_cast<const uint16_t*>(a), rs_a,
                      static_cast<const uint16_t*>(b), rs_b, b_panel_stride, static_cast<float*>(c),
                      rs_c);
}
void gemm_bf16_direct_b_rows_14x32_avx512(int64_t m, int64_t n, int64_t k, const void* a,
                                          int64_t rs_a, int64_t cs_a, const void* b, int64_t rs_b,
                                          int64_t, void* c, int64_t rs_c, int64_t cs_c,
                                          const KernelEpilogue&) {
  (void)cs_a;
  (void)cs_c;
  bf16_direct_product(true, m, n, k, static_cast<const uint16_t*>(a), rs_a,
                      static_cast<const uint16_t*>(b), rs_b, 32, static_cast<float*>(c), rs_c);
}

void gemm_f32_direct_14x32_avx512(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                                  int64_t cs_a, const void* b, int64_t rs_b, int64_t b_panel_stride,
                                  void* c, int64_t rs_c, int64_t cs_c,
                                  const KernelEpilogue& epilogue) {
  direct_product_entry<float>(m, n, k, static_cast<const float*>(a), rs_a, cs_a,
                              static_cast<const float*>(b), rs_b, b_panel_stride,
                              static_cast<float*>(c), rs_c, cs_c, epilogue);
}

namespace {

// Products 9 or 10 columns wide (attention's scores for short sequences).
// In float32 a 16-lane vector per row would leave 6 or 7 lanes idle in
// every FMA, the bound libxsmm and the direct blocks sit at. Here each FMA
// sums several k of a few columns instead, and every lane does useful work
// (see kNarrowMaxRowsF32). (Cascade Lake, one thread, 32x10x64x10: 48
// GFLOP/s with 8-lane FMAs for columns 0..7, 55 with two k a lane.)
//
// These sums run in a different order from the other kernels', so the
// driver uses this kernel per product, never per tile (see
// TypedGemmKernel::direct_narrow); each row's sums do not depend on which
// rows share its block.
//
// float64: columns 0..7 fill one 8-lane vector per row (where the
// 16-column block needs two vectors for 10 columns), and the tail takes 4 k
// at a time: lanes 0..3 of a row's tail sum column 8 over k = 0..3 (mod
// 4), lanes 4..7 column 9.

// Rows per float64 block: a row holds two accumulators, 24 registers for
// 12 rows, with B's vectors and A's broadcasts beside them (blocks of 5 or
// 6 rows, re-reading B, were slower for 10 rows).
constexpr int kNarrowMaxRows = 12;

// B's tail columns for `count` (<= 4) consecutive k in the tails' layout;
// lanes past count, and column 9 when Tail is 1, are zero.
template <int Tail>
inline __attribute__((always_inline)) __m512d narrow_tail_of_b_f64(const double* b, int64_t rs_b,
                                                                   int count) {
  __m128d pairs[4];
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    const double* row = b + j * rs_b + 8;
    if (j >= count) {
      pairs[j] = _mm_setzero_pd();
    } else if constexpr (Tail == 2) {
      pairs[j] = _mm_loadu_pd(row);
    } else {
      pairs[j] = _mm_load_sd(row);
    }
  }
  const __m256d column_8 =
      _mm256_set_m128d(_mm_unpacklo_pd(pairs[2], pairs[3]), _mm_unpacklo_pd(pairs[0], pairs[1]));
  const __m256d column_9 =
      _mm256_set_m128d(_mm_unpackhi_pd(pairs[2], pairs[3]), _mm_unpackhi_pd(pairs[0], pairs[1]));
  return _mm512_insertf64x4(_mm512_castpd256_pd512(column_8), column_9, 1);
}

// Rows x (8 + Tail) doubles into C rows with unit column stride: the first
// 8 of a row from its vector, the rest from tail_sums[row]. (A float row
// fits one vector; see narrow_block_f32.)
template <StoreMode Mode, int Rows, int Tail>
inline __attribute__((always_inline)) void store_narrow_rows(const __m512d (&acc)[Rows],
                                                             const double (*tail_sums)[2],
                                                             double* c, int64_t rs_c,
                                                             double scale) {
  const __m512d scale_8 = _mm512_set1_pd(scale);
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    double* row = c + i * rs_c;
    _mm512_storeu_pd(row, combine<double, Mode>(acc[i], row, 0xff, scale_8));
#pragma GCC unroll 2
    for (int j = 0; j < Tail; ++j) {
      row[8 + j] = combine_1<Mode>(tail_sums[i][j], row + 8 + j, scale);
    }
  }
}

// A float64 narrow block's sums into C with the epilogue.
template <int Rows, int Tail>
inline __attribute__((always_inline)) void store_narrow(const __m512d (&acc)[Rows],
                                                        const double (*tail_sums)[2], double* c,
                                                        int64_t rs_c, int64_t cs_c,
                                                        const KernelEpilogue& epilogue) {
  if (cs_c != 1) {
    alignas(64) double sums[Rows][8 + Tail];
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      _mm512_storeu_pd(&sums[i][0], acc[i]);
      for (int j = 0; j < Tail; ++j) sums[i][8 + j] = tail_sums[i][j];
    }
    return store_tile_f64(&sums[0][0], 8 + Tail, c, rs_c, cs_c, Rows, 8 + Tail, epilogue);
  }
  const double scale = epilogue.scale_f64;
  with_store_mode(epilogue, [&](auto mode) {
    store_narrow_rows<decltype(mode)::value, Rows, Tail>(acc, tail_sums, c, rs_c, scale);
  });
}

// A's two consecutive elements at `a` in every pair of lanes, one load
// (GCC would load the pair, then broadcast it on the shuffle port).
inline __attribute__((always_inline)) __m512 broadcast_pair(const float* a) {
  using FloatPair = double __attribute__((may_alias));
  __m512 r;
  asm("vbroadcastsd %[a], %[r]" : [r] "=v"(r) : [a] "m"(*reinterpret_cast<const FloatPair*>(a)));
  return r;
}

// The 8 x 4 transpose of 64-bit k pairs behind column_pairs_of_b: from
// z0 = columns 0 | 2, z1 = 1 | 3, z2 = 4 | 6, z3 = 5 | 7 (8 k each),
// pair[j] takes k pair j of every column. Unpacking leaves pairs 0 and 2
// (lo) or 1 and 3 (hi) of columns 0, 1 | 0, 1 | 2, 3 | 2, 3 by 128-bit
// lane, and the shuffles pick the lanes of one pair.
inline __attribute__((always_inline)) void pairs_of_columns(__m512d z0, __m512d z1, __m512d z2,
                                                            __m512d z3, __m512 (&pair)[4]) {
  const __m512d lo_0123 = _mm512_unpacklo_pd(z0, z1);
  const __m512d hi_0123 = _mm512_unpackhi_pd(z0, z1);
  const __m512d lo_4567 = _mm512_unpacklo_pd(z2, z3);
  const __m512d hi_4567 = _mm512_unpackhi_pd(z2, z3);
  pair[0] = _mm512_castpd_ps(_mm512_shuffle_f64x2(lo_0123, lo_4567, 0x88));
  pair[1] = _mm512_castpd_ps(_mm512_shuffle_f64x2(hi_0123, hi_4567, 0x88));
  pair[2] = _mm512_castpd_ps(_mm512_shuffle_f64x2(lo_0123, lo_4567, 0xdd));
  pair[3] = _mm512_castpd_ps(_mm512_shuffle_f64x2(hi_0123, hi_4567, 0xdd));
}

// Columns 0..7 of B (b0 and b4 address columns 0 and 4 at this k; rs and
// rs3 one and three column strides in bytes) at 8 k: pair[j] takes k pair j
// of every column (lane 2c + t:
// column c at k 2j + t).
inline __attribute__((always_inline)) void column_pairs_of_b(const float* b0, const float* b4,
                                                             int64_t rs, int64_t rs3,
                                                             __m512 (&pair)[4]) {
  __m512d z0, z1, z2, z3;
  asm("vmovupd (%[b0]), %t[z0]\n\t"
      "vinsertf64x4 $1, (%[b0],%[rs],2), %[z0], %[z0]\n\t"
      "vmovupd (%[b0],%[rs]), %t[z1]\n\t"
      "vinsertf64x4 $1, (%[b0],%[rs3]), %[z1], %[z1]\n\t"
      "vmovupd (%[b4]), %t[z2]\n\t"
      "vinsertf64x4 $1, (%[b4],%[rs],2), %[z2], %[z2]\n\t"
      "vmovupd (%[b4],%[rs]), %t[z3]\n\t"
      "vinsertf64x4 $1, (%[b4],%[rs3]), %[z3], %[z3]"
      : [z0] "=&v"(z0), [z1] "=&v"(z1), [z2] "=&v"(z2), [z3] "=&v"(z3)
      : [b0] "r"(b0), [b4] "r"(b4), [rs] "r"(rs), [rs3] "r"(rs3)
      : "memory");
  pairs_of_columns(z0, z1, z2, z3, pair);
}

// column_pairs_of_b for fewer than 8 k: each column's k where `valid`
// is set, zeros past them (masked loads read nothing there).
inline __attribute__((always_inline)) void masked_column_pairs_of_b(const float* b, int64_t cs_b,
                                                                    __mmask8 valid,
                                                                    __m512 (&pair)[4]) {
  const auto columns = [&](int c, int d) {
    return _mm512_insertf64x4(
        _mm512_castpd256_pd512(_mm256_castps_pd(_mm256_maskz_loadu_ps(valid, b + c * cs_b))),
        _mm256_castps_pd(_mm256_maskz_loadu_ps(valid, b + d * cs_b)), 1);
  };
  pairs_of_columns(columns(0, 2), columns(1, 3), columns(4, 6), columns(5, 7), pair);
}

// The float32 narrow kernel takes four k per FMA: lane 4c + t of a row's
// accumulators sums column c (of columns 0..3, or 4..7 in the second) over
// k = t (mod 4), fed by one 16-byte broadcast of the row's four k, so a
// load of A feeds two FMAs. Columns 8 and 9 share one accumulator between
// two rows: lanes 0..7 hold the first row's (column 8, then column 9, four
// k each), lanes 8..15 the second's, fed by the two rows' broadcasts
// blended. A 4-k step of 10 rows is 25 FMAs, 10 broadcasts and 5 blends
// beside B's 10 loads and 8 shuffles. Before, two k per FMA (lane 2c + t,
// columns 8 and 9 in a row's own accumulator over k mod 8) took 56 loads
// for 50 FMAs a step of 8 k and was bound by them (two vector loads a
// cycle here: 29 cycles a step against the FMAs' 25). The kernel called
// straight on 10x64x10 products, one thread, TSC ticks a product, median
// of 15 alternated runs: 0.915 of the time before over 32 products, 0.926
// over 256. (Blending by a masked broadcast load, or two masked FMAs
// instead of the blend: 1.09 and 1.12 of the time with the blend.)
//
// Rows per float block: two accumulators a row and one a row pair (25 for
// 10 rows), with B's three vectors and the row pair's two broadcasts and
// their blend, fill the 32 registers.
constexpr int kNarrowMaxRowsF32 = 10;

// vpermi2ps tables: lane 4c + t from B's row t, column c (low, columns
// 0..3) or c + 4 (high), of rows 0 | 1 in the first table and 2 | 3 in the
// second, eight columns each; and (kQuadTail) column 8's four k, then
// column 9's, twice, from the rows' (column 8, column 9) pairs.
alignas(64) constexpr int32_t kQuadLow[16] = {0, 8,  16, 24, 1, 9,  17, 25,
                                              2, 10, 18, 26, 3, 11, 19, 27};
alignas(64) constexpr int32_t kQuadHigh[16] = {4, 12, 20, 28, 5, 13, 21, 29,
                                               6, 14, 22, 30, 7, 15, 23, 31};
alignas(64) constexpr int32_t kQuadTail[16] = {0, 2, 4, 6, 1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7};

// The narrow kernel's steps are inline asm. As intrinsics, GCC 12 kept a
// pointer per row of A and of B, spilled them to the stack, and issued
// about twice the instructions the step needs: the loop was bound by issue,
// not by the load ports. Here a row pair of A comes from one base and the
// row stride, and B's four rows from one base and one and three strides.

// B's rows 0..3 (from b; rs and rs3 one and three row strides in bytes) in
// the quads' lanes: low and high (columns 0..3 and 4..7), tail (columns 8
// and 9; column 9 zero when Tail is 1). by_low holds kQuadLow.
template <int Tail>
inline __attribute__((always_inline)) void quad_step_b(const float* b, int64_t rs, int64_t rs3,
                                                       __m512 by_low, __m512& low, __m512& high,
                                                       __m512& tail) {
  __m512 t0, t1;
  asm("vmovups (%[b]), %t[t0]\n\t"
      "vinsertf32x8 $1, (%[b],%[rs]), %[t0], %[t0]\n\t"
      "vmovups (%[b],%[rs],2), %t[t1]\n\t"
      "vinsertf32x8 $1, (%[b],%[rs3]), %[t1], %[t1]\n\t"
      "vmovaps %[by_low], %[lo]\n\t"
      "vpermi2ps %[t1], %[t0], %[lo]\n\t"
      "vmovaps %[by_high], %[hi]\n\t"
      "vpermi2ps %[t1], %[t0], %[hi]"
      : [lo] "=&v"(low), [hi] "=&v"(high), [t0] "=&v"(t0), [t1] "=&v"(t1)
      : [b] "r"(b), [rs] "r"(rs), [rs3] "r"(rs3), [by_low] "v"(by_low), [by_high] "m"(kQuadHigh)
      : "memory");
  // The tail columns of rows 0, 1 in t0 and of rows 2, 3 in t1: each row's
  // (column 8, column 9) pair, one 64-bit load, or column 8 alone in the
  // pair's first lane (the second zero).
  if constexpr (Tail == 2) {
    asm("vmovsd 32(%[b]), %x[t0]\n\t"
        "vmovhps 32(%[b],%[rs]), %x[t0], %x[t0]\n\t"
        "vmovsd 32(%[b],%[rs],2), %x[t1]\n\t"
        "vmovhps 32(%[b],%[rs3]), %x[t1], %x[t1]"
        : [t0] "=&v"(t0), [t1] "=&v"(t1)
        : [b] "r"(b), [rs] "r"(rs), [rs3] "r"(rs3)
        : "memory");
  } else {
    asm("vmovss 32(%[b]), %x[t0]\n\t"
        "vinsertps $0x20, 32(%[b],%[rs]), %x[t0], %x[t0]\n\t"
        "vmovss 32(%[b],%[rs],2), %x[t1]\n\t"
        "vinsertps $0x20, 32(%[b],%[rs3]), %x[t1], %x[t1]"
        : [t0] "=&v"(t0), [t1] "=&v"(t1)
        : [b] "r"(b), [rs] "r"(rs), [rs3] "r"(rs3)
        : "memory");
  }
  asm("vinsertf32x4 $1, %x[t1], %t[t0], %t[t0]\n\t"
      "vmovaps %[by_tail], %[t]\n\t"
      "vpermps %[t0], %[t], %[t]"
      : [t] "=&v"(tail), [t0] "+v"(t0)
      : [t1] "v"(t1), [by_tail] "m"(kQuadTail));
}

// The same step's B from B's columns (unit row stride: attention's K^T
// view), in the same lanes, so the sums are the same bits. A column's four
// k are one 16-byte load, in place: b0, b4 and b8 address columns 0, 4 and
// 8 at this k; rs and rs3 are one and three column strides in bytes.
template <int Tail>
inline __attribute__((always_inline)) void quad_step_b_columns(const float* b0, const float* b4,
                                                               const float* b8, int64_t rs,
                                                               int64_t rs3, __m512& low,
                                                               __m512& high, __m512& tail) {
  asm("vmovups (%[b0]), %x[lo]\n\t"
      "vinsertf32x4 $1, (%[b0],%[rs]), %[lo], %[lo]\n\t"
      "vinsertf32x4 $2, (%[b0],%[rs],2), %[lo], %[lo]\n\t"
      "vinsertf32x4 $3, (%[b0],%[rs3]), %[lo], %[lo]\n\t"
      "vmovups (%[b4]), %x[hi]\n\t"
      "vinsertf32x4 $1, (%[b4],%[rs]), %[hi], %[hi]\n\t"
      "vinsertf32x4 $2, (%[b4],%[rs],2), %[hi], %[hi]\n\t"
      "vinsertf32x4 $3, (%[b4],%[rs3]), %[hi], %[hi]"
      : [lo] "=v"(low), [hi] "=v"(high)
      : [b0] "r"(b0), [b4] "r"(b4), [rs] "r"(rs), [rs3] "r"(rs3)
      : "memory");
  if constexpr (Tail == 2) {
    asm("vmovups (%[b8]), %x[t]\n\t"
        "vinsertf32x4 $1, (%[b8],%[rs]), %t[t], %t[t]\n\t"
        "vshuff32x4 $0x44, %[t], %[t], %[t]"
        : [t] "=v"(tail)
        : [b8] "r"(b8), [rs] "r"(rs)
        : "memory");
  } else {
    // A 16-byte load clears the lanes above it: column 9's are zero.
    asm("vmovups (%[b8]), %x[t]\n\t"
        "vshuff32x4 $0x44, %[t], %[t], %[t]"
        : [t] "=v"(tail)
        : [b8] "r"(b8)
        : "memory");
  }
}

// Rows First and First + 1 of a block (one row when First is the last)
// through a 4-k step, from a (row First at this k) and rs (A's row stride
// in bytes). second_half selects lanes 8..15 (0xff00).
template <int Rows, int First>
inline __attribute__((always_inline)) void quad_step_rows(
    const float* a, int64_t rs, __mmask16 second_half, __m512 low, __m512 high, __m512 tail,
    __m512 (&acc_low)[Rows], __m512 (&acc_high)[Rows], __m512 (&tails)[(Rows + 1) / 2]) {
  __m512 x, y, z;
  if constexpr (First + 1 < Rows) {
    asm("vbroadcastf32x4 (%[a]), %[x]\n\t"
        "vbroadcastf32x4 (%[a],%[rs]), %[y]\n\t"
        "vfmadd231ps %[x], %[lo], %[c0]\n\t"
        "vfmadd231ps %[x], %[hi], %[d0]\n\t"
        "vfmadd231ps %[y], %[lo], %[c1]\n\t"
        "vfmadd231ps %[y], %[hi], %[d1]\n\t"
        "vblendmps %[y], %[x], %[z]%{%[half]%}\n\t"
        "vfmadd231ps %[z], %[tl], %[t]"
        : [c0] "+v"(acc_low[First]), [d0] "+v"(acc_high[First]), [c1] "+v"(acc_low[First + 1]),
          [d1] "+v"(acc_high[First + 1]), [t] "+v"(tails[First / 2]), [x] "=&v"(x), [y] "=&v"(y),
          [z] "=&v"(z)
        : [a] "r"(a), [rs] "r"(rs), [lo] "v"(low), [hi] "v"(high), [tl] "v"(tail),
          [half] "Yk"(second_half)
        : "memory");
  } else {
    // The tail's lanes 8..15 sum nothing that is stored.
    asm("vbroadcastf32x4 (%[a]), %[x]\n\t"
        "vfmadd231ps %[x], %[lo], %[c0]\n\t"
        "vfmadd231ps %[x], %[hi], %[d0]\n\t"
        "vfmadd231ps %[x], %[tl], %[t]"
        : [c0] "+v"(acc_low[First]), [d0] "+v"(acc_high[First]), [t] "+v"(tails[First / 2]),
          [x] "=&v"(x)
        : [a] "r"(a), [lo] "v"(low), [hi] "v"(high), [tl] "v"(tail)
        : "memory");
    (void)rs;
    (void)second_half;
    (void)y;
    (void)z;
  }
}

// Every row pair of a block through one step; a_pair[j] is row 2j at this k.
template <int Rows, size_t... J>
inline __attribute__((always_inline)) void quad_step_all_rows(
    std::index_sequence<J...>, const float* const* a_pair, int64_t p, int64_t rs,
    __mmask16 second_half, __m512 low, __m512 high, __m512 tail, __m512 (&acc_low)[Rows],
    __m512 (&acc_high)[Rows], __m512 (&tails)[(Rows + 1) / 2]) {
  (quad_step_rows<Rows, 2 * static_cast<int>(J)>(a_pair[J] + p, rs, second_half, low, high, tail,
                                                 acc_low, acc_high, tails),
   ...);
}

// The first `rest` (1..3) k of narrow_block_f32 (k % 4 of them), from A's
// rows at a and B at b (as narrow_block_f32 reads it), summed from zero
// into sums: acc_low's rows, acc_high's, then the tails. Those steps' B is
// gathered as rows (the same for either layout of B, and nothing read past
// it) and goes through the same lanes; the lanes past rest add zeros. Out
// of line and through memory, and first: done last, by a call given the
// accumulators' addresses, it made GCC keep two of them in memory in the
// loop (K^T's blocks).
template <int Rows, int Tail, bool BColumns>
__attribute__((noinline)) void quad_first_steps(int rest, const float* a, int64_t rs_a,
                                                const float* b, int64_t rs_b, float (*sums)[16]) {
  alignas(64) float rows_of_b[4][16] = {};
  for (int j = 0; j < rest; ++j) {
    for (int col = 0; col < 8 + Tail; ++col) {
      rows_of_b[j][col] = BColumns ? b[col * rs_b + j] : b[j * rs_b + col];
    }
  }
  __m512 low, high, tail;
  quad_step_b<Tail>(&rows_of_b[0][0], 16 * sizeof(float), 48 * sizeof(float),
                    _mm512_load_ps(reinterpret_cast<const float*>(kQuadLow)), low, high, tail);
  const __mmask8 valid = static_cast<__mmask8>((1u << rest) - 1u);
  __m512 x[Rows];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    x[i] = _mm512_broadcast_f32x4(_mm_maskz_loadu_ps(valid, a + i * rs_a));
    _mm512_store_ps(sums[i], _mm512_mul_ps(x[i], low));
    _mm512_store_ps(sums[Rows + i], _mm512_mul_ps(x[i], high));
  }
#pragma GCC unroll 8
  for (int i = 0; i < Rows; i += 2) {
    const __m512 z = i + 1 < Rows ? _mm512_mask_blend_ps(0xff00, x[i], x[i + 1]) : x[i];
    _mm512_store_ps(sums[2 * Rows + i / 2], _mm512_mul_ps(z, tail));
  }
}

// Rows x (8 + Tail) of C from A's rows in place (unit column stride) and
// B's rows (unit column stride, row stride rs_b), or with BColumns B's
// columns (unit row stride, column stride rs_b); see kNarrowMaxRowsF32.
template <int Rows, int Tail, bool Prefetch, bool BColumns>
inline __attribute__((always_inline)) void narrow_block_f32(int64_t k, const float* a, int64_t rs_a,
                                                            const float* b, int64_t rs_b, float* c,
                                                            int64_t rs_c, int64_t cs_c,
                                                            const KernelEpilogue& epilogue) {
  constexpr int kPairs = (Rows + 1) / 2;
  if (Prefetch) prefetch_tile_rows<Rows, 8 + Tail>(c, rs_c, cs_c, Rows);
  // The first k % 4 steps, then four k at a time.
  const int rest = static_cast<int>(k % 4);
  __m512 acc_low[Rows];
  __m512 acc_high[Rows];
  __m512 tails[kPairs];
  if (rest == 0) {
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      acc_low[i] = _mm512_setzero_ps();
      acc_high[i] = _mm512_setzero_ps();
    }
#pragma GCC unroll 8
    for (int j = 0; j < kPairs; ++j) tails[j] = _mm512_setzero_ps();
  } else {
    alignas(64) float first[2 * Rows + kPairs][16];
    quad_first_steps<Rows, Tail, BColumns>(rest, a, rs_a, b, rs_b, first);
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      acc_low[i] = _mm512_load_ps(first[i]);
      acc_high[i] = _mm512_load_ps(first[Rows + i]);
    }
#pragma GCC unroll 8
    for (int j = 0; j < kPairs; ++j) tails[j] = _mm512_load_ps(first[2 * Rows + j]);
  }
  const float* a_pair[kPairs];
#pragma GCC unroll 8
  for (int j = 0; j < kPairs; ++j) a_pair[j] = a + 2 * j * rs_a;
  const int64_t rs_a_bytes = rs_a * static_cast<int64_t>(sizeof(float));
  const int64_t rs_b_bytes = rs_b * static_cast<int64_t>(sizeof(float));
  const __m512 by_low = _mm512_load_ps(reinterpret_cast<const float*>(kQuadLow));
  const __mmask16 second_half = 0xff00;
  for (int64_t p = rest; p < k; p += 4) {
    if (Prefetch && ((p - rest) & 15) == 0) prefetch_a_rows<Rows>(a, rs_a, 1, p);
    __m512 low, high, tail;
    if constexpr (BColumns) {
      quad_step_b_columns<Tail>(b + p, b + 4 * rs_b + p, b + 8 * rs_b + p, rs_b_bytes,
                                3 * rs_b_bytes, low, high, tail);
    } else {
      quad_step_b<Tail>(b + p * rs_b, rs_b_bytes, 3 * rs_b_bytes, by_low, low, high, tail);
    }
    quad_step_all_rows<Rows>(std::make_index_sequence<kPairs>(), a_pair, p, rs_a_bytes, second_half,
                             low, high, tail, acc_low, acc_high, tails);
  }
  // Each column's four k added, two rows at a time: adding the even and
  // odd lanes of a row's two accumulators leaves, in 128-bit lane q, column
  // q's k 0+1 and 2+3 and column q + 4's; the same for the two rows leaves
  // [column q, column q + 4] of the first row, then of the second.
  __m512 row_pairs[kPairs];
#pragma GCC unroll 8
  for (int j = 0; j < kPairs; ++j) {
    __m512 halves[2];
#pragma GCC unroll 2
    for (int r = 0; r < 2; ++r) {
      const int i = 2 * j + r;
      const __m512 u = i < Rows ? acc_low[i] : _mm512_setzero_ps();
      const __m512 v = i < Rows ? acc_high[i] : _mm512_setzero_ps();
      halves[r] = _mm512_add_ps(_mm512_shuffle_ps(u, v, _MM_SHUFFLE(2, 0, 2, 0)),
                                _mm512_shuffle_ps(u, v, _MM_SHUFFLE(3, 1, 3, 1)));
    }
    row_pairs[j] = _mm512_add_ps(_mm512_shuffle_ps(halves[0], halves[1], _MM_SHUFFLE(2, 0, 2, 0)),
                                 _mm512_shuffle_ps(halves[0], halves[1], _MM_SHUFFLE(3, 1, 3, 1)));
  }
  // The tails likewise, two row pairs at a time: 128-bit lane q of
  // tail_sums[g] holds [pair 2g's, pair 2g + 1's] sum for lane q's row and
  // column (q = 2 * row + column - 8), twice.
  constexpr int kTailGroups = (kPairs + 1) / 2;
  __m512 tail_sums[kTailGroups];
#pragma GCC unroll 4
  for (int g = 0; g < kTailGroups; ++g) {
    const __m512 u = tails[2 * g];
    const __m512 v = 2 * g + 1 < kPairs ? tails[2 * g + 1] : _mm512_setzero_ps();
    const __m512 half = _mm512_add_ps(_mm512_shuffle_ps(u, v, _MM_SHUFFLE(2, 0, 2, 0)),
                                      _mm512_shuffle_ps(u, v, _MM_SHUFFLE(3, 1, 3, 1)));
    tail_sums[g] = _mm512_add_ps(_mm512_shuffle_ps(half, half, _MM_SHUFFLE(2, 0, 2, 0)),
                                 _mm512_shuffle_ps(half, half, _MM_SHUFFLE(3, 1, 3, 1)));
  }
  // Each row's 8 + Tail sums in the first lanes of one vector, stored with
  // one masked store.
  __m512 rows[Rows][1];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    const int r = i % 2;
    const int pair = (i / 2) % 2;
    const __m512i pick = _mm512_set_epi32(
        0, 0, 0, 0, 0, 0, 16 + 4 * (2 * r + 1) + pair, 16 + 4 * (2 * r) + pair, 12 + 2 * r + 1,
        8 + 2 * r + 1, 4 + 2 * r + 1, 2 * r + 1, 12 + 2 * r, 8 + 2 * r, 4 + 2 * r, 2 * r);
    rows[i][0] = _mm512_permutex2var_ps(row_pairs[i / 2], pick, tail_sums[i / 4]);
  }
  if (cs_c == 1) return store_rows<float, Rows, 1>(rows, c, rs_c, low_mask16(8 + Tail), epilogue);
  alignas(64) float sums[Rows][16];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) _mm512_store_ps(&sums[i][0], rows[i][0]);
  store_tile_f32(&sums[0][0], 16, c, rs_c, cs_c, Rows, 8 + Tail, epilogue);
}

// Rows x (8 + Tail) doubles of C from A's rows in place (unit column
// stride) and B's rows (unit column stride, row stride rs_b).
template <int Rows, int Tail, bool Prefetch>
inline __attribute__((always_inline)) void narrow_block_f64(int64_t k, const double* a,
                                                            int64_t rs_a, const double* b,
                                                            int64_t rs_b, double* c, int64_t rs_c,
                                                            int64_t cs_c,
                                                            const KernelEpilogue& epilogue) {
  if (Prefetch) prefetch_tile_rows<Rows, 8 + Tail>(c, rs_c, cs_c, Rows);
  __m512d acc[Rows];
  __m512d tail[Rows];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    acc[i] = _mm512_setzero_pd();
    tail[i] = _mm512_setzero_pd();
  }
  for (int64_t p = 0; p < k; p += 4) {
    const int steps = static_cast<int>(k - p < 4 ? k - p : 4);
    if (Prefetch && (p & 7) == 0) prefetch_a_rows<Rows>(a, rs_a, 1, p);
    const double* b_rows = b + p * rs_b;
    const __m512d b_tail = narrow_tail_of_b_f64<Tail>(b_rows, rs_b, steps);
    const __mmask8 valid = static_cast<__mmask8>((1u << steps) - 1u);
    const double* b_row = b_rows;
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j, b_row += rs_b) {
      if (j >= steps) break;
      const __m512d b_j = _mm512_loadu_pd(b_row);
#pragma GCC unroll 16
      for (int i = 0; i < Rows; ++i) {
        acc[i] = _mm512_fmadd_pd(_mm512_set1_pd(a[i * rs_a + p + j]), b_j, acc[i]);
      }
    }
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      const __m256d a_4 = _mm256_maskz_loadu_pd(valid, a + i * rs_a + p);
      tail[i] = _mm512_fmadd_pd(_mm512_broadcast_f64x4(a_4), b_tail, tail[i]);
    }
  }
  // Two rows' tails at a time: interleaved and added (k0 + k1, k2 + k3),
  // then a column's two 128-bit lanes added, leaving [column 8 | column 8 |
  // column 9 | column 9] of the two rows, each ((k0 + k1) + (k2 + k3)).
  constexpr int kGroups = (Rows + 1) / 2;
  alignas(16) double tail_sums[2 * kGroups][2];
#pragma GCC unroll 8
  for (int g = 0; g < kGroups; ++g) {
    const __m512d u = tail[2 * g];
    const __m512d v = 2 * g + 1 < Rows ? tail[2 * g + 1] : _mm512_setzero_pd();
    __m512d sums = _mm512_add_pd(_mm512_unpacklo_pd(u, v), _mm512_unpackhi_pd(u, v));
    sums = _mm512_add_pd(sums, _mm512_shuffle_f64x2(sums, sums, _MM_SHUFFLE(2, 3, 0, 1)));
    const __m128d column_8 = _mm512_castpd512_pd128(sums);
    const __m128d column_9 = _mm512_extractf64x2_pd(sums, 2);
    _mm_store_pd(&tail_sums[2 * g][0], _mm_unpacklo_pd(column_8, column_9));
    _mm_store_pd(&tail_sums[2 * g + 1][0], _mm_unpackhi_pd(column_8, column_9));
  }
  store_narrow<Rows, Tail>(acc, tail_sums, c, rs_c, cs_c, epilogue);
}

// The block for either type (one function per type, rows, tail and B's
// layout; float64 reads B's rows only).
template <typename T, int Rows, int Tail, bool Prefetch, bool BColumns>
void narrow_block(int64_t k, const T* a, int64_t rs_a, const T* b, int64_t rs_b, T* c, int64_t rs_c,
                  int64_t cs_c, const KernelEpilogue& epilogue) {
  if constexpr (std::is_same_v<T, float>) {
    narrow_block_f32<Rows, Tail, Prefetch, BColumns>(k, a, rs_a, b, rs_b, c, rs_c, cs_c, epilogue);
  } else {
    static_assert(!BColumns, "the float64 narrow kernel reads B's rows");
    narrow_block_f64<Rows, Tail, Prefetch>(k, a, rs_a, b, rs_b, c, rs_c, cs_c, epilogue);
  }
}

template <typename T>
using NarrowBlockFn = void (*)(int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t, int64_t,
                               const KernelEpilogue&);

template <typename T, int Tail, bool Prefetch, bool BColumns, int... Rows>
constexpr std::array<NarrowBlockFn<T>, sizeof...(Rows)> narrow_blocks(
    std::integer_sequence<int, Rows...>) {
  return {{narrow_block<T, Rows + 1, Tail, Prefetch, BColumns>...}};
}
// Rows per narrow block of each type.
template <typename T>
constexpr int kNarrowMaxRowsOf = std::is_same_v<T, float> ? kNarrowMaxRowsF32 : kNarrowMaxRows;

// By [tail - 1][prefetch][rows - 1].
template <typename T>
using NarrowBlockTable =
    std::array<std::array<std::array<NarrowBlockFn<T>, kNarrowMaxRowsOf<T>>, 2>, 2>;
template <typename T, bool BColumns>
constexpr NarrowBlockTable<T> kNarrowBlocks = {
    {{{narrow_blocks<T, 1, false, BColumns>(std::make_integer_sequence<int, kNarrowMaxRowsOf<T>>()),
       narrow_blocks<T, 1, true, BColumns>(
           std::make_integer_sequence<int, kNarrowMaxRowsOf<T>>())}},
     {{narrow_blocks<T, 2, false, BColumns>(std::make_integer_sequence<int, kNarrowMaxRowsOf<T>>()),
       narrow_blocks<T, 2, true, BColumns>(
           std::make_integer_sequence<int, kNarrowMaxRowsOf<T>>())}}}};

// A whole narrow product: row blocks of near-equal height, as
// direct_product makes them. With BColumns, rs_b is B's column stride.
template <typename T, bool BColumns = false>
void narrow_product(int64_t m, int64_t n, int64_t k, const T* a, int64_t rs_a, const T* b,
                    int64_t rs_b, T* c, int64_t rs_c, int64_t cs_c,
                    const KernelEpilogue& epilogue) {
  constexpr int kMaxRows = kNarrowMaxRowsOf<T>;
  const auto& blocks = kNarrowBlocks<T, BColumns>[n - 9][epilogue.prefetch];
  if (m <= kMaxRows) return blocks[m - 1](k, a, rs_a, b, rs_b, c, rs_c, cs_c, epilogue);
  for_each_row_block(m, kMaxRows, [&](int64_t i0, int64_t rows) {
    blocks[rows - 1](k, a + i0 * rs_a, rs_a, b, rs_b, c + i0 * rs_c, rs_c, cs_c, epilogue);
  });
}

// Q @ K^T past 10 columns: B stored by columns (unit row stride), at least
// 16 of them, read in place in groups of 16 columns. A group takes the
// narrow kernel's lanes twice: lane 2c + t of a row's two accumulators sums
// column c (of the group's first or last 8) over k = t (mod 2), fed by one
// 64-bit broadcast of A's k pair for two FMAs and B's columns transposed in
// registers (column_pairs_of_b, twice per 8 k). Before, such a B was packed
// first, a 16 x 16 transpose through memory per 16 k, which cost the
// product 10-17% against a row-major B.
//
// A column's sums do not depend on where its group starts, so the last
// group of a B whose width is not a multiple of 16 ends at B's last column,
// overlapping the group before it, and stores only its new columns. Rows
// per block: two accumulators a row beside the 8 vectors of B.
constexpr int kColumnsMaxRows = 10;

// One row of A (at ADDR(displacement)) through an 8-k step: four k pairs,
// each broadcast once for columns 0..7 (L) and 8..15 (H) of the group.
// clang-format off
#define SGMM_COLUMNS_PAIR(ADDR, D, J, L, H)    \
  "vbroadcastsd " ADDR(D) ", %[x]\n\t"         \
  "vfmadd231ps %[x], %[l" #J "], %[" L "]\n\t" \
  "vfmadd231ps %[x], %[h" #J "], %[" H "]\n\t"
#define SGMM_COLUMNS_ROW(ADDR, L, H)    \
  SGMM_COLUMNS_PAIR(ADDR, 0, 0, L, H)   \
  SGMM_COLUMNS_PAIR(ADDR, 8, 1, L, H)   \
  SGMM_COLUMNS_PAIR(ADDR, 16, 2, L, H)  \
  SGMM_COLUMNS_PAIR(ADDR, 24, 3, L, H)
// clang-format on
#define SGMM_ROW0(D) #D "(%[a])"
#define SGMM_ROW1(D) #D "(%[a],%[rs])"
#define SGMM_ROW2(D) #D "(%[a],%[rs],2)"

// Rows First .. First + 2 (at most) of a block through the step, from a
// (row First at this k) and rs (A's row stride in bytes); inline asm for
// the reason the narrow kernel's steps give (see quad_step_b).
template <int Rows, int First>
inline __attribute__((always_inline)) void columns_step_rows(const float* a, int64_t rs,
                                                             const __m512 (&lo)[4],
                                                             const __m512 (&hi)[4],
                                                             __m512 (&acc_lo)[Rows],
                                                             __m512 (&acc_hi)[Rows]) {
  constexpr int Size = std::min(3, Rows - First);
  __m512 x;
  if constexpr (Size == 3) {
    asm(SGMM_COLUMNS_ROW(SGMM_ROW0, "c0", "d0") SGMM_COLUMNS_ROW(SGMM_ROW1, "c1", "d1")
            SGMM_COLUMNS_ROW(SGMM_ROW2, "c2", "d2")
        : [c0] "+v"(acc_lo[First]), [d0] "+v"(acc_hi[First]), [c1] "+v"(acc_lo[First + 1]),
          [d1] "+v"(acc_hi[First + 1]), [c2] "+v"(acc_lo[First + 2]), [d2] "+v"(acc_hi[First + 2]),
          [x] "=&v"(x)
        : [a] "r"(a), [rs] "r"(rs), [l0] "v"(lo[0]), [l1] "v"(lo[1]), [l2] "v"(lo[2]),
          [l3] "v"(lo[3]), [h0] "v"(hi[0]), [h1] "v"(hi[1]), [h2] "v"(hi[2]), [h3] "v"(hi[3])
        : "memory");
  } else if constexpr (Size == 2) {
    asm(SGMM_COLUMNS_ROW(SGMM_ROW0, "c0", "d0") SGMM_COLUMNS_ROW(SGMM_ROW1, "c1", "d1")
        : [c0] "+v"(acc_lo[First]), [d0] "+v"(acc_hi[First]), [c1] "+v"(acc_lo[First + 1]),
          [d1] "+v"(acc_hi[First + 1]), [x] "=&v"(x)
        : [a] "r"(a), [rs] "r"(rs), [l0] "v"(lo[0]), [l1] "v"(lo[1]), [l2] "v"(lo[2]),
          [l3] "v"(lo[3]), [h0] "v"(hi[0]), [h1] "v"(hi[1]), [h2] "v"(hi[2]), [h3] "v"(hi[3])
        : "memory");
  } else {
    asm(SGMM_COLUMNS_ROW(SGMM_ROW0, "c0", "d0")
        : [c0] "+v"(acc_lo[First]), [d0] "+v"(acc_hi[First]), [x] "=&v"(x)
        : [a] "r"(a), [l0] "v"(lo[0]), [l1] "v"(lo[1]), [l2] "v"(lo[2]), [l3] "v"(lo[3]),
          [h0] "v"(hi[0]), [h1] "v"(hi[1]), [h2] "v"(hi[2]), [h3] "v"(hi[3])
        : "memory");
    (void)rs;
  }
}
#undef SGMM_COLUMNS_PAIR
#undef SGMM_COLUMNS_ROW
#undef SGMM_ROW0
#undef SGMM_ROW1
#undef SGMM_ROW2

template <int Rows, size_t... G>
inline __attribute__((always_inline)) void columns_step_all_rows(
    std::index_sequence<G...>, const float* const* a_group, int64_t p, int64_t rs,
    const __m512 (&lo)[4], const __m512 (&hi)[4], __m512 (&acc_lo)[Rows], __m512 (&acc_hi)[Rows]) {
  (columns_step_rows<Rows, 3 * static_cast<int>(G)>(a_group[G] + p, rs, lo, hi, acc_lo, acc_hi),
   ...);
}

// The last `rest` (< 8) k steps of a group: its 16 columns' last k read
// by masked loads (zeros past rest) and transposed as in the main loop,
// then taken two k at a time (one, for an odd rest's last). Inline: out of
// line, with the accumulators copied through memory and B's k gathered
// one by one, 10 x 10 x 64 from K^T ran at 26 flop a TSC tick against 44.
template <int Rows>
inline __attribute__((always_inline)) void columns_rest(int rest, const float* a, int64_t rs_a,
                                                        const float* b, int64_t cs_b,
                                                        __m512 (&acc_lo)[Rows],
                                                        __m512 (&acc_hi)[Rows]) {
  const __mmask8 valid = static_cast<__mmask8>((1u << rest) - 1u);
  __m512 lo[4], hi[4];
  masked_column_pairs_of_b(b, cs_b, valid, lo);
  masked_column_pairs_of_b(b + 8 * cs_b, cs_b, valid, hi);
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    if (2 * j >= rest) break;
    const bool both = 2 * j + 1 < rest;
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      const float* a_j = a + i * rs_a + 2 * j;
      const __m512 a_2 =
          both ? broadcast_pair(a_j)
               : _mm512_castpd_ps(_mm512_broadcastsd_pd(_mm_castps_pd(_mm_load_ss(a_j))));
      acc_lo[i] = _mm512_fmadd_ps(a_2, lo[j], acc_lo[i]);
      acc_hi[i] = _mm512_fmadd_ps(a_2, hi[j], acc_hi[i]);
    }
  }
}

// Rows x 16 of C (columns skip..15 stored) from A's rows in place (unit
// column stride) and 16 columns of B (unit row stride, column stride cs_b).
// next_b (null for the last group) is the next group's first column, asked
// for ahead: the 16 columns read a step at a time are 16 streams, which the
// prefetchers did not keep up with once K^T outgrows L2. In one process,
// one thread, against the same kernel without it: 32 products of
// 4x64x1024 (8 MB) 0.89 of the time, 8x64x1024 0.78; 128 of 4x64x1024
// (32 MB) 0.77, 8x64x1024 0.57-0.58; 2 rows 0.87 and 0.91-0.97; 32 of
// 4x128x1024 0.58; where B stays in L2 (32 of 4x64x100, 10x64x64)
// 0.99-1.00.
template <int Rows, bool Prefetch>
void columns_block_f32(int64_t k, const float* a, int64_t rs_a, const float* b, int64_t cs_b,
                       float* c, int64_t rs_c, int64_t cs_c, int skip,
                       const KernelEpilogue& epilogue, const float* next_b) {
  if (Prefetch) prefetch_tile_rows<Rows, 16>(c, rs_c, cs_c, Rows);
  __m512 acc_lo[Rows];
  __m512 acc_hi[Rows];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    acc_lo[i] = _mm512_setzero_ps();
    acc_hi[i] = _mm512_setzero_ps();
  }
  constexpr int kRowGroups = (Rows + 2) / 3;
  const float* a_group[kRowGroups];
#pragma GCC unroll 4
  for (int g = 0; g < kRowGroups; ++g) a_group[g] = a + 3 * g * rs_a;
  const int64_t rs_a_bytes = rs_a * static_cast<int64_t>(sizeof(float));
  const int64_t cs_b_bytes = cs_b * static_cast<int64_t>(sizeof(float));
  int64_t p = 0;
  for (; p + 8 <= k; p += 8) {
    if (Prefetch && (p & 15) == 0) prefetch_a_rows<Rows>(a, rs_a, 1, p);
    if (next_b != nullptr) {
      // The next group's columns at this k, eight a step: a line each.
      const float* next = next_b + ((p & 8) != 0 ? 8 * cs_b : 0) + p;
#pragma GCC unroll 8
      for (int j = 0; j < 8; ++j) {
        _mm_prefetch(reinterpret_cast<const char*>(next + j * cs_b), _MM_HINT_T0);
      }
    }
    __m512 lo[4], hi[4];
    column_pairs_of_b(b + p, b + 4 * cs_b + p, cs_b_bytes, 3 * cs_b_bytes, lo);
    column_pairs_of_b(b + 8 * cs_b + p, b + 12 * cs_b + p, cs_b_bytes, 3 * cs_b_bytes, hi);
    columns_step_all_rows<Rows>(std::make_index_sequence<kRowGroups>(), a_group, p, rs_a_bytes, lo,
                                hi, acc_lo, acc_hi);
  }
  if (p < k) columns_rest<Rows>(static_cast<int>(k - p), a + p, rs_a, b + p, cs_b, acc_lo, acc_hi);
  // Each column's even and odd k added: columns 0..7 from acc_lo's lane
  // pairs, 8..15 from acc_hi's.
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  __m512 rows[Rows][1];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
    rows[i][0] = _mm512_add_ps(_mm512_permutex2var_ps(acc_lo[i], even, acc_hi[i]),
                               _mm512_permutex2var_ps(acc_lo[i], odd, acc_hi[i]));
  }
  if (cs_c == 1) {
    const __mmask16 new_columns = static_cast<__mmask16>(0xffffu << skip);
    return store_rows<float, Rows, 1>(rows, c, rs_c, new_columns, epilogue);
  }
  alignas(64) float sums[Rows][16];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) _mm512_store_ps(&sums[i][0], rows[i][0]);
  store_tile_f32(&sums[0][skip], 16, c + skip * cs_c, rs_c, cs_c, Rows, 16 - skip, epilogue);
}

using ColumnsBlockFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*,
                                int64_t, int64_t, int, const KernelEpilogue&, const float*);

template <bool Prefetch, int... Rows>
constexpr std::array<ColumnsBlockFn, sizeof...(Rows)> columns_blocks(
    std::integer_sequence<int, Rows...>) {
  return {{columns_block_f32<Rows + 1, Prefetch>...}};
}
// By [prefetch][rows - 1].
constexpr std::array<std::array<ColumnsBlockFn, kColumnsMaxRows>, 2> kColumnsBlocks = {
    {columns_blocks<false>(std::make_integer_sequence<int, kColumnsMaxRows>()),
     columns_blocks<true>(std::make_integer_sequence<int, kColumnsMaxRows>())}};

// Decoding's Q @ K^T, one row of A: each element of C is the dot product
// of A's row with a column of B, both contiguous along k. Eight columns
// take eight accumulators, fed per 16 k by A's row (up to 128 k of it held
// in registers) and one load of each column, no shuffles; the eight are
// summed across lanes once at the end (sum_lanes_of_8). The 16-column
// groups above would transpose 16 columns per 8 k for 8 FMAs.

// The sums of 8 vectors' lanes, in order: within 128-bit lanes by pairs of
// vectors (each 128-bit lane of quads[j] then holds partial sums of
// vectors 4j..4j+3), then across the 128-bit lanes.
inline __attribute__((always_inline)) __m256 sum_lanes_of_8(const __m512 (&v)[8]) {
  __m512d pairs[4];
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    pairs[j] = _mm512_castps_pd(_mm512_add_ps(_mm512_unpacklo_ps(v[2 * j], v[2 * j + 1]),
                                              _mm512_unpackhi_ps(v[2 * j], v[2 * j + 1])));
  }
  __m512 quads[2];
#pragma GCC unroll 2
  for (int j = 0; j < 2; ++j) {
    quads[j] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(pairs[2 * j], pairs[2 * j + 1])),
                             _mm512_castpd_ps(_mm512_unpackhi_pd(pairs[2 * j], pairs[2 * j + 1])));
  }
  // [quads[0] lanes 0 + 1, 2 + 3, quads[1] lanes 0 + 1, 2 + 3], then each
  // quad's two halves added and the two totals moved to the low 256 bits.
  const __m512 halves =
      _mm512_add_ps(_mm512_shuffle_f32x4(quads[0], quads[1], _MM_SHUFFLE(2, 0, 2, 0)),
                    _mm512_shuffle_f32x4(quads[0], quads[1], _MM_SHUFFLE(3, 1, 3, 1)));
  const __m512 totals =
      _mm512_add_ps(halves, _mm512_shuffle_f32x4(halves, halves, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm512_castps512_ps256(_mm512_shuffle_f32x4(totals, totals, _MM_SHUFFLE(0, 0, 2, 0)));
}

// Eight columns' dot products over V vectors of 16 k from p0: A's V
// vectors in registers, then the columns one after another, each read
// front to back as it lies in memory. Taking 16 k of every column in turn
// instead (the loop over k outside the columns, kept for k < 32) is slower
// once K^T outgrows L2: called straight on the same data in one process,
// one thread, this order took 0.83-0.87 of that one's time on 32 products
// of 1x64x1024 (8 MB), 0.63 on 32 of 1x128x1024 and 0.65-0.67 on 256 of
// 1x64x1024, and 1.01-1.07 where B stays in L2 (one 1x64x1024 product
// over and over, or 32 of 1x64x100). Each sum adds its k in the same order
// either way.
template <int V>
inline __attribute__((always_inline)) void columns_dot_vectors(const float* a,
                                                               const float* const (&column)[8],
                                                               int64_t p0, __m512 (&acc)[8]) {
  __m512 x[V];
#pragma GCC unroll 8
  for (int q = 0; q < V; ++q) x[q] = _mm512_loadu_ps(a + p0 + 16 * q);
  const float* col = column[0] + p0;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) {
#pragma GCC unroll 8
    for (int q = 0; q < V; ++q) {
      acc[j] = _mm512_fmadd_ps(x[q], _mm512_loadu_ps(col + 16 * q), acc[j]);
    }
    if (j + 1 < 8) {
      // The next column's address "depends" on these sums through an
      // empty asm: GCC would otherwise interleave the columns' loads again.
      // No instruction waits on it.
      col = column[j + 1] + p0;
      asm("" : "+r"(col) : "v"(acc[j]));
    }
  }
}

// columns_dot_vectors<count> for a count of 1..V known only at run time.
template <int V>
inline __attribute__((always_inline)) void columns_dot_up_to(int count, const float* a,
                                                             const float* const (&column)[8],
                                                             int64_t p0, __m512 (&acc)[8]) {
  if constexpr (V > 1) {
    if (count < V) return columns_dot_up_to<V - 1>(count, a, column, p0, acc);
  }
  columns_dot_vectors<V>(a, column, p0, acc);
}

// C's one row (n >= 8 columns, column stride cs_c) from A's row and B's
// columns (column stride cs_b). As with the groups of 16, the last 8
// columns overlap the 8 before them when n is not a multiple of 8.
template <bool ColumnsInTurn>
void columns_dot_row(int64_t n, int64_t k, const float* a, const float* b, int64_t cs_b, float* c,
                     int64_t cs_c, const KernelEpilogue& epilogue) {
  const __m512 scale = _mm512_set1_ps(epilogue.scale_f32);
  const __mmask16 k_rest = low_mask16(k % 16);
  for (int64_t j0 = 0; j0 < n; j0 += 8) {
    const int64_t first = std::min(j0, n - 8);
    const int skip = static_cast<int>(j0 - first);
    const float* column[8];
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) column[j] = b + (first + j) * cs_b;
    __m512 acc[8];
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) acc[j] = _mm512_setzero_ps();
    int64_t p = 0;
    if constexpr (ColumnsInTurn) {
      // Up to 128 k at a time: A's eight vectors beside the eight sums.
      for (; p + 16 <= k; p += 128) {
        columns_dot_up_to<8>(static_cast<int>(std::min<int64_t>(8, (k - p) / 16)), a, column, p,
                             acc);
      }
      p = k - k % 16;
    } else {
      for (; p + 16 <= k; p += 16) {
        const __m512 x = _mm512_loadu_ps(a + p);
#pragma GCC unroll 8
        for (int j = 0; j < 8; ++j) {
          acc[j] = _mm512_fmadd_ps(x, _mm512_loadu_ps(column[j] + p), acc[j]);
        }
      }
    }
    if (p < k) {
      const __m512 x = _mm512_maskz_loadu_ps(k_rest, a + p);
#pragma GCC unroll 8
      for (int j = 0; j < 8; ++j) {
        acc[j] = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(k_rest, column[j] + p), acc[j]);
      }
    }
    const __m512 sums = _mm512_zextps256_ps512(sum_lanes_of_8(acc));
    if (cs_c == 1) {
      const __mmask16 new_columns = static_cast<__mmask16>((0xffu << skip) & 0xffu);
      float* out = c + first;
      _mm512_mask_storeu_ps(out, new_columns,
                            f32_epilogue(sums, out, new_columns, scale, epilogue));
    } else {
      alignas(64) float row[16];
      _mm512_store_ps(row, sums);
      store_tile_f32(row + skip, 16, c + (first + skip) * cs_c, 0, cs_c, 1, 8 - skip, epilogue);
    }
  }
}

}  // namespace

void gemm_f32_direct_narrow_avx512(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                                   int64_t /*cs_a*/, const void* b, int64_t rs_b,
                                   int64_t /*b_panel_stride*/, void* c, int64_t rs_c, int64_t cs_c,
                                   const KernelEpilogue& epilogue) {
  narrow_product<float>(m, n, k, static_cast<const float*>(a), rs_a, static_cast<const float*>(b),
                        rs_b, static_cast<float*>(c), rs_c, cs_c, epilogue);
}

void gemm_f32_direct_narrow_b_columns_avx512(int64_t m, int64_t n, int64_t k, const void* a,
                                             int64_t rs_a, int64_t /*cs_a*/, const void* b,
                                             int64_t cs_b, int64_t /*b_panel_stride*/, void* c,
                                             int64_t rs_c, int64_t cs_c,
                                             const KernelEpilogue& epilogue) {
  narrow_product<float, true>(m, n, k, static_cast<const float*>(a), rs_a,
                              static_cast<const float*>(b), cs_b, static_cast<float*>(c), rs_c,
                              cs_c, epilogue);
}

void gemm_f32_direct_b_columns_avx512(int64_t m, int64_t n, int64_t k, const void* a_void,
                                      int64_t rs_a, int64_t /*cs_a*/, const void* b_void,
                                      int64_t cs_b, int64_t /*b_panel_stride*/, void* c_void,
                                      int64_t rs_c, int64_t cs_c, const KernelEpilogue& epilogue) {
  const auto* a = static_cast<const float*>(a_void);
  const auto* b = static_cast<const float*>(b_void);
  auto* c = static_cast<float*>(c_void);
  // m is the product's: row tiles never cut a product this kernel takes.
  if (m == 1) {
    // Two functions, so that the short sums' loop keeps its registers.
    return k >= 32 ? columns_dot_row<true>(n, k, a, b, cs_b, c, cs_c, epilogue)
                   : columns_dot_row<false>(n, k, a, b, cs_b, c, cs_c, epilogue);
  }
  const auto& blocks = kColumnsBlocks[epilogue.prefetch];
  for (int64_t j0 = 0; j0 < n; j0 += 16) {
    // The last group ends at column n - 1 (n >= 16), storing what is new.
    const int64_t first = std::min(j0, n - 16);
    const int skip = static_cast<int>(j0 - first);
    const float* next_b = j0 + 16 < n ? b + std::min(j0 + 16, n - 16) * cs_b : nullptr;
    for_each_row_block(m, kColumnsMaxRows, [&](int64_t i0, int64_t rows) {
      // Every row block asks for the next group, not only the first: the
      // last ask lands nearest its use (only the first: 32 products of
      // 20x64x1024 1.02-1.03 of the time, 128 of them 1.28).
      blocks[rows - 1](k, a + i0 * rs_a, rs_a, b + first * cs_b, cs_b, c + i0 * rs_c + first * cs_c,
                       rs_c, cs_c, skip, epilogue, next_b);
    });
  }
}

void gemm_f64_direct_narrow_avx512(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                                   int64_t /*cs_a*/, const void* b, int64_t rs_b,
                                   int64_t /*b_panel_stride*/, void* c, int64_t rs_c, int64_t cs_c,
                                   const KernelEpilogue& epilogue) {
  narrow_product<double>(m, n, k, static_cast<const double*>(a), rs_a,
                         static_cast<const double*>(b), rs_b, static_cast<double*>(c), rs_c, cs_c,
                         epilogue);
}

namespace {

// A 16-bit output format, 16 lanes at a time: its bits widened to float
// (exact) and float rounded to its bits, as the driver's scalar code does.
struct Bf16Lanes {
  static __m512 widen(__m256i bits) { return bf16_16_to_f32(bits); }
  // Round to nearest even; a NaN stays a quiet NaN.
  static __m256i round(__m512 x) {
    const __m512i u = _mm512_castps_si512(x);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_srli_epi32(
        _mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)), lsb), 16);
    const __m512i quiet = _mm512_or_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x40));
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(
        _mm512_and_si512(u, _mm512_set1_epi32(0x7fffffff)), _mm512_set1_epi32(0x7f800000));
    return _mm512_cvtepi32_epi16(_mm512_mask_blend_epi32(nan, rounded, quiet));
  }
};

struct F16Lanes {
  static __m512 widen(__m256i bits) { return f16_16_to_f32(bits); }
  // IEEE round to nearest even, subnormals kept, overflow to infinity:
  // Half::round_from_float's bits, NaNs included.
  static __m256i round(__m512 x) {
    return _mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
};

template <typename Format, StoreMode Mode>
void store_rows_16bit(const float* sums, int64_t ld_sums, int64_t m, int64_t n, uint16_t* c,
                      int64_t rs_c, const KernelEpilogue& epilogue) {
  const __m512 scale = _mm512_set1_ps(epilogue.scale_f32);
  for (int64_t i = 0; i < m; ++i) {
    const float* row = sums + i * ld_sums;
    uint16_t* out = c + i * rs_c;
    for (int64_t j = 0; j < n; j += 16) {
      const __mmask16 mask = low_mask16(n - j);
      __m512 x = _mm512_maskz_loadu_ps(mask, row + j);
      if constexpr (Mode == StoreMode::kScaled) x = _mm512_mul_ps(x, scale);
      if constexpr (Mode == StoreMode::kAdd || Mode == StoreMode::kScaledAdd) {
        const __m512 old = Format::widen(_mm256_maskz_loadu_epi16(mask, out + j));
        x = Mode == StoreMode::kAdd ? _mm512_add_ps(old, x) : _mm512_fmadd_ps(x, scale, old);
      }
      _mm256_mask_storeu_epi16(out + j, mask, Format::round(x));
    }
  }
}

template <typename Format>
void store_rows_16bit(const float* sums, int64_t ld_sums, int64_t m, int64_t n, void* c,
                      int64_t rs_c, const KernelEpilogue& epilogue) {
  uint16_t* out = static_cast<uint16_t*>(c);
  with_store_mode(epilogue, [&](auto mode) {
    store_rows_16bit<Format, decltype(mode)::value>(sums, ld_sums, m, n, out, rs_c, epilogue);
  });
}

}  // namespace

void store_f32_rows_as_bf16_avx512(const float* sums, int64_t ld_sums, int64_t m, int64_t n,
                                   void* c, int64_t rs_c, const KernelEpilogue& epilogue) {
  store_rows_16bit<Bf16Lanes>(sums, ld_sums, m, n, c, rs_c, epilogue);
}
void store_f32_rows_as_f16_avx512(const float* sums, int64_t ld_sums, int64_t m, int64_t n, void* c,
                                  int64_t rs_c, const KernelEpilogue& epilogue) {
  store_rows_16bit<F16Lanes>(sums, ld_sums, m, n, c, rs_c, epilogue);
}

void widen_f16_rows_avx512(const void* src, int64_t rs, int64_t rows, int64_t cols, float* dst) {
  widen_rows<f16_16_to_f32>(static_cast<const uint16_t*>(src), rs, rows, cols, dst);
}

void widen_bf16_rows_avx512(const void* src, int64_t rs, int64_t rows, int64_t cols, float* dst) {
  widen_rows<bf16_16_to_f32>(static_cast<const uint16_t*>(src), rs, rows, cols, dst);
}

void gemm_f64_direct_14x16_avx512(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                                  int64_t cs_a, const void* b, int64_t rs_b, int64_t b_panel_stride,
                                  void* c, int64_t rs_c, int64_t cs_c,
                                  const KernelEpilogue& epilogue) {
  direct_product_entry<double>(m, n, k, static_cast<const double*>(a), rs_a, cs_a,
                               static_cast<const double*>(b), rs_b, b_panel_stride,
                               static_cast<double*>(c), rs_c, cs_c, epilogue);
}

void pack_f32_14_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_f32<14>(s, rs, ks, rows, k, d);
}
void pack_f32_32_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_f32<32>(s, rs, ks, rows, k, d);
}
void pack_f32_16_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_f32<16>(s, rs, ks, rows, k, d);
}
void pack_f64_8_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_f64<8>(s, rs, ks, rows, k, d);
}
void pack_f64_14_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_f64<14>(s, rs, ks, rows, k, d);
}
void pack_f64_16_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_f64<16>(s, rs, ks, rows, k, d);
}
void pack_bf16_pairs_14_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                               void* d) {
  pack_bf16_pairs<14>(s, rs, ks, rows, k, d);
}
void pack_bf16_pairs_32_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                               void* d) {
  pack_bf16_pairs<32>(s, rs, ks, rows, k, d);
}
void pack_bf16_to_f32_14_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                                void* d) {
  pack_16bit_to_f32<14, bf16_16_to_f32, bf16_bits_to_f32>(s, rs, ks, rows, k, d);
}
void pack_bf16_to_f32_32_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                                void* d) {
  pack_16bit_to_f32<32, bf16_16_to_f32, bf16_bits_to_f32>(s, rs, ks, rows, k, d);
}
void pack_f16_to_f32_14_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                               void* d) {
  pack_16bit_to_f32<14, f16_16_to_f32, f16_bits_to_f32>(s, rs, ks, rows, k, d);
}
void pack_f16_to_f32_32_avx512(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                               void* d) {
  pack_16bit_to_f32<32, f16_16_to_f32, f16_bits_to_f32>(s, rs, ks, rows, k, d);
}

}  // namespace sgmm::cpu
