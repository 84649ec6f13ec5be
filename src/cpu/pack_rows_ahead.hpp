#pragma once
// A transposing pack's source rows, fetched a few cache lines ahead of its
// loads.

#include <cstdint>

namespace sgmm::cpu {
// Internal to each kernel file that includes it: those are compiled with
// different ISA flags, so no inline function may be shared between them.
namespace {

// How many lines of each row ahead of the loads.
constexpr int kPackRowsAheadLines = 4;

// A pack of panels of R rows whose k steps are contiguous in each row (a
// row-major A, a B^T) reads one 64-byte line of every row of a panel per
// transposed block, panel after panel. From memory, the block's loads alone
// keep too few lines in flight: W^T of the grad input dOut @ W^T, packed
// on the direct path, took 14% of 64x256x512x256's time from memory and 4%
// from cache. Here next_line(), called once per line of k, asks for the
// rows' line kPackRowsAheadLines on, into the next panel past the end of
// this one. Full panels fetch unrolled: the loop's overhead cost products
// whose W^T sits in cache 1-2% (16x128x256x128, one thread).
template <int R, typename T>
class PackRowsAhead {
 public:
  static constexpr int64_t kLineSteps = 64 / static_cast<int64_t>(sizeof(T));

  PackRowsAhead(const T* src, int64_t row_stride, int64_t rows, int64_t k)
      : src_(src), row_stride_(row_stride), rows_(rows), k_(k) {
    for (int line = 0; line < kPackRowsAheadLines; ++line) next_line();
  }

  inline __attribute__((always_inline)) void next_line() {
    if (r0_ >= rows_) return;
    const T* first = src_ + r0_ * row_stride_ + p0_;
    if (rows_ - r0_ >= R) {
#pragma GCC unroll 32
      for (int i = 0; i < R; ++i) __builtin_prefetch(first + i * row_stride_, 0, 3);
    } else {
      for (int64_t i = 0; i < rows_ - r0_; ++i) __builtin_prefetch(first + i * row_stride_, 0, 3);
    }
    p0_ += kLineSteps;
    if (p0_ >= k_) p0_ = 0, r0_ += R;
  }

 private:
  const T* src_;
  int64_t row_stride_, rows_, k_;
  int64_t r0_ = 0, p0_ = 0;  // the next line to ask for: panel row and k step
};

}  // namespace
}  // namespace sgmm::cpu
