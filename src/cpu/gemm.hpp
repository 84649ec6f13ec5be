#pragma once
// The GEMM driver's interface: the only door from src/ops into src/cpu.
// It knows nothing of Tensor or autograd: pointers, sizes, strides (in
// elements) and an epilogue. A uniform batch is one GemmBatch; a jagged
// (grouped) call is a list of them; both run as one scheduled job.

#include <cstddef>
#include <cstdint>

namespace sgmm::cpu {

// A, B and C share the element type. bf16 and f16 accumulate in float32 and
// round once, when the epilogue stores C.
enum class GemmDType : uint8_t { f32, f64, bf16, f16 };

// Bytes of one element of A, B and C.
constexpr size_t gemm_dtype_size(GemmDType dtype) {
  switch (dtype) {
    case GemmDType::f32: return 4;
    case GemmDType::f64: return 8;
    case GemmDType::bf16: return 2;
    case GemmDType::f16: return 2;
  }
  return 4;
}

// Element (p, i, j) of a batch of matrices sits at
//   data + p * batch_stride + i * row_stride + j * col_stride
// (strides in elements, >= 0; 0 repeats a matrix, a row or a column).
struct MatrixOperand {
  const void* data = nullptr;
  int64_t batch_stride = 0;
  int64_t row_stride = 0;
  int64_t col_stride = 0;
};

struct OutputOperand {
  void* data = nullptr;
  int64_t batch_stride = 0;
  int64_t row_stride = 0;
  int64_t col_stride = 0;
};

// What happens to the product before it is stored in C:
//   C = scale * (A @ B)          (accumulate == false; C is never read, may hold NaN)
//   C = C + scale * (A @ B)      (accumulate == true)
// scale == 1.0 performs no multiply at all, so it is bit-identical to a
// plain product. The scale multiplies the float accumulator (float32 for
// f32/bf16/f16, float64 for f64) once per element.
struct Epilogue {
  double scale = 1.0;
  bool accumulate = false;
};

// batch products C[p] = epilogue(A[p] @ B[p]), A[p] m x k, B[p] k x n, C[p] m x n.
// (A new field must also go into same_batch in gemm_driver.cpp.)
struct GemmBatch {
  GemmDType dtype = GemmDType::f32;
  int64_t batch = 0;
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  MatrixOperand a;
  MatrixOperand b;
  OutputOperand c;
  Epilogue epilogue;
};

// Computes every batch of the list on the library's thread pool and returns
// when all are done. k == 0 stores zeros (or leaves C as is when
// accumulating); m, n or batch of 0 does nothing. The sum over k for an
// element is never split across threads, so results are bit-identical for
// any thread count.
//
// Preconditions, checked by the caller (src/ops), not here: sizes >= 0,
// every addressed element inside its allocation, C's elements distinct
// (no zero row/column stride when that size is > 1) and not overlapping A or B.
void gemm(const GemmBatch* batches, size_t count);
inline void gemm(const GemmBatch& batch) { gemm(&batch, 1); }

}  // namespace sgmm::cpu
