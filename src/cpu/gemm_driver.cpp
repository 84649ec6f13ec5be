// The GEMM driver: turns a list of batches into independent work items
// (batch entry, tile of C), runs them on the thread pool, and computes each
// tile one of two ways. Large products take BLIS's loops around the
// micro-kernel:
//
//   for jc in tile columns, step NC      B panel (KC x NC) -> L3
//     for pc in 0..k, step KC            the sum, in order; never split
//       pack B[pc:pc+KC, jc:jc+NC]
//       for ic in tile rows, step MC     A block (MC x KC) -> L2
//         pack A[ic:ic+MC, pc:pc+KC]
//         for jr step NR, ir step MR     micro-kernel; B micro-panel -> L1
//
// Small products, and medium float32/float64 ones, take the direct path
// instead: no packing of A, B in place when its columns are contiguous, the
// whole sum in one pass of the direct kernel (takes_direct_path,
// takes_direct_path_whole).
//
// Each element of C is summed over k by one thread, in the same order, by
// the same kernel whatever the tiling, so results do not depend on the
// thread count. Packing buffers are per thread and only grow, so steady
// state calls do not allocate.
#include "cpu/gemm_driver.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "cpu/gemm.hpp"
#include "cpu/kernel_config.hpp"
#include "cpu/thread_pool.hpp"
#include "sgmm/dtype.hpp"
#include "sgmm/error.hpp"

namespace sgmm::cpu {
namespace {

// Below this much work in a call, waking other threads costs more than it saves.
constexpr double kMinFlopsForThreads = 256.0 * 1024.0;
// With at least this many products per thread, whole products balance well
// enough; fewer are split into tiles so every thread gets a share.
constexpr int64_t kProductsPerThreadWithoutSplit = 8;
// Work items are handed out in about this many runs per thread, each of at
// least kMinFlopsPerRun: every claim of a run is an atomic operation that
// waits for the thread's stores to drain, which a run of a few tiny
// products notices (32 products of 10x64x10 on two threads: claimed 2 at a
// time, 3% slower than in one run per thread).
constexpr int64_t kRunsPerThread = 8;
constexpr double kMinFlopsPerRun = 512.0 * 1024.0;
constexpr size_t kBufferAlignment = 64;
// The float sums of a 16-bit output held per thread (see
// float_tile_capacity): 1x2048x2048x2048 float16 went from 165 to 202-208
// GFLOP/s with 4 MB rather than MC x NC floats (344 KB), 8 MB gaining no more.
constexpr int64_t kFloatTileBytes = 4 << 20;
// The direct path keeps a B panel (k x NR) within L1 (32 KB here) and an A
// it reads once per pass within an eighth of L2: with more (a 512 KB A^T
// in the weight gradient of 256x512x256) packing wins by 20%.
constexpr int64_t kDirectMaxPanelBytes = 32 * 1024;
constexpr int64_t kDirectMaxRereadABytes = 128 * 1024;
// The packed path packs B this many panels at a time: a row-major B's rows
// are then read in runs of 512 bytes (4 x 32 floats, 4 x 16 doubles), not
// 128, which memory streams faster, and the next group fetched while one
// is multiplied takes half of a 1 MB L2. Zen 5, against one panel at a
// time, GFLOP/s: float32 4x1024x1024x1024 235 -> 243 (one thread), 470
// -> 479 (two); 1x2048^3 470 -> 486 (two); float64 4x1024^3 222 -> 231.
// Eight panels at a time, or the whole block, gained less.
constexpr int64_t kPackBGroupPanels = 4;
// A kernel that fetches ahead (TypedGemmKernel::fetches_ahead) is given
// what is packed next from this many k steps on; on shorter sums its
// fetches crowd the loop's first steps, and the driver fetches between
// calls instead (float64 64 x 2048 x 64 x 64, one thread: 9% slower).
constexpr int64_t kFetchAheadMinK = 256;
// bf16 sums of one KC step read a row-major A in place when its rows lie
// at most this far apart; farther, each MC-row block spans more pages and
// L2 sets than the packed block, and packing wins. Zen 5, against
// packing: 16x512^3 (rows of 1 KB) 5% faster with A contiguous, within the
// noise with its rows 4 or 8 KB apart; 4x1024^3 (rows of 2 KB) within the
// noise contiguous, and 4 or 8 KB apart 2-5% slower on one thread and up
// to 45% on two.
constexpr int64_t kInPlaceMaxRowStrideBytes = 1024;
// Which products read a B stored by columns in place (TypedGemmKernel::
// direct_b_columns): those of one of its row blocks (10 rows), and those
// of at most 48 rows summing at least 16 k and half as many k as rows.
// That kernel transposes B's columns in registers once per row block and
// folds each element's two lanes at the end; packing transposes once, so
// it wins for many rows over a short sum. The API timed with rdtsc, one
// thread, 32 products m x k x n from K^T, medians of 5 alternated runs, in
// place over packed: 1x64x1024 2.3x, 10x10x64 1.16x, 8x8x64 1.35x, 10x16x64
// 1.21x, 16x67x16 1.22x, 32x16x64 1.15x, 32x64x32 1.04x, 48x64x48 1.04x,
// 48x24x48 0.99x; and not taken: 16x10x64 0.89x, 32x10x64 0.75x, 32x12x64
// 0.73x, 48x16x64 0.91x, 64x64x64 0.96-0.99x, 128x64x128 0.93x.
constexpr int64_t kInPlaceBColumnsBlockRows = 10;
constexpr int64_t kInPlaceBColumnsMaxRows = 48;
constexpr int64_t kInPlaceBColumnsMinK = 16;
// A whole product longer than one KC step is direct for at most this many
// passes over A (see takes_direct_path_whole).
constexpr int64_t kDirectMaxPasses = 8;
// A's rows of at least this many bytes: long enough that a direct block's
// pass over them streams well (see TypedGemmKernel::direct_max_a_bytes).
constexpr int64_t kDirectLongRowBytes = 1024;
// Below this much A in a product, A and C sit in L1/L2 and the direct
// kernels' prefetching (KernelEpilogue::prefetch) only adds instructions:
// A's prefetches took 12% more for 10x64x10; C's cost 1.5% of 8x100x50x30
// and 1% of 32x10x64x10 (one thread: 101 -> 102.5 and 76.7 -> 77.5 GFLOP/s
// without them).
constexpr int64_t kDirectPrefetchMinABytes = 64 * 1024;

const TypedGemmKernel& kernel_for(const KernelConfig& config, GemmDType dtype) {
  switch (dtype) {
    case GemmDType::f32:
      return config.f32;
    case GemmDType::f64:
      return config.f64;
    case GemmDType::bf16:
      return config.bf16;
    case GemmDType::f16:
      return config.f16;
  }
  return config.f32;
}

int64_t round_up(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

// Where tile t of `tiles` over `size` rows (or columns) starts: on a
// multiple of `step` (the kernel's MR or NR), so tiles differ by at most
// one step. 2048 rows in MR = 14 on two threads: 1022 + 1026, where whole
// halves rounded up to MR gave 1036 + 1012 (the larger 1.2% over half).
int64_t tile_start(int64_t t, int64_t tiles, int64_t size, int64_t step) {
  return t == tiles ? size : size * t / tiles / step * step;
}

// A cache-line aligned buffer that only grows.
class ScratchBuffer {
 public:
  ScratchBuffer() = default;
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;
  ~ScratchBuffer() { ::operator delete (data_, std::align_val_t{kBufferAlignment}); }

  void* reserve(size_t bytes) {
    if (bytes > capacity_) {
      ::operator delete (data_, std::align_val_t{kBufferAlignment});
      data_ = nullptr;
      capacity_ = 0;
      const size_t rounded = (bytes + 4095) & ~size_t{4095};
      data_ = ::operator new (rounded, std::align_val_t{kBufferAlignment});
      capacity_ = rounded;
    }
    return data_;
  }
  size_t capacity() const { return capacity_; }

 private:
  void* data_ = nullptr;
  size_t capacity_ = 0;
};

// The largest packed A block, packed B panel and float tile that any
// configuration's block sizes allow.
struct ScratchSizes {
  size_t packed_a = 0;
  size_t packed_b = 0;
  size_t float_tile = 0;
};

// The floats of a 16-bit output's sums held at a time: at least MC x NC,
// and kFloatTileBytes, so that a sum longer than KC, which needs every row
// of its block at once, packs B again only every few hundred rows.
int64_t float_tile_capacity(const TypedGemmKernel& k) {
  return std::max<int64_t>(k.mc * k.nc, kFloatTileBytes / static_cast<int64_t>(sizeof(float)));
}

ScratchSizes largest_scratch_sizes() {
  ScratchSizes sizes;
  for (const KernelConfig* config :
       {&avx512_kernel_config(), &avx2_kernel_config(), &generic_kernel_config()}) {
    for (const TypedGemmKernel* k : {&config->f32, &config->f64, &config->bf16, &config->f16}) {
      const int64_t kp = round_up(k->kc, k->k_step);
      sizes.packed_a = std::max(sizes.packed_a,
                                static_cast<size_t>(round_up(k->mc, k->mr) * kp * k->packed_bytes));
      sizes.packed_b = std::max(sizes.packed_b,
                                static_cast<size_t>(round_up(k->nc, k->nr) * kp * k->packed_bytes));
      sizes.float_tile = std::max(sizes.float_tile,
                                  static_cast<size_t>(float_tile_capacity(*k)) * sizeof(float));
    }
  }
  return sizes;
}

// Worked out once: every thread reserves these, and the driver's checks of
// what fits a thread's scratch use them, so no two threads decide apart.
const ScratchSizes& scratch_sizes() {
  static const ScratchSizes sizes = largest_scratch_sizes();
  return sizes;
}

// Each thread's packing buffers and the float tile for 16-bit outputs,
// sized once for the largest block, so no later call allocates.
struct ThreadScratch {
  ThreadScratch() {
    const ScratchSizes& sizes = scratch_sizes();
    packed_a.reserve(sizes.packed_a);
    packed_b.reserve(sizes.packed_b);
    float_tile.reserve(sizes.float_tile);
  }
  ScratchBuffer packed_a;
  ScratchBuffer packed_b;
  ScratchBuffer float_tile;
};

ThreadScratch& thread_scratch() {
  thread_local ThreadScratch scratch;
  return scratch;
}

// How one batch of the list is cut into work items. (A new field must
// also go into same_plan.)
struct BatchPlan {
  int64_t first_item = 0;       // index of this batch's first item in the job
  int64_t items_per_entry = 0;  // tiles per product
  int64_t tiles_m = 1;  // row tiles, each a multiple of the kernel's MR rows but the last
  int64_t tiles_n = 1;  // column tiles, each a multiple of NR columns but the last
  const TypedGemmKernel* kernel = nullptr;
  KernelEpilogue epilogue;
  bool direct_whole_product = false;  // see takes_direct_path_whole
  int64_t kc = 0;                     // the packed path's KC (see packed_kc)
  // The direct kernel for this batch's tiles: the configuration's `direct`,
  // or its `direct_narrow` when the whole product suits it (see
  // direct_kernel_for).
  DirectGemmFn direct = nullptr;
};

struct GemmJob {
  const GemmBatch* batches = nullptr;
  const BatchPlan* plans = nullptr;
  size_t count = 0;
  // Items taken entry by entry across the batches (entry p of every batch,
  // then p + 1) rather than batch by batch: set for batches of equal count
  // made of whole products, such as a backward pass's grad_input and
  // grad_weight, whose products p share an operand (grad_out[p]) that is
  // then still in cache for the second.
  bool interleaved = false;
};

// One tile of one product, as pointers and strides in elements.
struct TileTask {
  const char* a;
  const char* b;
  char* c;
  int64_t m, n, k;  // tile rows, tile columns, the full sum
  int64_t rs_a, cs_a, rs_b, cs_b, rs_c, cs_c;
  int64_t elem;    // bytes of an A, B (and 16-bit C) element
  int64_t c_elem;  // bytes of an element where the kernel stores
  int64_t kc;      // the packed path's KC step (BatchPlan::kc)
};

// The source of a block about to be packed (rows x k elements, addressed
// as PackPanelsFn reads it), fetched into cache a share at a time while the
// block before it is multiplied, so that packing reads from cache rather
// than wait on memory. Fetched as spans of contiguous bytes: the rows when
// k is contiguous, the k steps when the rows are; other layouts are not
// fetched.
class PackSourcePrefetch {
 public:
  PackSourcePrefetch() = default;
  PackSourcePrefetch(const char* src, int64_t row_stride, int64_t k_stride, int64_t rows,
                     int64_t k, int64_t elem, int64_t shares) {
    if (rows <= 0 || k <= 0 || shares <= 0) return;
    if (k_stride == 1) {
      spans_ = rows, span_stride_ = row_stride * elem, span_bytes_ = k * elem;
    } else if (row_stride == 1) {
      spans_ = k, span_stride_ = k_stride * elem, span_bytes_ = rows * elem;
    } else {
      return;
    }
    src_ = src;
    per_share_ = (spans_ + shares - 1) / shares;
    shares_left_ = shares;
  }

  bool active() const { return src_ != nullptr; }

  // For a kernel that fetches ahead (TypedGemmKernel::fetches_ahead): this
  // call's share, at most max_bytes, as one byte range, when the spans lie
  // end to end (a block of whole rows or whole k steps). Else false, and
  // the caller fetches its share with fetch_share.
  bool take_range(int64_t max_bytes, const char*& begin, const char*& end) {
    if (src_ == nullptr || span_stride_ != span_bytes_) return false;
    const int64_t left = spans_ * span_bytes_ - next_byte_;
    const int64_t share = shares_left_ > 0 ? (left + shares_left_ - 1) / shares_left_ : left;
    const int64_t bytes = std::min(share, max_bytes);
    begin = src_ + next_byte_;
    end = begin + bytes;
    next_byte_ += bytes;
    --shares_left_;
    return true;
  }

  void fetch_share() {
    if (src_ == nullptr) return;
    const int64_t end = std::min(spans_, next_ + per_share_);
    for (; next_ < end; ++next_) {
      const char* span = src_ + next_ * span_stride_;
      for (int64_t byte = 0; byte < span_bytes_; byte += 64) __builtin_prefetch(span + byte, 0, 2);
      __builtin_prefetch(span + span_bytes_ - 1, 0, 2);
    }
  }

 private:
  const char* src_ = nullptr;  // null: nothing to fetch
  int64_t spans_ = 0, span_stride_ = 0, span_bytes_ = 0;
  int64_t per_share_ = 0, next_ = 0;
  int64_t shares_left_ = 0, next_byte_ = 0;  // take_range's progress
};

void store_float_rows_as_16bit(const TypedGemmKernel& kern, GemmDType dtype, float* sums,
                               int64_t ld_sums, int64_t m, int64_t n, char* c, int64_t rs_c,
                               int64_t cs_c, const KernelEpilogue& epilogue);

// A 16-bit C computed one row block at a time: compute_tile leaves each
// block's float sums (at most MC x NC) in `sums`, row stride ld, and
// rounds them into C with the epilogue once the block is complete. Only for
// a sum of one KC step, so the block is complete after one pass.
struct StagedOutput {
  GemmDType dtype;
  float* sums;
  int64_t ld;
  const KernelEpilogue* epilogue;
};

// C[tile] (+)= scale * A[tile rows] @ B[:, tile columns]. The kernel stores
// straight into C, in the accumulator type (c_elem bytes): the f32/f64
// output itself, or the float tile of a 16-bit output; or, with `staged`,
// into its float rows (the kernels then apply no epilogue; see
// StagedOutput). With `a_in_place` (a row-major A of short rows, one KC
// step, staged sums: the bf16 direct kernel stores plain float sums), A is
// not packed: the direct kernel reads each row block in place, a panel of
// B at a time.
void compute_tile(const TypedGemmKernel& kern, const TileTask& t, const KernelEpilogue& epilogue,
                  ThreadScratch& scratch, const StagedOutput* staged = nullptr,
                  bool a_in_place = false, const TileTask* next = nullptr) {
  const int64_t kp_max = round_up(std::min(t.kc, t.k), kern.k_step);
  char* packed_b = static_cast<char*>(scratch.packed_b.reserve(
      static_cast<size_t>(round_up(std::min(kern.nc, t.n), kern.nr) * kp_max * kern.packed_bytes)));
  char* packed_a = static_cast<char*>(scratch.packed_a.reserve(
      static_cast<size_t>(round_up(std::min(kern.mc, t.m), kern.mr) * kp_max * kern.packed_bytes)));
  for (int64_t jc = 0; jc < t.n; jc += kern.nc) {
    const int64_t nb = std::min(kern.nc, t.n - jc);
    for (int64_t pc = 0; pc < t.k; pc += t.kc) {
      const int64_t kb = std::min(t.kc, t.k - pc);
      const int64_t kp = round_up(kb, kern.k_step);
      const int64_t panel_bytes = kern.nr * kp * kern.packed_bytes;
      // Where B's panel of columns from jr on starts, in this KC x NC block.
      auto b_source = [&](int64_t jr) { return t.b + (pc * t.rs_b + (jc + jr) * t.cs_b) * t.elem; };
      // Only the first KC step may overwrite C; later steps add to it.
      KernelEpilogue step = epilogue;
      step.add_to_c = epilogue.add_to_c || pc > 0;
      for (int64_t ic = 0; ic < t.m; ic += kern.mc) {
        const int64_t mb = std::min(kern.mc, t.m - ic);
        const int64_t a_panels = (mb + kern.mr - 1) / kern.mr;
        // Where the kernels store this block: C, or the staged float rows.
        char* const c_block = staged != nullptr
                                  ? reinterpret_cast<char*>(staged->sums)
                                  : t.c + (ic * t.rs_c + jc * t.cs_c) * t.c_elem;
        const int64_t rs_c = staged != nullptr ? staged->ld : t.rs_c;
        const int64_t cs_c = staged != nullptr ? 1 : t.cs_c;
        const int64_t c_elem = staged != nullptr ? int64_t{sizeof(float)} : t.c_elem;
        const char* const a_block = t.a + (ic * t.rs_a + pc * t.cs_a) * t.elem;
        if (!a_in_place) kern.pack_a(a_block, t.rs_a, t.cs_a, mb, kb, packed_a);
        // Kernel calls per panel of B, over which the next fetches are
        // spread: one per MR rows, or one direct call for the block.
        const int64_t calls_per_panel = a_in_place ? 1 : a_panels;
        const int64_t block_calls = calls_per_panel * ((nb + kern.nr - 1) / kern.nr);
        const int64_t group_cols = kPackBGroupPanels * kern.nr;
        // What is packed next is fetched while this block is multiplied:
        // this step's next rows of A; after its last rows, the next KC
        // step's first rows and first group of B; after the tile's last
        // step, those of the next tile (`next`, the thread's next one). A
        // tile of a few row blocks and a long sum had packed every step
        // cold from memory, as long as it multiplied (the weight gradient
        // of 64 x 2048 x 64 x 64, input^T @ grad_out: 46% of the time).
        const TileTask* next_tile = &t;
        int64_t next_ic = ic + mb, next_pc = pc, next_jc = jc;
        if (next_ic >= t.m) {
          next_ic = 0, next_pc = pc + kb;
          if (next_pc >= t.k) {
            next_pc = 0, next_jc = jc + nb;
            if (next_jc >= t.n) next_tile = next, next_jc = 0;
          }
        }
        PackSourcePrefetch next_a;
        PackSourcePrefetch next_step_b;
        if (next_tile != nullptr) {
          const int64_t next_kb = std::min(t.kc, next_tile->k - next_pc);
          next_a = PackSourcePrefetch(next_tile->a + (next_ic * t.rs_a + next_pc * t.cs_a) * t.elem,
                                      t.rs_a, t.cs_a, std::min(kern.mc, next_tile->m - next_ic),
                                      next_kb, t.elem, block_calls);
          if (next_ic == 0) {
            next_step_b = PackSourcePrefetch(
                next_tile->b + (next_pc * t.rs_b + next_jc * t.cs_b) * t.elem, t.cs_b, t.rs_b,
                std::min({group_cols, kern.nc, next_tile->n - next_jc}), next_kb, t.elem,
                block_calls);
          }
        }
        // The first row block packs B's panels as it reaches them, a group
        // at a time, each group fetched while the one before is multiplied;
        // later blocks reuse them.
        PackSourcePrefetch next_b;
        for (int64_t jr = 0; jr < nb; jr += kern.nr) {
          char* b_panel = packed_b + jr / kern.nr * panel_bytes;
          const int n_tile = static_cast<int>(std::min<int64_t>(kern.nr, nb - jr));
          if (ic == 0 && jr % group_cols == 0) {
            const int64_t cols = std::min(group_cols, nb - jr);
            kern.pack_b(b_source(jr), t.cs_b, t.rs_b, cols, kb, b_panel);
            if (jr + cols < nb) {
              next_b = PackSourcePrefetch(b_source(jr + cols), t.cs_b, t.rs_b,
                                          std::min(group_cols, nb - jr - cols), kb, t.elem,
                                          calls_per_panel * kPackBGroupPanels);
            }
          }
          if (a_in_place) {
            next_a.fetch_share();
            next_b.fetch_share();
            next_step_b.fetch_share();
            kern.direct(mb, n_tile, kb, a_block, t.rs_a, 1, b_panel, kern.nr * kern.k_step,
                        kern.nr * kp, c_block + jr * cs_c * c_elem, rs_c, cs_c, step);
            continue;
          }
          for (int64_t ir = 0; ir < mb; ir += kern.mr) {
            const char* a_panel = packed_a + ir * kp * kern.packed_bytes;
            const int m_tile = static_cast<int>(std::min<int64_t>(kern.mr, mb - ir));
            char* c = c_block + (ir * rs_c + jr * cs_c) * c_elem;
            if (kern.fetches_ahead && kb >= kFetchAheadMinK) {
              // The kernel asks for a line a k step: A's share first, then
              // B's (the next group of this step, else the next step's).
              KernelEpilogue call = step;
              const int64_t lines = (kb + kern.k_step - 1) / kern.k_step;  // its loop's steps
              if (!next_a.take_range(lines / 2 * 64, call.fetch[0], call.fetch_end[0])) {
                next_a.fetch_share();
              }
              const int64_t a_lines = (call.fetch_end[0] - call.fetch[0]) / 64;
              PackSourcePrefetch& b_fetch = next_b.active() ? next_b : next_step_b;
              if (!b_fetch.take_range((lines - a_lines) * 64, call.fetch[1], call.fetch_end[1])) {
                b_fetch.fetch_share();
              }
              if (&b_fetch == &next_b) next_step_b.fetch_share();
              kern.kernel(kb, a_panel, b_panel, c, rs_c, cs_c, m_tile, n_tile, call);
              continue;
            }
            next_a.fetch_share();
            next_b.fetch_share();
            next_step_b.fetch_share();
            kern.kernel(kb, a_panel, b_panel, c, rs_c, cs_c, m_tile, n_tile, step);
          }
        }
        if (staged != nullptr) {
          store_float_rows_as_16bit(kern, staged->dtype, staged->sums, staged->ld, mb, nb,
                                    t.c + (ic * t.rs_c + jc * t.cs_c) * t.elem, t.rs_c, t.cs_c,
                                    *staged->epilogue);
        }
      }
    }
  }
}

// Applies the epilogue to one row of float sums and rounds it into a
// 16-bit C row. The bf16 rounding is branch-free so the loop vectorises.
void store_float_row_as_16bit(GemmDType dtype, float* sums, int64_t n, uint16_t* c, int64_t cs_c,
                              const KernelEpilogue& epilogue) {
  const float scale = epilogue.scale_f32;
  if (epilogue.add_to_c) {
    for (int64_t j = 0; j < n; ++j) {
      const uint16_t old_bits = c[j * cs_c];
      const float old = dtype == GemmDType::bf16 ? float(BFloat16::from_bits(old_bits))
                                                 : Half::to_float(old_bits);
      sums[j] = epilogue.scale_is_one ? old + sums[j] : std::fma(sums[j], scale, old);
    }
  } else if (!epilogue.scale_is_one) {
    for (int64_t j = 0; j < n; ++j) sums[j] *= scale;
  }
  if (dtype == GemmDType::bf16) {
    // Round to nearest even; a NaN stays a (quiet) NaN. Unit stride first:
    // the common case, and the one the compiler vectorises.
    const auto round = [](float value) {
      uint32_t u;
      std::memcpy(&u, &value, sizeof u);
      const uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
      const uint32_t quiet_nan = (u >> 16) | 0x40u;
      return static_cast<uint16_t>((u & 0x7fffffffu) > 0x7f800000u ? quiet_nan : rounded);
    };
    if (cs_c == 1) {
      for (int64_t j = 0; j < n; ++j) c[j] = round(sums[j]);
    } else {
      for (int64_t j = 0; j < n; ++j) c[j * cs_c] = round(sums[j]);
    }
  } else {
    for (int64_t j = 0; j < n; ++j) c[j * cs_c] = Half::round_from_float(sums[j]);
  }
}

// An m x n block of float sums (row stride ld_sums) into 16-bit C rows: the
// kernel configuration's vector rounding where it has one and C's columns
// are contiguous, else the generic one; both give the same bits.
void store_float_rows_as_16bit(const TypedGemmKernel& kern, GemmDType dtype, float* sums,
                               int64_t ld_sums, int64_t m, int64_t n, char* c, int64_t rs_c,
                               int64_t cs_c, const KernelEpilogue& epilogue) {
  if (kern.store_rows_16bit != nullptr && cs_c == 1) {
    kern.store_rows_16bit(sums, ld_sums, m, n, c, rs_c, epilogue);
    return;
  }
  uint16_t* rows = reinterpret_cast<uint16_t*>(c);
  for (int64_t i = 0; i < m; ++i) {
    store_float_row_as_16bit(dtype, sums + i * ld_sums, n, rows + i * rs_c, cs_c, epilogue);
  }
}

bool takes_direct_path(const TypedGemmKernel& kern, const TileTask& t);

// Whether a tile of a 16-bit type whose direct kernel is a float one is
// widened to float and summed by that kernel: A and B row-major, the
// direct path's sizes, and B widened whole within the scratch every thread
// reserves. Then it holds for every row tile of a product for which it
// holds whole (see direct_kernel_for).
bool widens_to_float(const TypedGemmKernel& kern, const TileTask& t) {
  return kern.widen_rows != nullptr && t.cs_a == 1 && t.cs_b == 1 && takes_direct_path(kern, t) &&
         t.k * t.n * static_cast<int64_t>(sizeof(float)) <=
             static_cast<int64_t>(scratch_sizes().packed_b);
}

// For bf16 and f16 outputs: each block of the tile is summed in float32,
// then rounded once into C with the epilogue. A sum of one KC step goes
// MC rows at a time through compute_tile, which packs B once for the tile
// (4x1024x1024x1024 float16: 159-170 -> 213-218 GFLOP/s, where B was
// packed again for every MC rows); a longer sum, as many rows as the float
// scratch holds at this width (at least MC). A small tile whose kernel has
// a direct form (bf16 with AVX512_BF16) is summed by it in one go.
//
// `direct` is the batch's direct kernel for widened tiles (see
// direct_kernel_for); `next`, the thread's next tile, for compute_tile.
void compute_tile_via_float(const TypedGemmKernel& kern, DirectGemmFn direct, GemmDType dtype,
                            const TileTask& t, const KernelEpilogue& epilogue,
                            ThreadScratch& scratch, const TileTask* next = nullptr) {
  const int64_t capacity = float_tile_capacity(kern);  // floats; the scratch holds this
  float* sums = static_cast<float*>(
      scratch.float_tile.reserve(static_cast<size_t>(capacity) * sizeof(float)));
  const KernelEpilogue plain;  // scale 1, overwrite
  if (widens_to_float(kern, t)) {
    // A tile of a type whose direct kernel is a float one: B widened into
    // the thread's packing buffer, then A a block of rows at a time (the
    // scratch is never grown here: a block fits the packed A block and the
    // float tile), each summed by the float direct kernel and rounded into
    // C. The same sums as the packed path (or, for a product 9 or 10 wide,
    // the narrow kernel's, whatever the tiling): a row's sums do not depend
    // on the rows beside it.
    const int64_t row_bytes = t.k * static_cast<int64_t>(sizeof(float));
    // As many rows as fill L1, which each pass over B's columns re-reads
    // (64x2048x64x64 float16 on one thread: 75 -> 82 GFLOP/s against
    // packing; blocks of 64 KB were 1-2% faster there, 2-3% slower on
    // 16x128x256x128).
    const int64_t block_bytes =
        std::min(cpu_features().l1d_bytes, static_cast<int64_t>(scratch_sizes().packed_a));
    const int64_t block_rows = std::max<int64_t>(1, block_bytes / row_bytes);
    const int64_t rows = std::min({t.m, block_rows, capacity / t.n});
    float* a = static_cast<float*>(scratch.packed_a.reserve(static_cast<size_t>(rows * row_bytes)));
    float* b = static_cast<float*>(
        scratch.packed_b.reserve(static_cast<size_t>(t.k * t.n) * sizeof(float)));
    kern.widen_rows(t.b, t.rs_b, t.k, t.n, b);
    for (int64_t i0 = 0; i0 < t.m; i0 += rows) {
      const int64_t mb = std::min(rows, t.m - i0);
      kern.widen_rows(t.a + i0 * t.rs_a * t.elem, t.rs_a, mb, t.k, a);
      direct(mb, t.n, t.k, a, t.k, 1, b, t.n, kern.nr, sums, t.n, 1, plain);
      store_float_rows_as_16bit(kern, dtype, sums, t.n, mb, t.n, t.c + i0 * t.rs_c * t.elem,
                                t.rs_c, t.cs_c, epilogue);
    }
    return;
  }
  if (kern.widen_rows == nullptr && t.cs_a == 1 && t.m * t.n <= capacity &&
      takes_direct_path(kern, t)) {
    // A small tile: A read in place, B read in place or packed (the 16-bit
    // direct kernels take it in their packed layout), the same sums as the
    // packed path.
    if (kern.direct_b_rows != nullptr && t.cs_b == 1) {
      kern.direct_b_rows(t.m, t.n, t.k, t.a, t.rs_a, 1, t.b, t.rs_b, 0, sums, t.n, 1, plain);
    } else {
      const int64_t kp = round_up(t.k, kern.k_step);
      void* packed_b = scratch.packed_b.reserve(
          static_cast<size_t>(round_up(t.n, kern.nr) * kp * kern.packed_bytes));
      kern.pack_b(t.b, t.cs_b, t.rs_b, t.n, t.k, packed_b);
      kern.direct(t.m, t.n, t.k, t.a, t.rs_a, 1, packed_b, kern.nr * kern.k_step, kern.nr * kp,
                  sums, t.n, 1, plain);
    }
    store_float_rows_as_16bit(kern, dtype, sums, t.n, t.m, t.n, t.c, t.rs_c, t.cs_c, epilogue);
    return;
  }
  if (t.k <= kern.kc) {
    // One KC step: each MC-row block is rounded into C as soon as it is
    // done, so B is packed once per NC columns of the tile. A kernel with a
    // direct form (bf16 on AVX512_BF16) reads a row-major A of short rows
    // in place, its pairs along k being adjacent: no A to pack, the same
    // sums.
    const StagedOutput staged{dtype, sums, std::min(kern.nc, t.n), &epilogue};
    const bool a_in_place = kern.direct != nullptr && kern.widen_rows == nullptr && t.cs_a == 1 &&
                            t.rs_a * t.elem <= kInPlaceMaxRowStrideBytes;
    compute_tile(kern, t, plain, scratch, &staged, a_in_place, next);
    return;
  }
  for (int64_t jc = 0; jc < t.n; jc += kern.nc) {
    const int64_t nb = std::min(kern.nc, t.n - jc);
    const int64_t block_rows = std::max(kern.mc, capacity / nb / kern.mc * kern.mc);
    for (int64_t ic = 0; ic < t.m; ic += block_rows) {
      const int64_t mb = std::min(block_rows, t.m - ic);
      TileTask block = t;
      block.a = t.a + ic * t.rs_a * t.elem;
      block.b = t.b + jc * t.cs_b * t.elem;
      block.m = mb;
      block.n = nb;
      block.c = reinterpret_cast<char*>(sums);
      block.rs_c = nb;
      block.cs_c = 1;
      block.c_elem = sizeof(float);
      compute_tile(kern, block, plain, scratch);
      store_float_rows_as_16bit(kern, dtype, sums, nb, mb, nb,
                                t.c + (ic * t.rs_c + jc * t.cs_c) * t.elem, t.rs_c, t.cs_c,
                                epilogue);
    }
  }
}

// Whether a tile is small enough to skip packing A: the sum fits one KC
// step (so the direct kernel computes exactly what the packed path would),
// one panel of B (k x NR) stays in L1 while every row block reads it, and
// A, read again for every pass over B's columns, stays small when there
// are several.
bool takes_direct_path(const TypedGemmKernel& kern, const TileTask& t) {
  if (kern.direct == nullptr || t.k > kern.kc) return false;
  if (t.k * kern.nr * t.elem > kDirectMaxPanelBytes) return false;
  return t.n <= kern.direct_cols || t.m * t.k * t.elem <= kDirectMaxRereadABytes;
}

// Whether every tile of a product takes the direct path although its sum
// may be longer than one KC step. Decided from the product alone, so all
// of its tiles (whatever the thread count) sum the same way. With A
// row-major, skipping A's packing wins (128x256x128 on one thread: 92
// GFLOP/s direct against 86 packed) while what the direct kernel re-reads
// stays in L2: A, read once per pass over B's columns (64 with
// AVX-512), and a pass's block of B. A larger A (2048x2048) is re-read from
// memory, and packing wins; so it does for a column-major A (grad_weight's
// input^T), and for many passes (AVX2's 16-column passes over a 512-wide B:
// 199 -> 153 GFLOP/s).
bool takes_direct_path_whole(const TypedGemmKernel& kern, const GemmBatch& b) {
  if (kern.direct == nullptr || !(b.dtype == GemmDType::f32 || b.dtype == GemmDType::f64)) {
    return false;  // 16-bit products go direct only within one KC step
  }
  // A row-major: the kernel's broadcasts walk along A's rows. B any layout
  // (packed first when its columns are not contiguous: grad_input's W^T).
  if (b.a.col_stride != 1) return false;
  const int64_t elem = static_cast<int64_t>(gemm_dtype_size(b.dtype));
  const int64_t pass_cols = kern.direct_cols;
  const int64_t l2 = cpu_features().l2_bytes;
  if (b.k * pass_cols * elem > l2 / 2) return false;
  const int64_t passes = (b.n + pass_cols - 1) / pass_cols;
  // A, re-read once per pass, must stay in L2 next to the pass's block of B
  // (how much of L2: the kernel's direct_max_a_bytes, tuned per vendor).
  const int64_t max_a_bytes = b.k * elem >= kDirectLongRowBytes ? kern.direct_max_a_bytes_long_rows
                                                                 : kern.direct_max_a_bytes;
  return passes == 1 || (passes <= kDirectMaxPasses && b.m * b.k * elem <= max_a_bytes);
}

// Whether a product cut into `threads` tiles packs less split by columns
// than by rows, on the packed path. Each thread packs all of B and its rows
// of A once per NC block of its columns (row tiles), or all of A once per
// NC block of its columns and its columns of B (column tiles). 1x2048^3,
// two threads: 8 against 6 Mi elements packed per thread; float32 468 ->
// 474 GFLOP/s, float64 227 -> 232 (medians of 6 alternated rounds; the
// backward pass unchanged). Either way every element of C is summed the
// same way.
bool columns_split_packs_less(const BatchPlan& plan, const GemmBatch& b, int64_t threads) {
  const TypedGemmKernel& kern = *plan.kernel;
  if (plan.direct_whole_product || b.k <= kern.kc) return false;  // tiles may go direct
  const auto nc_blocks = [&](int64_t cols) { return (cols + kern.nc - 1) / kern.nc; };
  const int64_t by_rows = b.m / threads * b.k * nc_blocks(b.n) + b.k * b.n;
  const int64_t by_columns = b.m * b.k * nc_blocks(b.n / threads) + b.k * (b.n / threads);
  return by_columns < by_rows;
}

// The KC a batch's packed tiles sum in: the configuration's, or half of it
// where that alone lets a narrow product's packed A block and B panel, with
// the next KC step's sources fetched beside them (compute_tile), fit in L2:
// a weight gradient over many rows, x^T @ dOut. tall's backward (its grad
// weight 64x2048x64x64), sgmm_bench, five alternated rounds: two threads
// 341-371 -> 327-409 GFLOP/s (medians 357 -> 392), one 182-200 -> 194-208.
// With KC halved everywhere, wider products lost (2x4096x512x512's weight
// gradient 6%, 4x1024^3 forward 3%). From the product's sizes, not the
// tile's: its sums, rounded into C between KC steps, then do not depend on
// the thread count.
int64_t packed_kc(const TypedGemmKernel& kern, const GemmBatch& b) {
  if (!(b.dtype == GemmDType::f32 || b.dtype == GemmDType::f64) || b.k <= kern.kc) return kern.kc;
  const int64_t width = std::min(kern.mc, b.m) + std::min(kern.nc, b.n);
  const auto in_l2_with_next = [&](int64_t kc) {
    return 2 * width * kc * kern.packed_bytes < cpu_features().l2_bytes;
  };
  const int64_t half = round_up(kern.kc / 2, kern.k_step);
  return !in_l2_with_next(kern.kc) && in_l2_with_next(half) ? half : kern.kc;
}

// The kernel for a batch's direct tiles. The narrow kernel sums its last
// columns in another order than `direct` and the packed path do, so it is
// chosen for the product, never for a tile: a product 9 or 10 columns wide
// is never split by columns, and its tiles are all direct or all packed
// whatever the thread count (takes_direct_path cannot refuse a tile that
// narrow), so every element is summed the same way by any number of threads.
// The same holds for the kernel reading K^T in place (direct_b_columns),
// which sums two k to a lane: it is chosen for products whose every tile
// takes the direct path, and its columns' sums do not depend on where a
// column tile starts.
//
// A 16-bit product widened to float takes it only when the whole product
// is (widens_to_float): then so is each of its row tiles.
DirectGemmFn direct_kernel_for(const TypedGemmKernel& kern, const GemmBatch& b) {
  const bool in_place_b_columns =
      b.m <= kInPlaceBColumnsBlockRows ||
      (b.m <= kInPlaceBColumnsMaxRows && b.k >= std::max(kInPlaceBColumnsMinK, b.m / 2));
  if (kern.direct_b_columns != nullptr && b.dtype == GemmDType::f32 && b.n >= 16 &&
      in_place_b_columns && b.a.col_stride == 1 && b.b.row_stride == 1 && b.b.col_stride != 1) {
    // Every tile of a product that takes the direct path whole does too
    // (takes_direct_path holds for any part of a product it holds for).
    TileTask whole{};
    whole.m = b.m;
    whole.n = b.n;
    whole.k = b.k;
    whole.elem = static_cast<int64_t>(gemm_dtype_size(b.dtype));
    if (takes_direct_path(kern, whole)) return kern.direct_b_columns;
  }
  if (kern.direct_narrow == nullptr || !(b.n == 9 || b.n == 10) || b.a.col_stride != 1) {
    return kern.direct;
  }
  if (b.dtype == GemmDType::f32 || b.dtype == GemmDType::f64) return kern.direct_narrow;
  TileTask whole{};
  whole.m = b.m;
  whole.n = b.n;
  whole.k = b.k;
  whole.cs_a = b.a.col_stride;
  whole.cs_b = b.b.col_stride;
  whole.elem = static_cast<int64_t>(gemm_dtype_size(b.dtype));
  return widens_to_float(kern, whole) ? kern.direct_narrow : kern.direct;
}

// The direct path: B used in place when its columns are contiguous, else
// packed into panels of NR columns (or NR / 2 for a B that narrow) first:
// the B^T views of attention and of the backward pass.
void compute_tile_direct(const TypedGemmKernel& kern, DirectGemmFn direct, const TileTask& t,
                         const KernelEpilogue& epilogue) {
  if (t.cs_b == 1) {
    direct(t.m, t.n, t.k, t.a, t.rs_a, t.cs_a, t.b, t.rs_b, kern.nr, t.c, t.rs_c, t.cs_c, epilogue);
    return;
  }
  if (t.rs_b == 1 && direct == kern.direct_narrow && kern.direct_narrow_b_columns != nullptr) {
    // Attention's K^T: the narrow kernel's variant reading B's columns, the
    // same sums without packing B, which had cost as much as the product
    // (256x10x64x10 through the API, flop per time-stamp counter tick: one
    // thread 30-31 -> 59-63, two 46-64 -> 90-128).
    kern.direct_narrow_b_columns(t.m, t.n, t.k, t.a, t.rs_a, t.cs_a, t.b, t.cs_b, 0, t.c, t.rs_c,
                                 t.cs_c, epilogue);
    return;
  }
  if (kern.direct_b_columns != nullptr && direct == kern.direct_b_columns) {
    // Q @ K^T of a longer sequence over few rows (decoding's one; see
    // kInPlaceBColumnsMaxRows): B's columns read in place rather than
    // packed by a transpose through memory.
    kern.direct_b_columns(t.m, t.n, t.k, t.a, t.rs_a, t.cs_a, t.b, t.cs_b, 0, t.c, t.rs_c, t.cs_c,
                          epilogue);
    return;
  }
  ThreadScratch& scratch = thread_scratch();
  if (kern.pack_b_half != nullptr && 2 * t.n <= kern.nr) {
    // At most half a panel's columns (K^T of a short sequence): a panel of
    // that width, one vector a k step, half the bytes written and read
    // back (64x16x64x16 from K^T through the API, one thread: 51-53 -> 59-60
    // flop a TSC tick; 64x12x64x12 38-39 -> 46-47; float64 64x8x64x8
    // 21 -> 25-26).
    const int64_t half = kern.nr / 2;
    void* packed_b = scratch.packed_b.reserve(static_cast<size_t>(half * t.k * kern.packed_bytes));
    kern.pack_b_half(t.b, t.cs_b, t.rs_b, t.n, t.k, packed_b);
    direct(t.m, t.n, t.k, t.a, t.rs_a, t.cs_a, packed_b, half, half * t.k, t.c, t.rs_c, t.cs_c,
           epilogue);
    return;
  }
  // B is packed a block of columns at a time, as many as the thread's B
  // buffer holds (sized for the packed path's KC x NC panel), so a wide B
  // never needs a larger buffer. Columns are independent: the blocking does
  // not change any result. From memory (a weight^T in the backward pass),
  // the pack fetches its source ahead itself (PackRowsAhead); a pass at a
  // time with the next pass fetched between chunks of rows, as the driver
  // had done, then measured 1-5% slower on the backward pass.
  const int64_t pass_cols = kern.direct_cols;
  const int64_t column_bytes = t.k * kern.packed_bytes;
  const int64_t fit = static_cast<int64_t>(scratch.packed_b.capacity()) / column_bytes;
  const int64_t block_cols = std::max(pass_cols, fit / pass_cols * pass_cols);
  for (int64_t j0 = 0; j0 < t.n; j0 += block_cols) {
    const int64_t cols = std::min(block_cols, t.n - j0);
    void* packed_b =
        scratch.packed_b.reserve(static_cast<size_t>(round_up(cols, kern.nr) * column_bytes));
    kern.pack_b(t.b + j0 * t.cs_b * t.elem, t.cs_b, t.rs_b, cols, t.k, packed_b);
    direct(t.m, cols, t.k, t.a, t.rs_a, t.cs_a, packed_b, kern.nr, kern.nr * t.k,
           t.c + j0 * t.cs_c * t.c_elem, t.rs_c, t.cs_c, epilogue);
  }
}

// k == 0: the product is zero; C is overwritten with zeros or left as is.
void store_zero_tile(const TileTask& t, bool accumulate) {
  if (accumulate) return;
  for (int64_t i = 0; i < t.m; ++i) {
    for (int64_t j = 0; j < t.n; ++j) {
      std::memset(t.c + (i * t.rs_c + j * t.cs_c) * t.elem, 0, static_cast<size_t>(t.elem));
    }
  }
}

// Items [first, last) of one batch (local numbering): the batch's fields
// are read once for the run, which a stream of small products notices.
void run_batch_items(const GemmBatch& batch, const BatchPlan& plan, int64_t first, int64_t last) {
  const int64_t elem = static_cast<int64_t>(gemm_dtype_size(batch.dtype));
  const bool full_width = batch.dtype == GemmDType::f32 || batch.dtype == GemmDType::f64;
  const TypedGemmKernel& kern = *plan.kernel;
  TileTask t;
  t.elem = elem;
  t.c_elem = elem;
  t.kc = plan.kc;
  t.k = batch.k;
  t.rs_a = batch.a.row_stride;
  t.cs_a = batch.a.col_stride;
  t.rs_b = batch.b.row_stride;
  t.cs_b = batch.b.col_stride;
  t.rs_c = batch.c.row_stride;
  t.cs_c = batch.c.col_stride;
  // Item `local`'s tile of the batch into `tile` (its strides already set).
  const auto set_tile = [&](int64_t local, TileTask& tile) {
    // Whole products (the common case) need none of the divisions.
    int64_t entry = local;
    int64_t i0 = 0;
    int64_t j0 = 0;
    tile.m = batch.m;
    tile.n = batch.n;
    if (plan.items_per_entry != 1) {
      entry = local / plan.items_per_entry;
      const int64_t index = local % plan.items_per_entry;
      const int64_t ti = index / plan.tiles_n;
      const int64_t tj = index % plan.tiles_n;
      i0 = tile_start(ti, plan.tiles_m, batch.m, kern.mr);
      j0 = tile_start(tj, plan.tiles_n, batch.n, kern.nr);
      tile.m = tile_start(ti + 1, plan.tiles_m, batch.m, kern.mr) - i0;
      tile.n = tile_start(tj + 1, plan.tiles_n, batch.n, kern.nr) - j0;
    }
    tile.a = static_cast<const char*>(batch.a.data) +
             (entry * batch.a.batch_stride + i0 * tile.rs_a) * elem;
    tile.b = static_cast<const char*>(batch.b.data) +
             (entry * batch.b.batch_stride + j0 * tile.cs_b) * elem;
    tile.c = static_cast<char*>(batch.c.data) +
             (entry * batch.c.batch_stride + i0 * tile.rs_c + j0 * tile.cs_c) * elem;
  };
  for (int64_t local = first; local < last; ++local) {
    set_tile(local, t);
    if (t.m <= 0 || t.n <= 0) continue;
    if (t.k == 0) {
      store_zero_tile(t, batch.epilogue.accumulate);
    } else if (full_width && (plan.direct_whole_product || takes_direct_path(kern, t))) {
      compute_tile_direct(kern, plan.direct, t, plan.epilogue);
    } else {
      // The packed path fetches the thread's next tile's first operands
      // during its last row block (see compute_tile), where the sum is
      // long enough for its kernel to (setting the next tile cost 32
      // bfloat16 products of 10x64x10 2-3% a call).
      TileTask next = t;
      const bool has_next = local + 1 < last && t.k >= kFetchAheadMinK;
      if (has_next) set_tile(local + 1, next);
      const TileTask* next_tile = has_next && next.m > 0 && next.n > 0 ? &next : nullptr;
      if (full_width) {
        compute_tile(kern, t, plan.epilogue, thread_scratch(), nullptr, false, next_tile);
      } else {
        compute_tile_via_float(kern, plan.direct, batch.dtype, t, plan.epilogue, thread_scratch(),
                               next_tile);
      }
    }
  }
}

void run_items(void* context, int64_t first, int64_t last, int /*thread_index*/) {
  const GemmJob& job = *static_cast<const GemmJob*>(context);
  if (job.interleaved) {
    // Renumber batch by batch: entry item / count of batch item % count.
    const int64_t count = static_cast<int64_t>(job.count);
    for (int64_t item = first; item < last; ++item) {
      const size_t which = static_cast<size_t>(item % count);
      const int64_t local = item / count;
      run_batch_items(job.batches[which], job.plans[which], local, local + 1);
    }
    return;
  }
  const BatchPlan* plan_end = job.plans + job.count;
  while (first < last) {
    // The batch holding this item: the last plan whose first item is <= it.
    const BatchPlan* plan =
        std::upper_bound(job.plans, plan_end, first,
                         [](int64_t value, const BatchPlan& p) { return value < p.first_item; }) -
        1;
    const int64_t batch_end = plan + 1 < plan_end ? plan[1].first_item : last;
    const int64_t run_end = std::min(last, batch_end);
    run_batch_items(job.batches[plan - job.plans], *plan, first - plan->first_item,
                    run_end - plan->first_item);
    first = run_end;
  }
}

// What the workers read of a job -- its header, plans and batches -- is
// written by the calling thread, and a cache line written by one core and
// then read by another moves between them: 40-50 ns a line on this VM
// (up to 400 when its two cores sit far apart), against 3 us for a whole
// call of 32 products of 10x64x10 on two threads. So these live per
// calling thread and are rewritten only where they changed (the same_*
// tests): in a stream of calls of the same shapes, one attention head or
// layer after another, that is the data pointers at most. That call: 133
// -> 136 GFLOP/s. Values compare by their bits: a scale of -0.0 is not 0.0.
template <typename T>
bool same_bits(const T& x, const T& y) {
  return std::memcmp(&x, &y, sizeof x) == 0;
}

bool same_operand(const MatrixOperand& x, const MatrixOperand& y) {
  return x.data == y.data && x.batch_stride == y.batch_stride && x.row_stride == y.row_stride &&
         x.col_stride == y.col_stride;
}

bool same_batch(const GemmBatch& x, const GemmBatch& y) {
  return x.dtype == y.dtype && x.batch == y.batch && x.m == y.m && x.n == y.n && x.k == y.k &&
         same_operand(x.a, y.a) && same_operand(x.b, y.b) && x.c.data == y.c.data &&
         x.c.batch_stride == y.c.batch_stride && x.c.row_stride == y.c.row_stride &&
         x.c.col_stride == y.c.col_stride && same_bits(x.epilogue.scale, y.epilogue.scale) &&
         x.epilogue.accumulate == y.epilogue.accumulate;
}

bool same_plan(const BatchPlan& x, const BatchPlan& y) {
  return x.first_item == y.first_item && x.items_per_entry == y.items_per_entry &&
         x.tiles_m == y.tiles_m && x.tiles_n == y.tiles_n && x.kernel == y.kernel &&
         same_bits(x.epilogue.scale_f32, y.epilogue.scale_f32) &&
         same_bits(x.epilogue.scale_f64, y.epilogue.scale_f64) &&
         x.epilogue.scale_is_one == y.epilogue.scale_is_one &&
         x.epilogue.add_to_c == y.epilogue.add_to_c && x.epilogue.prefetch == y.epilogue.prefetch &&
         x.direct_whole_product == y.direct_whole_product && x.kc == y.kc && x.direct == y.direct;
}

KernelEpilogue kernel_epilogue(const Epilogue& e) {
  KernelEpilogue k;
  k.scale_f64 = e.scale;
  k.scale_f32 = static_cast<float>(e.scale);
  k.scale_is_one = e.scale == 1.0;
  k.add_to_c = e.accumulate;
  return k;
}

}  // namespace

void prepare_gemm_thread() { thread_scratch(); }

void gemm(const GemmBatch* batches, size_t count) {
  if (count == 0) return;
  const KernelConfig& config = selected_kernel_config();
  ThreadPool& pool = ThreadPool::instance();
  const int threads = pool.num_threads();

  int64_t products = 0;
  double flops = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const GemmBatch& b = batches[i];
    if (b.batch <= 0 || b.m <= 0 || b.n <= 0) continue;
    products += b.batch;
    flops += 2.0 * static_cast<double>(b.batch) * b.m * b.n * std::max<int64_t>(b.k, 1);
  }
  if (products == 0) return;
  const bool parallel = threads > 1 && flops >= kMinFlopsForThreads;
  // Split products into tiles only when whole products would leave threads idle.
  const bool split =
      parallel && products % threads != 0 && products < kProductsPerThreadWithoutSplit * threads;

  // Per calling thread, rewritten only where changed (see same_batch).
  thread_local std::vector<BatchPlan> plans;
  thread_local std::vector<GemmBatch> batch_copies;
  thread_local GemmJob job;
  plans.resize(count);
  int64_t items = 0;
  for (size_t i = 0; i < count; ++i) {
    const GemmBatch& b = batches[i];
    BatchPlan plan;
    plan.first_item = items;
    plan.kernel = &kernel_for(config, b.dtype);
    plan.epilogue = kernel_epilogue(b.epilogue);
    plan.epilogue.prefetch =
        b.m * b.k * static_cast<int64_t>(gemm_dtype_size(b.dtype)) >= kDirectPrefetchMinABytes;
    plan.direct_whole_product = takes_direct_path_whole(*plan.kernel, b);
    plan.direct = direct_kernel_for(*plan.kernel, b);
    plan.kc = packed_kc(*plan.kernel, b);
    plan.items_per_entry = b.batch <= 0 || b.m <= 0 || b.n <= 0 ? 0 : 1;
    if (split && plan.items_per_entry == 1) {
      const int64_t mr = plan.kernel->mr;
      const int64_t nr = plan.kernel->nr;
      // One tile per thread, at least MR (NR) wide.
      const bool rows_fit = b.m >= 2 * threads * mr;
      const bool columns_fit = b.n >= 2 * threads * nr;
      if (rows_fit && !(columns_fit && columns_split_packs_less(plan, b, threads))) {
        plan.tiles_m = threads;
        plan.items_per_entry = threads;
      } else if (columns_fit) {
        plan.tiles_n = threads;
        plan.items_per_entry = threads;
      }
    }
    items += b.batch * plan.items_per_entry;
    if (!same_plan(plans[i], plan)) plans[i] = plan;
  }
  // Batches with no work keep an empty item range; the search skips them
  // because the next plan starts at the same item.
  GemmJob next{batches, plans.data(), count};
  next.interleaved = count > 1;
  for (size_t i = 0; i < count && next.interleaved; ++i) {
    next.interleaved = batches[i].batch == batches[0].batch && plans[i].items_per_entry == 1;
  }
  if (parallel) {
    // The workers read the batches from this thread's copy (see same_batch).
    batch_copies.resize(count);
    for (size_t i = 0; i < count; ++i) {
      if (!same_batch(batch_copies[i], batches[i])) batch_copies[i] = batches[i];
    }
    next.batches = batch_copies.data();
  }
  if (job.batches != next.batches || job.plans != next.plans || job.count != next.count ||
      job.interleaved != next.interleaved) {
    job = next;
  }
  if (parallel) {
    // Many small items go out in runs of consecutive ones (a few runs per
    // thread still balance the load); few large items go one at a time.
    const int64_t runs = std::clamp<int64_t>(
        static_cast<int64_t>(flops / threads / kMinFlopsPerRun), 1, kRunsPerThread);
    const int64_t grain = std::max<int64_t>(1, items / (threads * runs));
    pool.run(items, run_items, &job, grain);
  } else {
    run_items(&job, 0, items, 0);
  }
}

}  // namespace sgmm::cpu
