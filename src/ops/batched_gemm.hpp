#pragma once
// The bridge from tensors to the GEMM driver: validation shared by bmm and
// scaled_grouped_mm, and products over strided 3-D views. Transposes are
// swapped strides, never copies.

#include "cpu/gemm.hpp"
#include "sgmm/tensor.hpp"

namespace sgmm::ops {

// The driver's element type for a floating dtype.
cpu::GemmDType gemm_dtype(ScalarType dtype);

// Element (p, i, j) of the 3-D view t, or of its transpose (p, j, i).
cpu::MatrixOperand matrix_operand(const Tensor& t);
cpu::MatrixOperand transposed_operand(const Tensor& t);
cpu::OutputOperand output_operand(const Tensor& t);

// Validates a [b, m, k] x [b, k, n] product for op, naming the second
// operand weight_name ("weight" for scaled_grouped_mm, "mat2" for bmm):
// defined, CPU, 3-D each, floating and equal dtypes, equal batch and k.
void check_batched_operands(const char* op, const char* weight_name, const Tensor& input,
                            const Tensor& weight);

// out = scale * (a @ b) for 3-D views, out a new contiguous [b, m, n] tensor.
Tensor batched_product(const Tensor& a, const Tensor& b, double scale);
// The gradients of out = scale * (a @ b), computed in one engine call:
//   d a = scale * d_out @ b^T    (made when b is given)
//   d b = scale * a^T @ d_out    (made when a is given)
// Pass an undefined a or b for a gradient that is not needed.
struct BatchedProductGrads {
  Tensor a;
  Tensor b;
};
BatchedProductGrads batched_product_grads(const Tensor& grad_out, const Tensor& a,
                                          const Tensor& b, double scale);
// sum over all elements of x * y (same shape) accumulated in double: the
// gradient of a scalar scale.
double sum_of_products(const Tensor& x, const Tensor& y);

}  // namespace sgmm::ops
