#include "arguments.hpp"

#include <cmath>
#include <sstream>

#include "errors.hpp"

namespace sgmm_node {
namespace {

// Number.MAX_SAFE_INTEGER: beyond it a JavaScript number no longer holds
// every integer, so a size there cannot have been meant exactly.
constexpr double kMaxSafeInteger = 9007199254740991.0;

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  // Integers print in full (as JavaScript prints them up to 1e21), others
  // with the digits that identify the double.
  if (std::trunc(value) == value && std::fabs(value) < 9.2e18) {
    return std::to_string(static_cast<int64_t>(value));
  }
  std::ostringstream os;
  os.precision(17);
  os << value;
  return os.str();
}

}  // namespace

std::string describe_value(const Napi::Value& value) {
  switch (value.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return value.As<Napi::Boolean>().Value() ? "boolean true" : "boolean false";
    case napi_number: return "number " + format_number(value.As<Napi::Number>().DoubleValue());
    case napi_string: {
      std::string text = value.As<Napi::String>().Utf8Value();
      if (text.size() > 40) text = text.substr(0, 40) + "...";
      return "string '" + text + "'";
    }
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    case napi_external: return "external";
    case napi_object:
      if (value.IsArray()) return "array";
      if (value.IsTypedArray()) return "typed array";
      return "object";
  }
  return "value";
}

int64_t integer_from_value(const Napi::Value& value, const char* op, const char* what) {
  if (!value.IsNumber()) {
    throw_type_error(std::string(op) + ": " + what + " must be an integer, got " +
                                      describe_value(value));
  }
  double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || std::trunc(number) != number) {
    throw_range_error(std::string(op) + ": " + what + " must be an integer, got " +
                                       format_number(number));
  }
  if (std::fabs(number) > kMaxSafeInteger) {
    throw_range_error(std::string(op) + ": " + what + " is too large: " +
                                       format_number(number) +
                                       " (the limit is Number.MAX_SAFE_INTEGER)");
  }
  return static_cast<int64_t>(number);
}

int64_t size_from_value(const Napi::Value& value, const char* op, bool allow_infer) {
  if (!value.IsNumber()) {
    throw_type_error(std::string(op) + ": a size must be a non-negative integer, got " +
                                      describe_value(value));
  }
  double number = value.As<Napi::Number>().DoubleValue();
  if (allow_infer && number == -1.0) return -1;
  if (std::isnan(number) || std::isinf(number) || std::trunc(number) != number || number < 0) {
    throw_range_error(std::string(op) + ": a size must be a non-negative integer" +
                                       (allow_infer ? " (or -1 to infer it)" : "") + ", got " +
                                       format_number(number));
  }
  if (number > kMaxSafeInteger) {
    throw_range_error(std::string(op) + ": size " + format_number(number) +
                                       " is too large (the limit is Number.MAX_SAFE_INTEGER)");
  }
  return static_cast<int64_t>(number);
}

std::vector<int64_t> sizes_from_arguments(const Napi::CallbackInfo& info, size_t first,
                                          const char* op, size_t* next, bool allow_infer) {
  std::vector<int64_t> sizes;
  if (first < info.Length() && info[first].IsArray()) {
    Napi::Array array = info[first].As<Napi::Array>();
    uint32_t length = array.Length();
    sizes.reserve(length);
    for (uint32_t i = 0; i < length; ++i) sizes.push_back(size_from_value(array.Get(i), op, allow_infer));
    *next = first + 1;
    return sizes;
  }
  size_t i = first;
  // A size of the wrong kind among numbers (randn(2, 'a')) is an error, not
  // the start of the options: only an object (or undefined) ends the list.
  for (; i < info.Length(); ++i) {
    Napi::Value value = info[i];
    if (value.IsUndefined() || (value.IsObject() && !value.IsArray())) break;
    sizes.push_back(size_from_value(value, op, allow_infer));
  }
  *next = i;
  return sizes;
}

std::vector<int64_t> dims_from_arguments(const Napi::CallbackInfo& info, size_t first,
                                         const char* op) {
  std::vector<int64_t> dims;
  if (first < info.Length() && info[first].IsArray()) {
    Napi::Array array = info[first].As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); ++i) dims.push_back(integer_from_value(array.Get(i), op, "dim"));
    return dims;
  }
  for (size_t i = first; i < info.Length(); ++i) dims.push_back(integer_from_value(info[i], op, "dim"));
  return dims;
}

sgmm::ScalarType dtype_from_value(const Napi::Value& value, const char* op) {
  if (!value.IsString()) {
    throw_type_error(std::string(op) + ": dtype must be a string such as 'float32', got " +
                                      describe_value(value));
  }
  std::string name = value.As<Napi::String>().Utf8Value();
  sgmm::ScalarType dtype;
  if (!sgmm::parse_dtype(name.c_str(), &dtype)) {
    throw_type_error(std::string(op) + ": unknown dtype '" + name +
                                      "' (expected float32, float64, bfloat16, float16, int8, "
                                      "int32, int64 or bool)");
  }
  return dtype;
}

sgmm::TensorOptions tensor_options_from_value(const Napi::Value& value, const char* op) {
  sgmm::TensorOptions options;
  if (value.IsUndefined() || value.IsNull()) return options;
  if (!value.IsObject() || value.IsArray() || value.IsFunction()) {
    throw_type_error(std::string(op) +
                                      ": options must be an object such as { dtype: 'float64', "
                                      "requires_grad: true }, got " + describe_value(value));
  }
  Napi::Object object = value.As<Napi::Object>();
  Napi::Array keys = object.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string key = keys.Get(i).ToString().Utf8Value();
    Napi::Value entry = object.Get(key);
    if (key == "dtype") {
      if (!entry.IsUndefined() && !entry.IsNull()) options = options.dtype(dtype_from_value(entry, op));
    } else if (key == "requires_grad") {
      if (entry.IsUndefined()) continue;
      if (!entry.IsBoolean()) {
        throw_type_error(std::string(op) + ": requires_grad must be a boolean, got " +
                                          describe_value(entry));
      }
      options = options.requires_grad(entry.As<Napi::Boolean>().Value());
    } else if (key == "device") {
      if (entry.IsUndefined()) continue;
      if (!entry.IsString() || entry.As<Napi::String>().Utf8Value() != "cpu") {
        throw_type_error(std::string(op) + ": device must be 'cpu' (the only device "
                                                        "this build has), got " + describe_value(entry));
      }
    } else {
      throw_type_error(std::string(op) + ": unknown option '" + key +
                                        "' (expected dtype, requires_grad or device)");
    }
  }
  return options;
}

bool is_scalar_value(const Napi::Value& value) {
  return value.IsNumber() || value.IsBoolean() || value.IsBigInt();
}

sgmm::Scalar scalar_from_value(const Napi::Value& value, const char* op, const char* what) {
  if (value.IsNumber()) return sgmm::Scalar(value.As<Napi::Number>().DoubleValue());
  if (value.IsBoolean()) return sgmm::Scalar(value.As<Napi::Boolean>().Value());
  if (value.IsBigInt()) {
    bool lossless = false;
    int64_t integral = value.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) {
      throw_range_error(std::string(op) + ": " + what + " does not fit in int64");
    }
    return sgmm::Scalar(integral);
  }
  throw_type_error(std::string(op) + ": " + what +
                                    " must be a number, a boolean, a bigint or a Tensor, got " +
                                    describe_value(value));
}

Napi::String dtype_to_js(Napi::Env env, sgmm::ScalarType dtype) {
  return Napi::String::New(env, sgmm::dtype_name(dtype));
}

}  // namespace sgmm_node
