#pragma once
// torch.nn.functional.scaled_grouped_mm and its Promise form.
//
//   scaled_grouped_mm(input, weight)                 scale 1
//   scaled_grouped_mm(input, weight, 0.125)          a number
//   scaled_grouped_mm(input, weight, scaleTensor)    a 0-d tensor (learnable)
//   scaled_grouped_mm(input, weight, { scale, out, async })
//
// { async: true } (or scaled_grouped_mm_async) returns a Promise and runs
// the kernel on a libuv worker thread, off the event loop.

#include <napi.h>

namespace sgmm_node {

Napi::Value scaled_grouped_mm(const Napi::CallbackInfo& info);
Napi::Value scaled_grouped_mm_async(const Napi::CallbackInfo& info);

}  // namespace sgmm_node
