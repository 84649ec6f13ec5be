#pragma once
// The torch namespace's functions (creation, math, grad mode, threads) and
// the operations shared by them and the Tensor methods.

#include <napi.h>

#include "sgmm/tensor.hpp"

namespace sgmm_node {

enum class ElementwiseOp { Add, Sub, Mul, Div };

// a op other, where other is a Tensor (broadcast) or a number/boolean/bigint.
sgmm::Tensor apply_elementwise(ElementwiseOp op, const sgmm::Tensor& a, const Napi::Value& other);

// sum()/mean() with the optional (dim, keepdim) arguments from info[first].
sgmm::Tensor reduce(bool mean, const sgmm::Tensor& a, const Napi::CallbackInfo& info, size_t first);

// Adds the torch namespace's functions to exports.
void register_functions(Napi::Env env, Napi::Object exports);

}  // namespace sgmm_node
