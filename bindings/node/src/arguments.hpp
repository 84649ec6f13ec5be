#pragma once
// Conversion of JavaScript arguments into sgmm's C++ types, with the checks
// a script's mistakes need: every conversion names the function and the
// argument, says what was expected and shows what was given. A value of the
// wrong kind throws a TypeError, a value out of range a RangeError.

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sgmm/dtype.hpp"
#include "sgmm/scalar.hpp"
#include "sgmm/tensor.hpp"

namespace sgmm_node {

// A short description of a JavaScript value for messages: "string 'a'",
// "undefined", "number NaN", "object".
std::string describe_value(const Napi::Value& value);

// An integer argument (a dim, an index, a seed part): a finite integral
// number within the safe integer range (|x| <= 2^53 - 1).
int64_t integer_from_value(const Napi::Value& value, const char* op, const char* what);

// One size of a shape: an integer in [0, 2^53 - 1]. With allow_infer, -1
// (a size to infer, as in view/reshape/expand) is accepted too.
int64_t size_from_value(const Napi::Value& value, const char* op, bool allow_infer = false);

// Sizes given as separate arguments (f(2, 3)) or as one array (f([2, 3])),
// starting at info[first]. Stops at the first argument that is neither a
// number nor an array (the options object) and stores its index in *next.
std::vector<int64_t> sizes_from_arguments(const Napi::CallbackInfo& info, size_t first,
                                          const char* op, size_t* next,
                                          bool allow_infer = false);

// Dims given as separate arguments or one array (permute(2, 0, 1)); negative
// dims count from the end.
std::vector<int64_t> dims_from_arguments(const Napi::CallbackInfo& info, size_t first,
                                         const char* op);

// A dtype name: "float32", "float", "torch.float32", "bfloat16", "half", ...
sgmm::ScalarType dtype_from_value(const Napi::Value& value, const char* op);

// {dtype, requires_grad, device} (undefined or null means defaults). An
// unknown key is a TypeError so that a misspelt option is not ignored.
sgmm::TensorOptions tensor_options_from_value(const Napi::Value& value, const char* op);

// A number (float, taking the tensor's dtype), a boolean or a BigInt (integral).
sgmm::Scalar scalar_from_value(const Napi::Value& value, const char* op, const char* what);
bool is_scalar_value(const Napi::Value& value);

// The JavaScript name of a dtype for messages and the dtype property.
Napi::String dtype_to_js(Napi::Env env, sgmm::ScalarType dtype);

}  // namespace sgmm_node
