#pragma once
// The JavaScript Tensor class. Each Tensor object wraps (napi_wrap) one
// heap-allocated sgmm::Tensor handle; the storage is freed when the last
// handle goes (garbage collection of the object, or the end of an autograd
// graph or a typed array that still uses it).
//
// The class is built with plain Node-API rather than Napi::ObjectWrap:
// ObjectWrap keeps a reference per object whose release node-addon-api
// defers to a later turn of the event loop, while a bare napi_wrap with a
// basic finalizer is released inside garbage collection itself, so a
// synchronous loop that makes a million tensors stays flat.

#include <napi.h>

#include "sgmm/tensor.hpp"

namespace sgmm_node {

class JsTensor {
 public:
  static Napi::Function define_class(Napi::Env env);

  // Wraps a C++ tensor in a new JavaScript Tensor object.
  static Napi::Object wrap(Napi::Env env, sgmm::Tensor tensor);
  // Whether value is a Tensor made by this addon (checked by type tag, so a
  // look-alike object, or one wrapped by another addon, is never unwrapped).
  static bool is_tensor(const Napi::Value& value);
  // The C++ tensor behind value; a TypeError naming op and what otherwise.
  static const sgmm::Tensor& unwrap(const Napi::Value& value, const char* op, const char* what);
};

}  // namespace sgmm_node
