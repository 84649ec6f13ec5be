#pragma once
// Moving values between tensors and JavaScript: typed arrays (zero-copy both
// ways where the layout allows), nested arrays and single numbers.
//
// dtype <-> typed array:
//   float32 Float32Array   float64 Float64Array   int8 Int8Array
//   int32   Int32Array     int64   BigInt64Array  bool Uint8Array (0 or 1)
//   bfloat16, float16: Uint16Array holding the raw 16-bit patterns (no
//   conversion, so the view stays zero-copy; .to('float32').toArray() gives
//   the values).

#include <napi.h>

#include "sgmm/tensor.hpp"

namespace sgmm_node {

// tensor.toArray(): a typed array over the tensor's own memory when it is
// contiguous (else over a contiguous copy). The ArrayBuffer holds a tensor
// handle, so the memory lives as long as either the tensor or the array.
Napi::Value tensor_to_typed_array(Napi::Env env, const sgmm::Tensor& tensor);

// tensor.tolist(): nested arrays of numbers (booleans for bool); a 0-d
// tensor gives its number. int64 values beyond 2^53 lose precision, as any
// JavaScript number does; toArray() gives them exactly.
Napi::Value tensor_to_list(Napi::Env env, const sgmm::Tensor& tensor);

// tensor.item(): the single value of a one-element tensor as a number
// (a boolean for bool).
Napi::Value tensor_item(Napi::Env env, const sgmm::Tensor& tensor);

// torch.tensor(data, options): copies a number, boolean, bigint, nested
// array or typed array into a new tensor.
sgmm::Tensor tensor_from_data(const Napi::Value& data, const Napi::Value& options);

// torch.from(typedArray, shape?, options?): a tensor over the typed array's
// memory, without a copy. The tensor keeps the ArrayBuffer alive.
sgmm::Tensor tensor_from_typed_array(const Napi::CallbackInfo& info);

}  // namespace sgmm_node
