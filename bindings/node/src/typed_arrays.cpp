#include "typed_arrays.hpp"

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "addon.hpp"
#include "arguments.hpp"
#include "errors.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/factory.hpp"

namespace sgmm_node {
namespace {

// ---- element access -----------------------------------------------------

double load_as_double(const void* base, sgmm::ScalarType dtype, int64_t offset) {
  switch (dtype) {
    case sgmm::ScalarType::Float32: return static_cast<const float*>(base)[offset];
    case sgmm::ScalarType::Float64: return static_cast<const double*>(base)[offset];
    case sgmm::ScalarType::BFloat16: return static_cast<float>(static_cast<const sgmm::BFloat16*>(base)[offset]);
    case sgmm::ScalarType::Float16: return static_cast<float>(static_cast<const sgmm::Half*>(base)[offset]);
    case sgmm::ScalarType::Int8: return static_cast<const int8_t*>(base)[offset];
    case sgmm::ScalarType::Int32: return static_cast<const int32_t*>(base)[offset];
    case sgmm::ScalarType::Int64: return static_cast<double>(static_cast<const int64_t*>(base)[offset]);
    case sgmm::ScalarType::Bool: return static_cast<const uint8_t*>(base)[offset] != 0 ? 1.0 : 0.0;
  }
  return 0.0;
}

// Stores value converted to dtype (C++ conversion rules; a float is
// truncated towards zero for an integer dtype, as torch does).
void store_double(void* base, sgmm::ScalarType dtype, int64_t offset, double value) {
  switch (dtype) {
    case sgmm::ScalarType::Float32: static_cast<float*>(base)[offset] = static_cast<float>(value); return;
    case sgmm::ScalarType::Float64: static_cast<double*>(base)[offset] = value; return;
    case sgmm::ScalarType::BFloat16:
      static_cast<sgmm::BFloat16*>(base)[offset] = sgmm::BFloat16(static_cast<float>(value));
      return;
    case sgmm::ScalarType::Float16:
      static_cast<sgmm::Half*>(base)[offset] = sgmm::Half(static_cast<float>(value));
      return;
    case sgmm::ScalarType::Int8: static_cast<int8_t*>(base)[offset] = static_cast<int8_t>(value); return;
    case sgmm::ScalarType::Int32: static_cast<int32_t*>(base)[offset] = static_cast<int32_t>(value); return;
    case sgmm::ScalarType::Int64: static_cast<int64_t*>(base)[offset] = static_cast<int64_t>(value); return;
    case sgmm::ScalarType::Bool: static_cast<uint8_t*>(base)[offset] = value != 0.0 ? 1 : 0; return;
  }
}

Napi::Value element_to_js(Napi::Env env, const void* base, sgmm::ScalarType dtype, int64_t offset) {
  if (dtype == sgmm::ScalarType::Bool) {
    return Napi::Boolean::New(env, static_cast<const uint8_t*>(base)[offset] != 0);
  }
  return Napi::Number::New(env, load_as_double(base, dtype, offset));
}

// Nested arrays of the elements of dims [dim, ndim) starting at offset (in
// elements, following the tensor's strides).
Napi::Value nested_list(Napi::Env env, const sgmm::Tensor& tensor, const void* base, int64_t dim,
                        int64_t offset) {
  if (dim == tensor.dim()) return element_to_js(env, base, tensor.scalar_type(), offset);
  int64_t size = tensor.size(dim);
  int64_t stride = tensor.stride(dim);
  Napi::Array array = Napi::Array::New(env, static_cast<size_t>(size));
  for (int64_t i = 0; i < size; ++i) {
    array.Set(static_cast<uint32_t>(i), nested_list(env, tensor, base, dim + 1, offset + i * stride));
  }
  return array;
}

// ---- typed array kinds --------------------------------------------------

bool typed_array_type_for(sgmm::ScalarType dtype, napi_typedarray_type* type) {
  switch (dtype) {
    case sgmm::ScalarType::Float32: *type = napi_float32_array; return true;
    case sgmm::ScalarType::Float64: *type = napi_float64_array; return true;
    case sgmm::ScalarType::BFloat16:
    case sgmm::ScalarType::Float16: *type = napi_uint16_array; return true;
    case sgmm::ScalarType::Int8: *type = napi_int8_array; return true;
    case sgmm::ScalarType::Int32: *type = napi_int32_array; return true;
    case sgmm::ScalarType::Int64: *type = napi_bigint64_array; return true;
    case sgmm::ScalarType::Bool: *type = napi_uint8_array; return true;
  }
  return false;
}

const char* typed_array_name(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "typed array";
  }
}

// The dtype a typed array holds by itself; false for kinds sgmm has no dtype
// for (Uint16Array needs an explicit bfloat16/float16 dtype).
bool dtype_for_typed_array(napi_typedarray_type type, sgmm::ScalarType* dtype) {
  switch (type) {
    case napi_float32_array: *dtype = sgmm::kFloat32; return true;
    case napi_float64_array: *dtype = sgmm::kFloat64; return true;
    case napi_int8_array: *dtype = sgmm::kInt8; return true;
    case napi_int32_array: *dtype = sgmm::kInt32; return true;
    case napi_bigint64_array: *dtype = sgmm::kInt64; return true;
    case napi_uint8_array: *dtype = sgmm::kBool; return true;
    default: return false;
  }
}

double typed_array_element(const void* data, napi_typedarray_type type, size_t i) {
  switch (type) {
    case napi_int8_array: return static_cast<const int8_t*>(data)[i];
    case napi_uint8_array:
    case napi_uint8_clamped_array: return static_cast<const uint8_t*>(data)[i];
    case napi_int16_array: return static_cast<const int16_t*>(data)[i];
    case napi_uint16_array: return static_cast<const uint16_t*>(data)[i];
    case napi_int32_array: return static_cast<const int32_t*>(data)[i];
    case napi_uint32_array: return static_cast<const uint32_t*>(data)[i];
    case napi_float32_array: return static_cast<const float*>(data)[i];
    case napi_float64_array: return static_cast<const double*>(data)[i];
    case napi_bigint64_array: return static_cast<double>(static_cast<const int64_t*>(data)[i]);
    case napi_biguint64_array: return static_cast<double>(static_cast<const uint64_t*>(data)[i]);
    default: return 0.0;
  }
}

// ---- nested array data --------------------------------------------------

enum class ElementKinds : unsigned { None = 0, Number = 1, Boolean = 2, BigInt = 4 };

struct NestedData {
  std::vector<int64_t> sizes;
  std::vector<Napi::Value> leaves;
  unsigned kinds = 0;
};

// Records the shape from the first element at every depth, then checks
// that every other element matches it (no ragged arrays).
void collect_nested(const Napi::Value& value, size_t depth, NestedData* data) {
  if (value.IsArray()) {
    Napi::Array array = value.As<Napi::Array>();
    int64_t length = array.Length();
    if (depth == data->sizes.size()) {
      if (!data->leaves.empty()) {
        throw_range_error("tensor: nested arrays must be regular: found an array where a "
                                       "number was expected at depth " + std::to_string(depth));
      }
      data->sizes.push_back(length);
    } else if (depth > data->sizes.size() || data->sizes[depth] != length) {
      throw_range_error("tensor: nested arrays must be regular: expected length " +
                                         std::to_string(depth < data->sizes.size() ? data->sizes[depth] : 0) +
                                         " at depth " + std::to_string(depth) + " but got " +
                                         std::to_string(length));
    }
    for (int64_t i = 0; i < length; ++i) collect_nested(array.Get(static_cast<uint32_t>(i)), depth + 1, data);
    return;
  }
  if (depth != data->sizes.size()) {
    throw_range_error("tensor: nested arrays must be regular: found a value at depth " +
                                       std::to_string(depth) + " where an array of length " +
                                       std::to_string(data->sizes[depth]) + " was expected");
  }
  if (value.IsNumber()) {
    data->kinds |= static_cast<unsigned>(ElementKinds::Number);
  } else if (value.IsBoolean()) {
    data->kinds |= static_cast<unsigned>(ElementKinds::Boolean);
  } else if (value.IsBigInt()) {
    data->kinds |= static_cast<unsigned>(ElementKinds::BigInt);
  } else {
    throw_type_error("tensor: elements must be numbers, booleans or bigints, got " +
                                      describe_value(value));
  }
  data->leaves.push_back(value);
}

// torch's rule, read for JavaScript: all booleans give bool, all bigints
// int64, anything with a number float32 (JavaScript has no separate integer
// number, so 7 and 7.0 are the same value and both make float32).
sgmm::ScalarType inferred_dtype(unsigned kinds) {
  if (kinds == static_cast<unsigned>(ElementKinds::Boolean)) return sgmm::kBool;
  if (kinds == static_cast<unsigned>(ElementKinds::BigInt)) return sgmm::kInt64;
  return sgmm::kFloat32;
}

void store_leaf(void* base, sgmm::ScalarType dtype, int64_t offset, const Napi::Value& leaf) {
  if (leaf.IsBigInt()) {
    bool lossless = false;
    int64_t integral = leaf.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throw_range_error("tensor: a bigint element does not fit in int64");
    if (dtype == sgmm::kInt64) {
      static_cast<int64_t*>(base)[offset] = integral;
      return;
    }
    store_double(base, dtype, offset, static_cast<double>(integral));
    return;
  }
  if (leaf.IsBoolean()) {
    store_double(base, dtype, offset, leaf.As<Napi::Boolean>().Value() ? 1.0 : 0.0);
    return;
  }
  store_double(base, dtype, offset, leaf.As<Napi::Number>().DoubleValue());
}

// ---- torch.from: JavaScript memory under a tensor ------------------------

// Holds the ArrayBuffer alive while a tensor views its memory. The tensor's
// deleter releases it on the JavaScript thread; should the last tensor
// handle ever go on another thread, or after the environment is gone, the
// reference is left for process exit rather than calling Node-API where
// that is not allowed.
struct ArrayBufferHold {
  std::shared_ptr<EnvironmentLifetime> lifetime;
  napi_ref reference = nullptr;

  void release() {
    if (reference == nullptr) return;
    if (lifetime->alive && std::this_thread::get_id() == lifetime->js_thread) {
      napi_delete_reference(lifetime->env, reference);
    }
    reference = nullptr;
  }
};

// The finalizer of a toArray() buffer: drops the tensor handle that kept
// the memory alive. Frees C++ memory only, as a basic finalizer may.
void release_typed_array_tensor(node_api_basic_env, void*, void* hint) {
  delete static_cast<sgmm::Tensor*>(hint);
}

}  // namespace

Napi::Value tensor_to_typed_array(Napi::Env env, const sgmm::Tensor& tensor) {
  napi_typedarray_type type;
  if (!typed_array_type_for(tensor.scalar_type(), &type)) {
    throw_type_error(std::string("toArray: no typed array for dtype ") + sgmm::dtype_name(tensor.scalar_type()));
  }
  sgmm::Tensor contiguous;
  {
    // A copy made only to read the values must not join the autograd graph.
    sgmm::NoGradGuard no_grad;
    contiguous = tensor.is_contiguous() ? tensor : tensor.contiguous();
  }
  size_t length = static_cast<size_t>(contiguous.numel());
  size_t byte_length = length * sgmm::element_size(contiguous.scalar_type());
  napi_value buffer = nullptr;
  if (byte_length == 0) {
    NAPI_THROW_IF_FAILED(env, napi_create_arraybuffer(env, 0, nullptr, &buffer), Napi::Value());
  } else {
    auto* keep_alive = new sgmm::Tensor(contiguous);
    napi_status status = napi_create_external_arraybuffer(env, contiguous.data_ptr(), byte_length,
                                                          release_typed_array_tensor, keep_alive, &buffer);
    if (status != napi_ok) {
      delete keep_alive;
      NAPI_THROW_IF_FAILED(env, status, Napi::Value());
    }
  }
  napi_value result;
  napi_status status = napi_create_typedarray(env, type, length, buffer, 0, &result);
  NAPI_THROW_IF_FAILED(env, status, Napi::Value());
  return Napi::Value(env, result);
}

Napi::Value tensor_to_list(Napi::Env env, const sgmm::Tensor& tensor) {
  return nested_list(env, tensor, tensor.data_ptr(), 0, 0);
}

Napi::Value tensor_item(Napi::Env env, const sgmm::Tensor& tensor) {
  SGMM_CHECK(tensor.numel() == 1, "item: a Tensor with ", tensor.numel(),
             " elements cannot be converted to a number (it needs exactly one element)");
  return element_to_js(env, tensor.data_ptr(), tensor.scalar_type(), 0);
}

sgmm::Tensor tensor_from_data(const Napi::Value& data, const Napi::Value& options_value) {
  sgmm::TensorOptions options = tensor_options_from_value(options_value, "tensor");
  bool requires_grad = options.requires_grad();
  options = options.requires_grad(false);
  sgmm::Tensor result;

  if (data.IsTypedArray()) {
    Napi::TypedArray array = data.As<Napi::TypedArray>();
    napi_typedarray_type type = array.TypedArrayType();
    sgmm::ScalarType natural;
    if (!options.has_dtype()) {
      if (!dtype_for_typed_array(type, &natural)) {
        throw_type_error(std::string("tensor: a ") + typed_array_name(type) +
                                  " has no matching dtype; pass { dtype } explicitly");
      }
      options = options.dtype(natural);
    }
    size_t length = array.ElementLength();
    const uint8_t* source = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    std::vector<int64_t> sizes{static_cast<int64_t>(length)};
    result = sgmm::empty(sizes, options);
    bool same_bits = dtype_for_typed_array(type, &natural) && natural == options.dtype();
    bool raw_16_bit = type == napi_uint16_array &&
                      (options.dtype() == sgmm::kBFloat16 || options.dtype() == sgmm::kFloat16);
    if (same_bits || raw_16_bit) {
      if (length > 0) std::memcpy(result.data_ptr(), source, array.ByteLength());
    } else if (type == napi_bigint64_array && options.dtype() == sgmm::kInt64) {
      if (length > 0) std::memcpy(result.data_ptr(), source, array.ByteLength());
    } else {
      for (size_t i = 0; i < length; ++i) {
        store_double(result.data_ptr(), options.dtype(), static_cast<int64_t>(i),
                     typed_array_element(source, type, i));
      }
    }
  } else if (data.IsArray() || is_scalar_value(data)) {
    NestedData nested;
    collect_nested(data, 0, &nested);
    if (!options.has_dtype()) options = options.dtype(inferred_dtype(nested.kinds));
    result = sgmm::empty(nested.sizes, options);
    void* base = result.data_ptr();
    for (size_t i = 0; i < nested.leaves.size(); ++i) {
      store_leaf(base, options.dtype(), static_cast<int64_t>(i), nested.leaves[i]);
    }
  } else {
    throw_type_error("tensor: data must be a number, a boolean, a bigint, a (nested) array or a "
                          "typed array, got " + describe_value(data));
  }
  if (requires_grad) result.requires_grad_(true);
  return result;
}

sgmm::Tensor tensor_from_typed_array(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) {
    throw_type_error("from: the first argument must be a typed array (Float32Array, Float64Array, "
                          "...), got " + describe_value(info[0]));
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  napi_typedarray_type type = array.TypedArrayType();
  Napi::ArrayBuffer buffer = array.ArrayBuffer();
  if (buffer.Get("resizable").ToBoolean().Value()) {
    throw_type_error("from: the typed array's ArrayBuffer is resizable; a tensor cannot view memory "
                          "that may move (use torch.tensor() to copy it)");
  }

  size_t length = array.ElementLength();
  std::vector<int64_t> sizes{static_cast<int64_t>(length)};
  size_t options_index = 1;
  if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull() &&
      !(info[1].IsObject() && !info[1].IsArray())) {
    if (!info[1].IsArray()) {
      throw_type_error("from: shape must be an array of sizes, got " + describe_value(info[1]));
    }
    size_t next = 0;
    sizes = sizes_from_arguments(info, 1, "from", &next);
    options_index = 2;
  } else if (info.Length() > 1 && (info[1].IsUndefined() || info[1].IsNull())) {
    options_index = 2;
  }
  sgmm::TensorOptions options = tensor_options_from_value(info[options_index], "from");

  sgmm::ScalarType natural;
  bool has_natural = dtype_for_typed_array(type, &natural);
  if (options.has_dtype()) {
    bool raw_16_bit = type == napi_uint16_array &&
                      (options.dtype() == sgmm::kBFloat16 || options.dtype() == sgmm::kFloat16);
    if (!raw_16_bit && !(has_natural && natural == options.dtype())) {
      throw_type_error(std::string("from: a ") + typed_array_name(type) + " cannot be viewed as dtype " +
                                sgmm::dtype_name(options.dtype()) +
                                " without a copy (use torch.tensor(array, { dtype }) to convert)");
    }
  } else if (has_natural) {
    options = options.dtype(natural);
  } else {
    throw_type_error(std::string("from: a ") + typed_array_name(type) +
                              " has no matching dtype (a Uint16Array needs { dtype: 'bfloat16' } or "
                              "{ dtype: 'float16' })");
  }

  int64_t numel = 1;
  for (int64_t size : sizes) numel *= size;
  if (numel != static_cast<int64_t>(length)) {
    std::string shape = "[";
    for (size_t i = 0; i < sizes.size(); ++i) shape += (i ? ", " : "") + std::to_string(sizes[i]);
    shape += "]";
    throw_range_error("from: shape " + shape + " holds " + std::to_string(numel) +
                               " elements but the typed array has " + std::to_string(length));
  }

  bool requires_grad = options.requires_grad();
  options = options.requires_grad(false);
  void* data = static_cast<uint8_t*>(buffer.Data()) + array.ByteOffset();

  auto hold = std::make_shared<ArrayBufferHold>();
  hold->lifetime = addon_data(env).lifetime;
  napi_status status = napi_create_reference(env, buffer, 1, &hold->reference);
  NAPI_THROW_IF_FAILED(env, status, sgmm::Tensor());
  sgmm::Tensor result;
  try {
    result = sgmm::from_blob(data, sizes, [hold](void*) { hold->release(); }, options);
  } catch (...) {
    // Whether or not from_blob ran the deleter before throwing, the
    // reference is released exactly once.
    hold->release();
    throw;
  }
  if (requires_grad) result.requires_grad_(true);
  return result;
}

}  // namespace sgmm_node
