#pragma once
// Strided test matrices in any GemmDType, filled with sentinels around the
// addressed elements, and a float64 reference product to compare against.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cpu/gemm.hpp"

namespace sgmm::cpu::testing {

// How a rows x cols matrix is laid out in memory.
enum class Layout {
  kRowMajor,     // column stride 1, row stride a prime >= cols
  kColumnMajor,  // row stride 1, column stride a prime >= rows (a transposed view)
  kStrided,      // neither stride is 1
};
const char* layout_name(Layout layout);

const char* dtype_name(GemmDType dtype);
double dtype_epsilon(GemmDType dtype);

// A batch of strided matrices inside one buffer, with padding on both sides
// and between elements filled with a sentinel bit pattern.
class TestMatrices {
 public:
  // batch_stride_zero: every entry of the batch is the same matrix.
  TestMatrices(GemmDType dtype, int64_t batch, int64_t rows, int64_t cols, Layout layout,
               bool batch_stride_zero = false);

  GemmDType dtype() const { return dtype_; }
  int64_t batch() const { return batch_; }
  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  int64_t batch_stride() const { return batch_stride_; }
  int64_t row_stride() const { return row_stride_; }
  int64_t col_stride() const { return col_stride_; }
  void* data() { return bytes_.data() + padding_bytes(); }
  const void* data() const { return bytes_.data() + padding_bytes(); }

  double get(int64_t p, int64_t i, int64_t j) const;
  void set(int64_t p, int64_t i, int64_t j, double value);
  // Raw bits of the element, for bit-exact comparisons.
  uint64_t bits(int64_t p, int64_t i, int64_t j) const;

  // Fills every addressed element: small integers in [-range, range], or
  // uniform reals in [-1, 1].
  void fill_integers(std::mt19937& rng, int range);
  void fill_reals(std::mt19937& rng);
  void fill_value(double value);

  // Whether every byte outside the addressed elements still holds the sentinel.
  bool sentinels_intact() const;
  const std::vector<unsigned char>& raw() const { return bytes_; }

  MatrixOperand operand() const { return {data(), batch_stride_, row_stride_, col_stride_}; }
  OutputOperand output() { return {data(), batch_stride_, row_stride_, col_stride_}; }

 private:
  size_t padding_bytes() const { return 64 * gemm_dtype_size(dtype_); }
  size_t offset(int64_t p, int64_t i, int64_t j) const;

  GemmDType dtype_;
  int64_t batch_, rows_, cols_;
  int64_t batch_stride_ = 0, row_stride_ = 0, col_stride_ = 0;
  std::vector<unsigned char> bytes_;
  std::vector<bool> addressed_;  // per element slot of the buffer
};

// expected(p) = scale * A(p) @ B(p) (+ C_before(p) when accumulating), in float64.
std::vector<double> reference_product(const TestMatrices& a, const TestMatrices& b,
                                      const TestMatrices& c_before, const Epilogue& epilogue);

// Rounds a float64 to the dtype and back (what storing in C does to an exact value).
double round_to_dtype(GemmDType dtype, double value);

}  // namespace sgmm::cpu::testing
