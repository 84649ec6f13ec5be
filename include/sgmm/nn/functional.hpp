#pragma once
// sgmm::nn::functional: the headline operation.
//
//   out[i] = (input[i] @ weight[i]) * scale      [b,m,k] x [b,k,n] -> [b,m,n]
//
// The scale is fused into the GEMM epilogue; scale == 1.0 skips the multiply
// and the result is bit-identical to bmm(input, weight). A 0-d tensor scale
// is learnable: backward gives it sum(grad_out * (input @ weight)).

#include "sgmm/tensor.hpp"

namespace sgmm::nn::functional {

// F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions().scale(0.5))
class ScaledGroupedMMFuncOptions {
 public:
  ScaledGroupedMMFuncOptions() = default;
  ScaledGroupedMMFuncOptions& scale(double value) {
    scale_value_ = value;
    scale_tensor_ = Tensor();
    return *this;
  }
  // A 0-d floating tensor; it receives a gradient when it requires one.
  ScaledGroupedMMFuncOptions& scale(const Tensor& value) {
    scale_tensor_ = value;
    return *this;
  }
  bool has_tensor_scale() const { return scale_tensor_.defined(); }
  double scale_value() const { return scale_value_; }
  const Tensor& scale_tensor() const { return scale_tensor_; }

 private:
  double scale_value_ = 1.0;
  Tensor scale_tensor_;
};

Tensor scaled_grouped_mm(const Tensor& input, const Tensor& weight, double scale = 1.0);
Tensor scaled_grouped_mm(const Tensor& input, const Tensor& weight, const Tensor& scale);
Tensor scaled_grouped_mm(const Tensor& input, const Tensor& weight,
                         const ScaledGroupedMMFuncOptions& options);

// Writes into out ([b, m, n], same dtype, any strides, must not overlap
// input or weight). Validation happens before anything is written. Records
// no graph, so, as torch's out= does, it refuses arguments that require grad
// while grad mode is on (run it under sgmm::NoGradGuard).
Tensor& scaled_grouped_mm_out(Tensor& out, const Tensor& input, const Tensor& weight,
                              double scale = 1.0);
Tensor& scaled_grouped_mm_out(Tensor& out, const Tensor& input, const Tensor& weight,
                              const ScaledGroupedMMFuncOptions& options);

}  // namespace sgmm::nn::functional
