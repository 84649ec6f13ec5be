#pragma once
// Free-function forms of the operations (sgmm::bmm(a, b), sgmm::add(a, b)).
// Elementwise operations broadcast as torch does and need one dtype on both
// sides (no silent promotion); a Scalar takes the tensor's dtype.

#include "sgmm/tensor.hpp"

namespace sgmm {

// [b, m, k] @ [b, k, n] -> [b, m, n]; any strides, batch stride 0 allowed.
Tensor bmm(const Tensor& input, const Tensor& mat2);
// torch.matmul: 1-D/2-D/N-D with broadcasting of the batch dimensions.
Tensor matmul(const Tensor& input, const Tensor& other);

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, Scalar b);
Tensor sub(const Tensor& a, Scalar b);
Tensor mul(const Tensor& a, Scalar b);
Tensor div(const Tensor& a, Scalar b);
Tensor neg(const Tensor& a);

Tensor sum(const Tensor& a);
Tensor sum(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, int64_t dim, bool keepdim = false);

// Same shape, dtype and values (NaN != NaN, as torch.equal).
bool equal(const Tensor& a, const Tensor& b);
// |a - b| <= atol + rtol * |b| elementwise, after broadcasting.
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8);

}  // namespace sgmm
