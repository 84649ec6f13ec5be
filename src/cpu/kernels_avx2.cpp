// AVX2 + FMA + F16C micro-kernels and packing. Compiled with those flags and
// reached only through dispatch. As in kernels_avx512.cpp, everything is an
// exported kernel or in an anonymous namespace.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>

#include "cpu/fetch_ahead.hpp"
#include "cpu/microkernels.hpp"
#include "cpu/pack_rows_ahead.hpp"
#include "cpu/row_blocks.hpp"
#include "cpu/store_mode.hpp"

namespace sgmm::cpu {
namespace {

__m256 f32_epilogue(__m256 acc, const float* c, __m256 scale, const KernelEpilogue& epilogue) {
  if (epilogue.add_to_c) {
    const __m256 old = _mm256_loadu_ps(c);
    return epilogue.scale_is_one ? _mm256_add_ps(old, acc) : _mm256_fmadd_ps(acc, scale, old);
  }
  return epilogue.scale_is_one ? acc : _mm256_mul_ps(acc, scale);
}

__m256d f64_epilogue(__m256d acc, const double* c, __m256d scale, const KernelEpilogue& epilogue) {
  if (epilogue.add_to_c) {
    const __m256d old = _mm256_loadu_pd(c);
    return epilogue.scale_is_one ? _mm256_add_pd(old, acc) : _mm256_fmadd_pd(acc, scale, old);
  }
  return epilogue.scale_is_one ? acc : _mm256_mul_pd(acc, scale);
}

// MR x 16 floats: 2*MR ymm accumulators, two B vectors, one broadcast.
template <int MR>
void gemm_f32_mrx16(int64_t k, const float* a, const float* b, float* c, int64_t rs_c, int64_t cs_c,
                    int m, int n, const KernelEpilogue& epilogue) {
  __m256 lo[MR], hi[MR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    lo[i] = _mm256_setzero_ps();
    hi[i] = _mm256_setzero_ps();
  }
  with_fetch_ahead(epilogue, [&](FetchAhead& fetch, auto fetching) {
    for (int64_t p = 0; p < k; ++p) {
      if constexpr (decltype(fetching)::value) fetch.next_line();
      const __m256 b_lo = _mm256_load_ps(b);
      const __m256 b_hi = _mm256_load_ps(b + 8);
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        const __m256 a_i = _mm256_broadcast_ss(a + i);
        lo[i] = _mm256_fmadd_ps(a_i, b_lo, lo[i]);
        hi[i] = _mm256_fmadd_ps(a_i, b_hi, hi[i]);
      }
      a += MR;
      b += 16;
    }
  });
  if (cs_c == 1 && m == MR && n == 16) {
    const __m256 scale = _mm256_set1_ps(epilogue.scale_f32);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      float* row = c + i * rs_c;
      _mm256_storeu_ps(row, f32_epilogue(lo[i], row, scale, epilogue));
      _mm256_storeu_ps(row + 8, f32_epilogue(hi[i], row + 8, scale, epilogue));
    }
    return;
  }
  alignas(32) float tile[MR][16];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    _mm256_store_ps(&tile[i][0], lo[i]);
    _mm256_store_ps(&tile[i][8], hi[i]);
  }
  store_tile_f32(&tile[0][0], 16, c, rs_c, cs_c, m, n, epilogue);
}

template <int MR>
void gemm_f64_mrx8(int64_t k, const double* a, const double* b, double* c, int64_t rs_c,
                   int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  __m256d lo[MR], hi[MR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    lo[i] = _mm256_setzero_pd();
    hi[i] = _mm256_setzero_pd();
  }
  with_fetch_ahead(epilogue, [&](FetchAhead& fetch, auto fetching) {
    for (int64_t p = 0; p < k; ++p) {
      if constexpr (decltype(fetching)::value) fetch.next_line();
      const __m256d b_lo = _mm256_load_pd(b);
      const __m256d b_hi = _mm256_load_pd(b + 4);
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        const __m256d a_i = _mm256_broadcast_sd(a + i);
        lo[i] = _mm256_fmadd_pd(a_i, b_lo, lo[i]);
        hi[i] = _mm256_fmadd_pd(a_i, b_hi, hi[i]);
      }
      a += MR;
      b += 8;
    }
  });
  if (cs_c == 1 && m == MR && n == 8) {
    const __m256d scale = _mm256_set1_pd(epilogue.scale_f64);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      double* row = c + i * rs_c;
      _mm256_storeu_pd(row, f64_epilogue(lo[i], row, scale, epilogue));
      _mm256_storeu_pd(row + 4, f64_epilogue(hi[i], row + 4, scale, epilogue));
    }
    return;
  }
  alignas(32) double tile[MR][8];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    _mm256_store_pd(&tile[i][0], lo[i]);
    _mm256_store_pd(&tile[i][4], hi[i]);
  }
  store_tile_f64(&tile[0][0], 8, c, rs_c, cs_c, m, n, epilogue);
}

// ---- the direct path (no packing of A) --------------------------------

// Lanes [0, count) of a ymm mask for maskload.
__m256i low_lanes(int count) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lane);
}

template <StoreMode Mode>
inline __attribute__((always_inline)) __m256 combine_f32(__m256 acc, const float* c, __m256i mask,
                                                         __m256 scale) {
  if constexpr (Mode == StoreMode::kPlain) return acc;
  if constexpr (Mode == StoreMode::kScaled) return _mm256_mul_ps(acc, scale);
  if constexpr (Mode == StoreMode::kAdd) return _mm256_add_ps(_mm256_maskload_ps(c, mask), acc);
  return _mm256_fmadd_ps(acc, scale, _mm256_maskload_ps(c, mask));
}

// The first `count` (1..7) lanes of v to dst, in plain stores of 4, 2 and
// 1 floats: AMD microcodes masked stores (vmaskmovps), which cost a 10x64x10
// product a tenth of its time.
inline __attribute__((always_inline)) void store_first_lanes(float* dst, __m256 v, int count) {
  __m128 part = _mm256_castps256_ps128(v);
  if (count & 4) {
    _mm_storeu_ps(dst, part);
    part = _mm256_extractf128_ps(v, 1);
    dst += 4;
  }
  if (count & 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(dst), part);
    part = _mm_movehl_ps(part, part);
    dst += 2;
  }
  if (count & 1) _mm_store_ss(dst, part);
}

template <StoreMode Mode, int Rows, int Vectors>
inline __attribute__((always_inline)) void store_rows_f32(const __m256 (&acc)[Rows][Vectors],
                                                          float* c, int64_t rs_c, __m256i last,
                                                          int last_count, __m256 scale) {
  const __m256i all = _mm256_set1_epi32(-1);
#pragma GCC unroll 12
  for (int i = 0; i < Rows; ++i) {
    float* row = c + i * rs_c;
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) {
      if (v == Vectors - 1 && last_count < 8) {
        store_first_lanes(row + 8 * v, combine_f32<Mode>(acc[i][v], row + 8 * v, last, scale),
                          last_count);
      } else {
        _mm256_storeu_ps(row + 8 * v, combine_f32<Mode>(acc[i][v], row + 8 * v, all, scale));
      }
    }
  }
}

// A block's Rows x n sums (n in the last of Vectors vectors a row, `last`
// its lanes) into C with the epilogue: vector stores where C's columns are
// contiguous, else through a tile.
template <int Rows, int Vectors>
inline __attribute__((always_inline)) void store_block_f32(const __m256 (&acc)[Rows][Vectors],
                                                           float* c, int64_t rs_c, int64_t cs_c,
                                                           int n, __m256i last,
                                                           const KernelEpilogue& epilogue) {
  if (cs_c == 1) {
    const __m256 scale = _mm256_set1_ps(epilogue.scale_f32);
    const int last_count = n - 8 * (Vectors - 1);
    with_store_mode(epilogue, [&](auto mode) {
      store_rows_f32<decltype(mode)::value, Rows, Vectors>(acc, c, rs_c, last, last_count, scale);
    });
    return;
  }
  alignas(32) float tile[Rows][8 * Vectors];
#pragma GCC unroll 12
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) _mm256_store_ps(&tile[i][8 * v], acc[i][v]);
  }
  store_tile_f32(&tile[0][0], 8 * Vectors, c, rs_c, cs_c, Rows, n, epilogue);
}

// The most rows a block of v vectors takes: Rows * v accumulators, the B
// vectors and a broadcast within the 16 ymm registers.
constexpr int kDirectMaxRows = 12;
constexpr int direct_max_rows(int vectors) { return vectors == 1 ? kDirectMaxRows : 6; }

// Rows x (8 * Vectors) floats straight from A (any strides) and one
// 16-column panel of B (unit column stride, n <= 8 * Vectors columns, the
// last vector masked), for `count` such blocks one below the other. One
// call per run of blocks of equal height (for_each_row_block_run), not per
// block: a block is a few hundred cycles at k = 64, and the call's set-up
// weighed on it (one thread: 64x2048x64x64 92 -> 104 GFLOP/s, 8x100x50x30
// 97.7 -> 100.9).
template <int Rows, int Vectors>
void gemm_f32_direct_block(int64_t k, const float* a, int64_t rs_a, int64_t cs_a, const float* b,
                           int64_t rs_b, float* c, int64_t rs_c, int64_t cs_c, int n,
                           const KernelEpilogue& epilogue, int64_t count) {
  const __m256i last = low_lanes(n - 8 * (Vectors - 1));
  // B's rows are read as whole vectors where that stays within B: lanes
  // past n (the next row's first values) only reach accumulator lanes that
  // are never stored. The last rows, whose extra lanes would pass B's last
  // element, are read masked; a masked load in every step cost 12%
  // (16x128x256x128: 192 -> 218 GFLOP/s).
  int64_t whole_rows = k;
  if (n < 8 * Vectors) {
    const int64_t extra = 8 * Vectors - n;
    whole_rows = rs_b > 0 ? std::max<int64_t>(0, k - (extra + rs_b - 1) / rs_b) : 0;
  }
  for (int64_t block = 0; block < count; ++block, a += Rows * rs_a, c += Rows * rs_c) {
    __m256 acc[Rows][Vectors];
#pragma GCC unroll 12
    for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 2
      for (int v = 0; v < Vectors; ++v) acc[i][v] = _mm256_setzero_ps();
    }
    for (int64_t p = 0; p < k; ++p) {
      const float* b_row = b + p * rs_b;
      __m256 b_vec[Vectors];
#pragma GCC unroll 2
      for (int v = 0; v < Vectors; ++v) {
        b_vec[v] = v == Vectors - 1 && p >= whole_rows ? _mm256_maskload_ps(b_row + 8 * v, last)
                                                       : _mm256_loadu_ps(b_row + 8 * v);
      }
      const float* a_col = a + p * cs_a;
#pragma GCC unroll 12
      for (int i = 0; i < Rows; ++i) {
        const __m256 a_i = _mm256_broadcast_ss(a_col + i * rs_a);
#pragma GCC unroll 2
        for (int v = 0; v < Vectors; ++v) acc[i][v] = _mm256_fmadd_ps(a_i, b_vec[v], acc[i][v]);
      }
    }
    store_block_f32<Rows, Vectors>(acc, c, rs_c, cs_c, n, last, epilogue);
  }
}

using DirectBlockFn = void (*)(int64_t, const float*, int64_t, int64_t, const float*, int64_t,
                               float*, int64_t, int64_t, int, const KernelEpilogue&, int64_t);

template <int Rows, int Vectors>
constexpr DirectBlockFn direct_block_or_null() {
  if constexpr (Rows <= direct_max_rows(Vectors)) {
    return gemm_f32_direct_block<Rows, Vectors>;
  } else {
    return nullptr;
  }
}

// The direct blocks by [rows - 1][vectors - 1]: rows 1..12 of one vector,
// 1..6 of two.
using DirectBlockTable = std::array<std::array<DirectBlockFn, 2>, kDirectMaxRows>;
template <int... Rows>
constexpr DirectBlockTable direct_block_table(std::integer_sequence<int, Rows...>) {
  return {{{{direct_block_or_null<Rows + 1, 1>(), direct_block_or_null<Rows + 1, 2>()}}...}};
}
constexpr DirectBlockTable kDirectBlocks =
    direct_block_table(std::make_integer_sequence<int, kDirectMaxRows>());

// ---- products 9 or 10 columns wide ---------------------------------------
//
// The direct blocks give such a product two vectors a row, 10 of their 16
// lanes busy (Zen 5, 32x10x64x10 on one thread: 52% of the AVX2 peak; 68%
// with this kernel). The narrow kernel takes columns 0..7 in one vector a
// row (every lane busy, 10 rows a block) and columns 8 and 9 in a second
// pass over A as dot products along k: lane j of a row's
// accumulator sums column 8 (lanes 0..3) or column 9 (lanes 4..7) over
// k = j (mod 4), fed by A's row read four k at a time, one load for both
// columns, and B's last columns gathered for the same four k once per
// block of rows. Those two columns are summed in another order than the
// direct blocks sum them, so the driver picks this kernel per product
// (TypedGemmKernel::direct_narrow).

// The most rows of a block of columns 0..7: one accumulator a row, B's
// four rows, A's four k and one of them spread across the lanes.
constexpr int kNarrowMainMaxRows = 10;

// Columns 0..7 of Rows rows of C from A's rows (unit column stride) and
// B's rows (unit column stride), for `count` blocks one below the other,
// k in order as in the one-vector direct block. With one broadcast load
// per FMA (11 loads a k for 10 FMAs at 10 rows) that block is bound by
// loads; here some of every four k come from one 16-byte load of A's row,
// spread across the lanes by in-lane shuffles: two (SpreadAll false), or
// all four. All four would make the loop wait on the shuffle port of Intel
// cores that have one (40 shuffles against 40 FMAs on two ports); with two,
// loads (34 a step), shuffles (20) and FMAs (40, two a cycle) all fit in
// the FMAs' 20 cycles. AMD's cores shuffle on two ports, and there all four
// is faster (kernel_config_avx2.cpp picks by vendor): 4% on Zen 5; on Zen 4
// the two forms called straight in one process, alternated, median of 41
// rounds of TSC ticks, all four over two, B by rows / by columns: 0.962 /
// 0.926 at 32 products of 10x64x10, 0.954 / 0.928 at 10x64x9, 0.963 /
// 0.968 at 8 of 100x64x10.
//
// With BColumns, B comes by columns (unit row stride, column stride rs_b:
// attention's K^T) and gives the same rows: columns c and c + 4 load their
// four k into one register's halves, and a 4 x 4 transpose in each 128-bit
// lane (eight in-lane shuffles) leaves row p + j of columns 0..7 in b_j.
// Packing K^T first had halved the speed (256x10x64x10, one thread, the
// API timed with rdtsc: 13-22 -> 30 flop a TSC tick; 31-32 from a B by
// rows).
template <bool BColumns>
inline __attribute__((always_inline)) void narrow_main_rows_of_b(const float* b, int64_t rs_b,
                                                                 int64_t p, __m256& b0, __m256& b1,
                                                                 __m256& b2, __m256& b3) {
  if constexpr (BColumns) {
    __m256 col[4];
#pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) {
      col[c] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(b + c * rs_b + p)),
                                    _mm_loadu_ps(b + (c + 4) * rs_b + p), 1);
    }
    const __m256 t0 = _mm256_unpacklo_ps(col[0], col[1]);  // k 0, 1 of columns 0, 1
    const __m256 t1 = _mm256_unpackhi_ps(col[0], col[1]);  // k 2, 3 of columns 0, 1
    const __m256 t2 = _mm256_unpacklo_ps(col[2], col[3]);
    const __m256 t3 = _mm256_unpackhi_ps(col[2], col[3]);
    b0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
    b1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    b2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
    b3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
  } else {
    const float* b_rows = b + p * rs_b;
    b0 = _mm256_loadu_ps(b_rows);
    b1 = _mm256_loadu_ps(b_rows + rs_b);
    b2 = _mm256_loadu_ps(b_rows + 2 * rs_b);
    b3 = _mm256_loadu_ps(b_rows + 3 * rs_b);
  }
}

template <int Rows, bool BColumns, bool SpreadAll>
void narrow_main_block(int64_t k, const float* a, int64_t rs_a, const float* b, int64_t rs_b,
                       float* c, int64_t rs_c, int64_t cs_c, const KernelEpilogue& epilogue,
                       int64_t count) {
  for (int64_t block = 0; block < count; ++block, a += Rows * rs_a, c += Rows * rs_c) {
    __m256 acc[Rows][1];
#pragma GCC unroll 12
    for (int i = 0; i < Rows; ++i) acc[i][0] = _mm256_setzero_ps();
    int64_t p = 0;
    for (; p + 4 <= k; p += 4) {
      __m256 b0, b1, b2, b3;
      narrow_main_rows_of_b<BColumns>(b, rs_b, p, b0, b1, b2, b3);
#pragma GCC unroll 12
      for (int i = 0; i < Rows; ++i) {
        const __m256 a_4 = _mm256_broadcast_ps(reinterpret_cast<const __m128*>(a + i * rs_a + p));
        __m256 sum = _mm256_fmadd_ps(_mm256_permute_ps(a_4, 0x00), b0, acc[i][0]);
        sum = _mm256_fmadd_ps(_mm256_permute_ps(a_4, 0x55), b1, sum);
        if constexpr (SpreadAll) {
          sum = _mm256_fmadd_ps(_mm256_permute_ps(a_4, 0xaa), b2, sum);
          acc[i][0] = _mm256_fmadd_ps(_mm256_permute_ps(a_4, 0xff), b3, sum);
        } else {
          sum = _mm256_fmadd_ps(_mm256_broadcast_ss(a + i * rs_a + p + 2), b2, sum);
          acc[i][0] = _mm256_fmadd_ps(_mm256_broadcast_ss(a + i * rs_a + p + 3), b3, sum);
        }
      }
    }
    for (; p < k; ++p) {
      const __m256 b_p =
          BColumns
              ? _mm256_setr_ps(b[p], b[rs_b + p], b[2 * rs_b + p], b[3 * rs_b + p], b[4 * rs_b + p],
                               b[5 * rs_b + p], b[6 * rs_b + p], b[7 * rs_b + p])
              : _mm256_loadu_ps(b + p * rs_b);
#pragma GCC unroll 12
      for (int i = 0; i < Rows; ++i) {
        acc[i][0] = _mm256_fmadd_ps(_mm256_broadcast_ss(a + i * rs_a + p), b_p, acc[i][0]);
      }
    }
    store_block_f32<Rows, 1>(acc, c, rs_c, cs_c, 8, _mm256_set1_epi32(-1), epilogue);
  }
}

using NarrowMainFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*,
                              int64_t, int64_t, const KernelEpilogue&, int64_t);
template <bool BColumns, bool SpreadAll, int... Rows>
constexpr std::array<NarrowMainFn, kNarrowMainMaxRows> narrow_main_table(
    std::integer_sequence<int, Rows...>) {
  return {{narrow_main_block<Rows + 1, BColumns, SpreadAll>...}};
}
template <bool BColumns, bool SpreadAll>
constexpr std::array<NarrowMainFn, kNarrowMainMaxRows> kNarrowMainBlocks =
    narrow_main_table<BColumns, SpreadAll>(std::make_integer_sequence<int, kNarrowMainMaxRows>());

// The most rows of a tail block: one accumulator a row, B's tail vector
// and A's four k within the 16 ymm registers.
constexpr int kNarrowTailMaxRows = 12;

// B's column 8 (lanes 0..3) and, for n == 10, column 9 (lanes 4..7) at
// k = p .. p + steps - 1 (steps 1..4); the other lanes zero. With BColumns,
// rs_b is B's column stride, and each column's k are one (masked) load.
template <bool BColumns>
inline __attribute__((always_inline)) __m256 narrow_tail_of_b(const float* b, int64_t rs_b,
                                                              int64_t p, int n, int steps) {
  if constexpr (BColumns) {
    const float* column_8_at = b + 8 * rs_b + p;
    const float* column_9_at = column_8_at + rs_b;
    const __m128i valid = _mm_cmpgt_epi32(_mm_set1_epi32(steps), _mm_setr_epi32(0, 1, 2, 3));
    const __m128 column_8 =
        steps == 4 ? _mm_loadu_ps(column_8_at) : _mm_maskload_ps(column_8_at, valid);
    const __m128 column_9 = n < 10       ? _mm_setzero_ps()
                            : steps == 4 ? _mm_loadu_ps(column_9_at)
                                         : _mm_maskload_ps(column_9_at, valid);
    return _mm256_set_m128(column_9, column_8);
  }
  __m128 x[4];
#pragma GCC unroll 4
  for (int q = 0; q < 4; ++q) {
    const float* at = b + (p + q) * rs_b + 8;
    if (q >= steps) {
      x[q] = _mm_setzero_ps();
    } else if (n == 10) {
      x[q] = _mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(at)));
    } else {
      x[q] = _mm_load_ss(at);
    }
  }
  // (column 8, column 9) of k = q in x[q]; two unpacks and two moves sort
  // them by column.
  const __m128 k01 = _mm_unpacklo_ps(x[0], x[1]);
  const __m128 k23 = _mm_unpacklo_ps(x[2], x[3]);
  return _mm256_set_m128(_mm_movehl_ps(k23, k01), _mm_movelh_ps(k01, k23));
}

// Columns 8..n-1 of Rows rows of C (n is 9 or 10) from A's rows (unit
// column stride) and B's rows (unit column stride) or with BColumns its
// columns (see narrow_tail_of_b), for `count` blocks one below the other.
template <int Rows, bool BColumns>
void narrow_tail_block(int64_t k, const float* a, int64_t rs_a, const float* b, int64_t rs_b,
                       float* c, int64_t rs_c, int64_t cs_c, int n, const KernelEpilogue& epilogue,
                       int64_t count) {
  for (int64_t block = 0; block < count; ++block, a += Rows * rs_a, c += Rows * rs_c) {
    __m256 acc[Rows];
#pragma GCC unroll 12
    for (int i = 0; i < Rows; ++i) acc[i] = _mm256_setzero_ps();
    int64_t p = 0;
    for (; p + 4 <= k; p += 4) {
      const __m256 b_tail = narrow_tail_of_b<BColumns>(b, rs_b, p, n, 4);
#pragma GCC unroll 12
      for (int i = 0; i < Rows; ++i) {
        const __m256 a_4 = _mm256_broadcast_ps(reinterpret_cast<const __m128*>(a + i * rs_a + p));
        acc[i] = _mm256_fmadd_ps(a_4, b_tail, acc[i]);
      }
    }
    if (p < k) {
      // The last k % 4 steps: B's missing steps are zero, and A's are not
      // read (a masked load), so nothing past A's row or B's end is touched.
      const int rest = static_cast<int>(k - p);
      const __m256 b_tail = narrow_tail_of_b<BColumns>(b, rs_b, p, n, rest);
      const __m128i valid = _mm_cmpgt_epi32(_mm_set1_epi32(rest), _mm_setr_epi32(0, 1, 2, 3));
#pragma GCC unroll 12
      for (int i = 0; i < Rows; ++i) {
        const __m128 a_rest = _mm_maskload_ps(a + i * rs_a + p, valid);
        acc[i] = _mm256_fmadd_ps(_mm256_set_m128(a_rest, a_rest), b_tail, acc[i]);
      }
    }
    // Four rows at a time, each column's four lanes added pairwise: lanes
    // 0..3 of `sums` hold column 8 of the four rows, lanes 4..7 column 9.
    alignas(32) float tile[Rows][2];
#pragma GCC unroll 3
    for (int g = 0; g < Rows; g += 4) {
      const __m256 zero = _mm256_setzero_ps();
      const __m256 r1 = g + 1 < Rows ? acc[g + 1] : zero;
      const __m256 r2 = g + 2 < Rows ? acc[g + 2] : zero;
      const __m256 r3 = g + 3 < Rows ? acc[g + 3] : zero;
      const __m256 sums = _mm256_hadd_ps(_mm256_hadd_ps(acc[g], r1), _mm256_hadd_ps(r2, r3));
      alignas(32) float lanes[8];
      _mm256_store_ps(lanes, sums);
#pragma GCC unroll 4
      for (int r = 0; r < 4; ++r) {
        if (g + r >= Rows) break;
        tile[g + r][0] = lanes[r];
        tile[g + r][1] = lanes[4 + r];
      }
    }
    // One or two values a row, stored one at a time (any column stride),
    // with store_tile_f32's arithmetic but without its call and its tests
    // per value.
    const float scale = epilogue.scale_f32;
    with_store_mode(epilogue, [&](auto mode) {
#pragma GCC unroll 12
      for (int i = 0; i < Rows; ++i) {
        for (int j = 0; j < n - 8; ++j) {
          float* out = c + i * rs_c + (8 + j) * cs_c;
          *out = combine_1<decltype(mode)::value>(tile[i][j], out, scale);
        }
      }
    });
  }
}

using NarrowTailFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*,
                              int64_t, int64_t, int, const KernelEpilogue&, int64_t);
template <bool BColumns, int... Rows>
constexpr std::array<NarrowTailFn, kNarrowTailMaxRows> narrow_tail_table(
    std::integer_sequence<int, Rows...>) {
  return {{narrow_tail_block<Rows + 1, BColumns>...}};
}
template <bool BColumns>
constexpr std::array<NarrowTailFn, kNarrowTailMaxRows> kNarrowTailBlocks =
    narrow_tail_table<BColumns>(std::make_integer_sequence<int, kNarrowTailMaxRows>());

// Both passes of a narrow product, from the DirectGemmFn arguments (A's
// column stride is 1; with BColumns, rs_b is B's column stride).
template <bool BColumns, bool SpreadAll>
void narrow_product(int64_t m, int64_t n, int64_t k, const void* a_void, int64_t rs_a,
                    const void* b_void, int64_t rs_b, void* c_void, int64_t rs_c, int64_t cs_c,
                    const KernelEpilogue& epilogue) {
  const float* a = static_cast<const float*>(a_void);
  const float* b = static_cast<const float*>(b_void);
  float* c = static_cast<float*>(c_void);
  const int cols = static_cast<int>(n);
  for_each_row_block_run(m, kNarrowMainMaxRows, [&](int64_t i0, int64_t rows, int64_t count) {
    kNarrowMainBlocks<BColumns, SpreadAll>[rows - 1](k, a + i0 * rs_a, rs_a, b, rs_b, c + i0 * rs_c,
                                                     rs_c, cs_c, epilogue, count);
  });
  for_each_row_block_run(m, kNarrowTailMaxRows, [&](int64_t i0, int64_t rows, int64_t count) {
    kNarrowTailBlocks<BColumns>[rows - 1](k, a + i0 * rs_a, rs_a, b, rs_b, c + i0 * rs_c, rs_c,
                                          cs_c, cols, epilogue, count);
  });
}

float bf16_bits_to_f32(uint16_t bits) {
  const uint32_t u = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

float f16_bits_to_f32(uint16_t bits) { return _cvtsh_ss(bits); }

// Eight values of a 16-bit format widened to float (exact).
__m256 bf16_8_to_f32(__m128i bits) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(bits), 16));
}
__m256 f16_8_to_f32(__m128i bits) { return _mm256_cvtph_ps(bits); }

// A 16-bit format, 8 lanes at a time: widened to float (exact) and float
// rounded to its bits, as the driver's scalar code does (see
// kernels_avx512.cpp).
struct Bf16x8 {
  static __m256 widen(__m128i bits) { return bf16_8_to_f32(bits); }
  // Round to nearest even; a NaN stays a quiet NaN.
  static __m128i round(__m256 x) {
    const __m256i u = _mm256_castps_si256(x);
    const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
    const __m256i rounded = _mm256_srli_epi32(
        _mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7fff)), lsb), 16);
    const __m256i quiet = _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(0x40));
    const __m256i nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, _mm256_set1_epi32(0x7fffffff)),
                                           _mm256_set1_epi32(0x7f800000));
    const __m256i bits = _mm256_blendv_epi8(rounded, quiet, nan);
    // Every lane is below 0x10000, so the saturating pack keeps it.
    return _mm_packus_epi32(_mm256_castsi256_si128(bits), _mm256_extracti128_si256(bits, 1));
  }
  static float widen1(uint16_t bits) { return bf16_bits_to_f32(bits); }
  static uint16_t round1(float x) {
    uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
    return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
  }
};
struct F16x8 {
  static __m256 widen(__m128i bits) { return f16_8_to_f32(bits); }
  static __m128i round(__m256 x) {
    return _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static float widen1(uint16_t bits) { return f16_bits_to_f32(bits); }
  static uint16_t round1(float x) {
    return static_cast<uint16_t>(_cvtss_sh(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
};

// Sums combined with C's old values, eight or one at a time.
template <typename Format, StoreMode Mode>
inline __attribute__((always_inline)) __m128i round_8(__m256 x, __m128i old_bits, __m256 scale) {
  if constexpr (Mode == StoreMode::kScaled) x = _mm256_mul_ps(x, scale);
  if constexpr (Mode == StoreMode::kAdd) x = _mm256_add_ps(Format::widen(old_bits), x);
  if constexpr (Mode == StoreMode::kScaledAdd) {
    x = _mm256_fmadd_ps(x, scale, Format::widen(old_bits));
  }
  return Format::round(x);
}
template <typename Format, StoreMode Mode>
inline __attribute__((always_inline)) uint16_t round_1(float x, const uint16_t* old, float scale) {
  if constexpr (Mode == StoreMode::kScaled) x *= scale;
  if constexpr (Mode == StoreMode::kAdd) x = Format::widen1(*old) + x;
  if constexpr (Mode == StoreMode::kScaledAdd) x = std::fma(x, scale, Format::widen1(*old));
  return Format::round1(x);
}

// Whole vectors, then a row's last values one at a time (AMD microcodes
// masked stores).
template <typename Format, StoreMode Mode>
void store_rows_16bit(const float* sums, int64_t ld_sums, int64_t m, int64_t n, uint16_t* c,
                      int64_t rs_c, const KernelEpilogue& epilogue) {
  const __m256 scale = _mm256_set1_ps(epilogue.scale_f32);
  constexpr bool kReadsC = Mode == StoreMode::kAdd || Mode == StoreMode::kScaledAdd;
  for (int64_t i = 0; i < m; ++i) {
    const float* row = sums + i * ld_sums;
    uint16_t* out = c + i * rs_c;
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) {
      const __m128i old = kReadsC ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(out + j))
                                  : _mm_setzero_si128();
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j),
                       round_8<Format, Mode>(_mm256_loadu_ps(row + j), old, scale));
    }
    for (; j < n; ++j) out[j] = round_1<Format, Mode>(row[j], out + j, epilogue.scale_f32);
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

// Rows of a 16-bit format widened to float rows (see WidenRowsFn): whole
// vectors, then the row's last values one at a time (AMD microcodes masked
// stores).
template <__m256 (*Widen8)(__m128i), float (*Widen1)(uint16_t)>
void widen_rows(const void* src, int64_t rs, int64_t rows, int64_t cols, float* dst) {
  const uint16_t* in = static_cast<const uint16_t*>(src);
  if (rs == cols) {  // contiguous rows: one run (see kernels_avx512.cpp)
    cols *= rows;
    rows = 1;
  }
  for (int64_t i = 0; i < rows; ++i) {
    const uint16_t* row = in + i * rs;
    float* out = dst + i * cols;
    int64_t j = 0;
    for (; j + 8 <= cols; j += 8) {
      _mm256_storeu_ps(out + j, Widen8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + j))));
    }
    for (; j < cols; ++j) out[j] = Widen1(row[j]);
  }
}

// Transposes an 8x8 block of floats held in 8 registers (row i in r[i]).
inline __attribute__((always_inline)) void transpose_8x8(__m256 (&r)[8]) {
  __m256 t[8];
#pragma GCC unroll 4
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  __m256 u[8];
#pragma GCC unroll 2
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
    r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
  }
}

// Packs float panels of R rows whose k steps are contiguous in each row
// (k_stride == 1: a row-major A, a column-major B): 8 rows x 8 k steps
// loaded, transposed in registers and stored as 8 k steps. Stores are
// whole vectors (AMD's masked stores are microcoded and slow): in a panel
// narrower than 8 (R = 6) each store spills into the next k step's slot,
// which the next store overwrites; only the panel's last k step is copied
// value by value, so nothing is written past the panel.
template <int R>
void pack_f32_transposing(const float* src, int64_t row_stride, int64_t rows, int64_t k,
                          float* dst) {
  static_assert(R <= 8 || R % 8 == 0, "a partial group must be the panel's only one");
  PackRowsAhead<R, float> ahead(src, row_stride, rows, k);
  for (int64_t r0 = 0; r0 < rows; r0 += R) {
    const int height = static_cast<int>(rows - r0 < R ? rows - r0 : R);
    const float* panel = src + r0 * row_stride;
    for (int64_t p0 = 0; p0 < k; p0 += 8) {
      if (p0 % 16 == 0) ahead.next_line();  // two blocks of 8 k a line
      const int steps = static_cast<int>(k - p0 < 8 ? k - p0 : 8);
      const __m256i k_mask = low_lanes(steps);
      for (int rb = 0; rb < R; rb += 8) {
        __m256 block[8];
#pragma GCC unroll 8
        for (int i = 0; i < 8; ++i) {
          const float* source = panel + (rb + i) * row_stride + p0;
          block[i] = rb + i >= height ? _mm256_setzero_ps()
                     : steps == 8     ? _mm256_loadu_ps(source)
                                      : _mm256_maskload_ps(source, k_mask);
        }
        transpose_8x8(block);
        for (int q = 0; q < steps; ++q) {
          float* out = dst + (p0 + q) * R + rb;
          if (R - rb >= 8 || p0 + q + 1 < k) {
            _mm256_storeu_ps(out, block[q]);
          } else {
            alignas(32) float values[8];
            _mm256_store_ps(values, block[q]);
            for (int i = 0; i < R - rb; ++i) out[i] = values[i];
          }
        }
      }
    }
    dst += R * k;
  }
}

// Packing into panels of R rows (see PackPanelsFn); Lanes values per vector.
// Full-height panels whose k steps are contiguous (row_stride == 1) copy
// whole vectors; float rows with contiguous k (k_stride == 1) are
// transposed in 8x8 blocks; everything else is gathered one value at a time.
template <int R, typename T>
void pack_copy(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows, int64_t k,
               void* dst_void) {
  const T* src = static_cast<const T*>(src_void);
  T* dst = static_cast<T*>(dst_void);
  constexpr int kLanes = 32 / sizeof(T);
  if constexpr (sizeof(T) == 4) {
    if (k_stride == 1 && row_stride != 1) {
      pack_f32_transposing<R>(reinterpret_cast<const float*>(src), row_stride, rows, k,
                              reinterpret_cast<float*>(dst));
      return;
    }
  }
  int64_t r0 = 0;
  if (row_stride == 1 && R % kLanes == 0) {
    // Whole panels of contiguous rows (a row-major B): one k step of every
    // panel at a time, so the source is read along its rows, a stream the
    // hardware prefetcher follows, not panel by panel down its columns (a
    // new cache line every step, each a wait on memory: 64x256x512x256 on
    // AVX2 went from 77% to 82% of peak with this and the loads above, when
    // the driver still packed B whole rather than a prefetched panel at a
    // time).
    const int64_t panels = rows / R;
    for (int64_t p = 0; p < k; ++p) {
      const T* s = src + p * k_stride;
      T* out = dst + p * R;
      for (int64_t q = 0; q < panels; ++q, s += R, out += R * k) {
        for (int v = 0; v < R; v += kLanes) {
          if constexpr (sizeof(T) == 4) {
            _mm256_storeu_ps(reinterpret_cast<float*>(out + v),
                             _mm256_loadu_ps(reinterpret_cast<const float*>(s + v)));
          } else {
            _mm256_storeu_pd(reinterpret_cast<double*>(out + v),
                             _mm256_loadu_pd(reinterpret_cast<const double*>(s + v)));
          }
        }
      }
    }
    r0 = panels * R;
    dst += panels * R * k;
  }
  for (; r0 < rows; r0 += R) {
    const int height = static_cast<int>(rows - r0 < R ? rows - r0 : R);
    const T* panel = src + r0 * row_stride;
    for (int64_t p = 0; p < k; ++p) {
      for (int r = 0; r < height; ++r) dst[r] = panel[r * row_stride + p * k_stride];
      for (int r = height; r < R; ++r) dst[r] = T(0);
      dst += R;
    }
  }
}

// Packs 16-bit sources as floats: each panel, kChunk k steps at a time, is
// widened into a float copy in the source's own layout (whole vectors along
// the contiguous dimension), which pack_copy then packs with the float
// paths (one thread, float16, value by value before: 64x256x512x256
// 84 -> 89 GFLOP/s).
template <int R, __m256 (*Widen8)(__m128i), float (*Widen1)(uint16_t)>
void pack_16bit_to_f32(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows,
                       int64_t k, void* dst_void) {
  constexpr int64_t kChunk = 256;
  alignas(32) float staging[R * kChunk];
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
        widen_rows<Widen8, Widen1>(block, row_stride, height, steps, staging);
        pack_copy<R, float>(staging, steps, 1, height, steps, out);
      } else if (row_stride == 1) {  // rows contiguous: staging step p holds its R values
        for (int64_t p = 0; p < steps; ++p) {
          widen_rows<Widen8, Widen1>(block + p * k_stride, height, 1, height, staging + p * R);
        }
        pack_copy<R, float>(staging, 1, R, height, steps, out);
      } else {
        for (int64_t p = 0; p < steps; ++p) {
          for (int64_t r = 0; r < height; ++r) {
            staging[p * R + r] = Widen1(block[r * row_stride + p * k_stride]);
          }
        }
        pack_copy<R, float>(staging, 1, R, height, steps, out);
      }
    }
  }
}

}  // namespace

void gemm_f32_6x16_avx2(int64_t k, const void* a, const void* b, void* c, int64_t rs_c,
                        int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  gemm_f32_mrx16<6>(k, static_cast<const float*>(a), static_cast<const float*>(b),
                    static_cast<float*>(c), rs_c, cs_c, m, n, epilogue);
}
void gemm_f64_6x8_avx2(int64_t k, const void* a, const void* b, void* c, int64_t rs_c, int64_t cs_c,
                       int m, int n, const KernelEpilogue& epilogue) {
  gemm_f64_mrx8<6>(k, static_cast<const double*>(a), static_cast<const double*>(b),
                   static_cast<double*>(c), rs_c, cs_c, m, n, epilogue);
}

void gemm_f32_direct_6x16_avx2(int64_t m, int64_t n, int64_t k, const void* a_void, int64_t rs_a,
                               int64_t cs_a, const void* b_void, int64_t rs_b,
                               int64_t b_panel_stride, void* c_void, int64_t rs_c, int64_t cs_c,
                               const KernelEpilogue& epilogue) {
  const float* a = static_cast<const float*>(a_void);
  const float* b = static_cast<const float*>(b_void);
  float* c = static_cast<float*>(c_void);
  // One 16-column panel per pass over A; rows in blocks of near-equal
  // height, as on AVX-512.
  for (int64_t j0 = 0; j0 < n; j0 += 16) {
    const int cols = static_cast<int>(n - j0 < 16 ? n - j0 : 16);
    const int vectors = cols > 8 ? 2 : 1;
    const float* b_panel = b + (j0 / 16) * b_panel_stride;
    const int max_rows = direct_max_rows(vectors);
    for_each_row_block_run(m, max_rows, [&](int64_t i0, int64_t rows, int64_t count) {
      kDirectBlocks[rows - 1][vectors - 1](k, a + i0 * rs_a, rs_a, cs_a, b_panel, rs_b,
                                           c + i0 * rs_c + j0 * cs_c, rs_c, cs_c, cols, epilogue,
                                           count);
    });
  }
}

void gemm_f32_direct_narrow_avx2(int64_t m, int64_t n, int64_t k, const void* a, int64_t rs_a,
                                 int64_t, const void* b, int64_t rs_b, int64_t, void* c,
                                 int64_t rs_c, int64_t cs_c, const KernelEpilogue& epilogue) {
  narrow_product<false, false>(m, n, k, a, rs_a, b, rs_b, c, rs_c, cs_c, epilogue);
}
void gemm_f32_direct_narrow_b_columns_avx2(int64_t m, int64_t n, int64_t k, const void* a,
                                           int64_t rs_a, int64_t, const void* b, int64_t cs_b,
                                           int64_t, void* c, int64_t rs_c, int64_t cs_c,
                                           const KernelEpilogue& epilogue) {
  narrow_product<true, false>(m, n, k, a, rs_a, b, cs_b, c, rs_c, cs_c, epilogue);
}
void gemm_f32_direct_narrow_spread_avx2(int64_t m, int64_t n, int64_t k, const void* a,
                                        int64_t rs_a, int64_t, const void* b, int64_t rs_b, int64_t,
                                        void* c, int64_t rs_c, int64_t cs_c,
                                        const KernelEpilogue& epilogue) {
  narrow_product<false, true>(m, n, k, a, rs_a, b, rs_b, c, rs_c, cs_c, epilogue);
}
void gemm_f32_direct_narrow_b_columns_spread_avx2(int64_t m, int64_t n, int64_t k, const void* a,
                                                  int64_t rs_a, int64_t, const void* b,
                                                  int64_t cs_b, int64_t, void* c, int64_t rs_c,
                                                  int64_t cs_c, const KernelEpilogue& epilogue) {
  narrow_product<true, true>(m, n, k, a, rs_a, b, cs_b, c, rs_c, cs_c, epilogue);
}

void pack_f32_6_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_copy<6, float>(s, rs, ks, rows, k, d);
}
void pack_f32_16_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_copy<16, float>(s, rs, ks, rows, k, d);
}
void pack_f64_6_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_copy<6, double>(s, rs, ks, rows, k, d);
}
void pack_f64_8_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_copy<8, double>(s, rs, ks, rows, k, d);
}
void pack_bf16_to_f32_6_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                             void* d) {
  pack_16bit_to_f32<6, bf16_8_to_f32, bf16_bits_to_f32>(s, rs, ks, rows, k, d);
}
void pack_bf16_to_f32_16_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                              void* d) {
  pack_16bit_to_f32<16, bf16_8_to_f32, bf16_bits_to_f32>(s, rs, ks, rows, k, d);
}
void pack_f16_to_f32_6_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                            void* d) {
  pack_16bit_to_f32<6, f16_8_to_f32, f16_bits_to_f32>(s, rs, ks, rows, k, d);
}
void pack_f16_to_f32_16_avx2(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                             void* d) {
  pack_16bit_to_f32<16, f16_8_to_f32, f16_bits_to_f32>(s, rs, ks, rows, k, d);
}

void widen_bf16_rows_avx2(const void* src, int64_t rs, int64_t rows, int64_t cols, float* dst) {
  widen_rows<bf16_8_to_f32, bf16_bits_to_f32>(src, rs, rows, cols, dst);
}
void widen_f16_rows_avx2(const void* src, int64_t rs, int64_t rows, int64_t cols, float* dst) {
  widen_rows<f16_8_to_f32, f16_bits_to_f32>(src, rs, rows, cols, dst);
}

void store_f32_rows_as_bf16_avx2(const float* sums, int64_t ld_sums, int64_t m, int64_t n, void* c,
                                 int64_t rs_c, const KernelEpilogue& epilogue) {
  store_rows_16bit<Bf16x8>(sums, ld_sums, m, n, c, rs_c, epilogue);
}
void store_f32_rows_as_f16_avx2(const float* sums, int64_t ld_sums, int64_t m, int64_t n, void* c,
                                int64_t rs_c, const KernelEpilogue& epilogue) {
  store_rows_16bit<F16x8>(sums, ld_sums, m, n, c, rs_c, epilogue);
}

}  // namespace sgmm::cpu
