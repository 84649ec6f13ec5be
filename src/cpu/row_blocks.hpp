#pragma once
// How the direct kernels split a product's rows into register blocks.

#include <cstdint>

namespace sgmm::cpu {
// Internal to each kernel file that includes it: those are compiled with
// different ISA flags, so no inline function may be shared between them.
namespace {

// Calls run(first_row, rows, count) for m rows in blocks of at most
// max_rows and of near-equal height, as at most two runs of blocks of equal
// height, the taller first (100 rows by at most 14: four of 13 from row 0,
// then four of 12 from row 52; not seven of 14 and one of 2), so every block
// amortises its loads of B over as many rows as possible, and a kernel can
// step through a run's blocks itself. One division per product: a division
// per block, on the path to each block's call, cost 8x100x50x30 about 0.7%.
template <typename Run>
inline __attribute__((always_inline)) void for_each_row_block_run(int64_t m, int64_t max_rows,
                                                                  Run&& run) {
  if (m <= 0) return;
  const int64_t blocks = (m + max_rows - 1) / max_rows;
  const int64_t rows = m / blocks;
  const int64_t taller = m % blocks;
  if (taller > 0) run(0, rows + 1, taller);
  run(taller * (rows + 1), rows, blocks - taller);
}

// The same blocks one at a time: block(first_row, rows).
template <typename Block>
inline __attribute__((always_inline)) void for_each_row_block(int64_t m, int64_t max_rows,
                                                              Block&& block) {
  for_each_row_block_run(m, max_rows, [&](int64_t first_row, int64_t rows, int64_t count) {
    for (int64_t b = 0; b < count; ++b) block(first_row + b * rows, rows);
  });
}

}  // namespace
}  // namespace sgmm::cpu
