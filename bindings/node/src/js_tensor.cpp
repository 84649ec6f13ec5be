#include "js_tensor.hpp"

#include <string>
#include <utility>
#include <vector>

#include "addon.hpp"
#include "arguments.hpp"
#include "errors.hpp"
#include "functions.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/ops.hpp"
#include "typed_arrays.hpp"

namespace sgmm_node {
namespace {

// Marks every object the Tensor constructor made, so unwrap() can tell a
// real Tensor from any other object before touching its native pointer.
constexpr napi_type_tag kTensorTypeTag = {0x5367'6d6d'5465'6e73ULL, 0x6f72'4e6f'6465'4150ULL};

// What a Tensor object owns: a handle to the C++ tensor, and the bytes
// reported to V8 as external memory for it, so that a loop making large
// tensors triggers garbage collection before memory runs out.
struct WrappedTensor {
  sgmm::Tensor tensor;
  int64_t reported_bytes = 0;
};

// The tensor wrap() hands to the constructor it is calling. Only wrap()
// sets it, so a script calling `new Tensor()` gets an error instead.
thread_local sgmm::Tensor* tensor_being_wrapped = nullptr;

int64_t storage_bytes(const sgmm::Tensor& tensor) {
  return tensor.numel() * static_cast<int64_t>(sgmm::element_size(tensor.scalar_type()));
}

Napi::Array int_array(Napi::Env env, sgmm::IntArrayRef values) {
  Napi::Array array = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    array.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(values[i])));
  }
  return array;
}

Napi::Value optional_tensor(Napi::Env env, const sgmm::Tensor& tensor) {
  return tensor.defined() ? Napi::Value(JsTensor::wrap(env, tensor)) : env.Null();
}

// Runs inside garbage collection (a basic finalizer): it frees C++ memory
// and adjusts the external memory count, nothing that could run JavaScript.
void finalize_tensor(node_api_basic_env env, void* data, void*) {
  auto* wrapped = static_cast<WrappedTensor*>(data);
  int64_t adjusted = 0;
  if (wrapped->reported_bytes > 0)
    napi_adjust_external_memory(env, -wrapped->reported_bytes, &adjusted);
  delete wrapped;
}

napi_value construct_tensor(napi_env env, napi_callback_info callback_info) {
  Napi::CallbackInfo info(env, callback_info);
  return run_guarded(info.Env(), [&]() -> Napi::Value {
    if (tensor_being_wrapped == nullptr) {
      // Only reachable through the addon itself: index.js gives users a
      // Tensor function that throws this same message from JavaScript.
      throw_type_error(
          "Tensor: tensors are made by torch.tensor(), torch.zeros(), torch.randn(), "
          "torch.from() and the other creation functions, not by new Tensor()");
    }
    auto wrapped = std::make_unique<WrappedTensor>();
    wrapped->tensor = std::move(*tensor_being_wrapped);
    tensor_being_wrapped = nullptr;
    wrapped->reported_bytes = storage_bytes(wrapped->tensor);
    Napi::Object self = info.This().As<Napi::Object>();
    NAPI_THROW_IF_FAILED(
        env, napi_wrap(env, self, wrapped.get(), finalize_tensor, nullptr, nullptr), Napi::Value());
    int64_t reported = wrapped->reported_bytes;
    wrapped.release();
    self.TypeTag(&kTensorTypeTag);
    int64_t adjusted = 0;
    if (reported > 0) napi_adjust_external_memory(env, reported, &adjusted);
    return info.This();
  });
}

// The receiver of a method, checked by type tag: a method taken off the
// prototype and called on another object (even one another addon wrapped)
// is an error, never a wild pointer.
WrappedTensor& receiver(const Napi::CallbackInfo& info) {
  void* data = nullptr;
  if (!JsTensor::is_tensor(info.This()) || napi_unwrap(info.Env(), info.This(), &data) != napi_ok ||
      data == nullptr) {
    throw_type_error("Tensor: a Tensor method was called on " + describe_value(info.This()) +
                     ", which is not a Tensor");
  }
  return *static_cast<WrappedTensor*>(data);
}

using Method = Napi::Value (*)(const Napi::CallbackInfo&, WrappedTensor&);
using Setter = void (*)(const Napi::CallbackInfo&, WrappedTensor&);

template <Method method>
napi_value call_method(napi_env env, napi_callback_info callback_info) {
  Napi::CallbackInfo info(env, callback_info);
  return run_guarded(info.Env(), [&] { return method(info, receiver(info)); });
}

template <Setter setter>
napi_value call_setter(napi_env env, napi_callback_info callback_info) {
  Napi::CallbackInfo info(env, callback_info);
  // index.js calls the setter as a function and sees this return value.
  return run_guarded(info.Env(), [&] { setter(info, receiver(info)); });
}

// ---- properties ---------------------------------------------------------

Napi::Value shape(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(int_array(info.Env(), self.tensor.sizes()));
}

Napi::Value dtype(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return dtype_to_js(info.Env(), self.tensor.scalar_type());
}

Napi::Value device(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(Napi::String::New(info.Env(), self.tensor.device().str()));
}

Napi::Value ndim(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Number::New(info.Env(), static_cast<double>(self.tensor.dim()));
}

Napi::Value requires_grad(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Boolean::New(info.Env(), self.tensor.requires_grad());
}

void set_requires_grad(const Napi::CallbackInfo& info, WrappedTensor& self) {
  Napi::Value value = info[0];
  if (!value.IsBoolean()) {
    throw_type_error("requires_grad: must be a boolean, got " + describe_value(value));
  }
  self.tensor.requires_grad_(value.As<Napi::Boolean>().Value());
}

Napi::Value grad(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return optional_tensor(info.Env(), self.tensor.grad());
}

void set_grad(const Napi::CallbackInfo& info, WrappedTensor& self) {
  Napi::Value value = info[0];
  if (value.IsNull() || value.IsUndefined()) {
    self.tensor.mutable_grad() = sgmm::Tensor();
    return;
  }
  const sgmm::Tensor& grad = JsTensor::unwrap(value, "grad", "the new gradient");
  SGMM_CHECK_SHAPE(grad.sizes() == self.tensor.sizes(), "grad: assigned gradient has shape ",
                   grad.sizes(), " but the tensor has shape ", self.tensor.sizes());
  SGMM_CHECK_DTYPE(grad.scalar_type() == self.tensor.scalar_type(),
                   "grad: assigned gradient has dtype ", grad.scalar_type(),
                   " but the tensor has dtype ", self.tensor.scalar_type());
  self.tensor.mutable_grad() = grad;
}

Napi::Value is_leaf(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(Napi::Boolean::New(info.Env(), self.tensor.is_leaf()));
}

// ---- shape and data -----------------------------------------------------

Napi::Value size(const Napi::CallbackInfo& info, WrappedTensor& self) {
  if (info.Length() == 0 || info[0].IsUndefined())
    return Napi::Value(int_array(info.Env(), self.tensor.sizes()));
  int64_t dim = integer_from_value(info[0], "size", "dim");
  return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(self.tensor.size(dim))));
}

Napi::Value stride(const Napi::CallbackInfo& info, WrappedTensor& self) {
  if (info.Length() == 0 || info[0].IsUndefined())
    return Napi::Value(int_array(info.Env(), self.tensor.strides()));
  int64_t dim = integer_from_value(info[0], "stride", "dim");
  return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(self.tensor.stride(dim))));
}

Napi::Value dim(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Number::New(info.Env(), static_cast<double>(self.tensor.dim()));
}

Napi::Value numel(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Number::New(info.Env(), static_cast<double>(self.tensor.numel()));
}

Napi::Value is_contiguous(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Boolean::New(info.Env(), self.tensor.is_contiguous());
}

Napi::Value item(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return tensor_item(info.Env(), self.tensor);
}

Napi::Value to_array(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return tensor_to_typed_array(info.Env(), self.tensor);
}

Napi::Value to_list(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return tensor_to_list(info.Env(), self.tensor);
}

Napi::Value to_string(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(Napi::String::New(info.Env(), self.tensor.repr()));
}

// ---- autograd -----------------------------------------------------------

Napi::Value backward(const Napi::CallbackInfo& info, WrappedTensor& self) {
  sgmm::Tensor gradient;
  if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()) {
    gradient = JsTensor::unwrap(info[0], "backward", "gradient");
  }
  bool retain_graph = false;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsBoolean()) {
      throw_type_error("backward: retain_graph must be a boolean, got " + describe_value(info[1]));
    }
    retain_graph = info[1].As<Napi::Boolean>().Value();
  }
  self.tensor.backward(gradient, retain_graph);
  return info.Env().Undefined();
}

Napi::Value detach(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.detach()));
}

Napi::Value requires_grad_(const Napi::CallbackInfo& info, WrappedTensor& self) {
  bool requires_grad = true;
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    if (!info[0].IsBoolean()) {
      throw_type_error("requires_grad_: argument must be a boolean, got " +
                       describe_value(info[0]));
    }
    requires_grad = info[0].As<Napi::Boolean>().Value();
  }
  self.tensor.requires_grad_(requires_grad);
  return info.This();
}

// ---- views and copies ---------------------------------------------------

Napi::Value transpose(const Napi::CallbackInfo& info, WrappedTensor& self) {
  int64_t dim0 = integer_from_value(info[0], "transpose", "dim0");
  int64_t dim1 = integer_from_value(info[1], "transpose", "dim1");
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.transpose(dim0, dim1)));
}

Napi::Value t(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.t()));
}

Napi::Value permute(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), self.tensor.permute(dims_from_arguments(info, 0, "permute"))));
}

Napi::Value view(const Napi::CallbackInfo& info, WrappedTensor& self) {
  size_t next = 0;
  auto sizes = sizes_from_arguments(info, 0, "view", &next, /*allow_infer=*/true);
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.view(sizes)));
}

Napi::Value reshape(const Napi::CallbackInfo& info, WrappedTensor& self) {
  size_t next = 0;
  auto sizes = sizes_from_arguments(info, 0, "reshape", &next, /*allow_infer=*/true);
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.reshape(sizes)));
}

Napi::Value expand(const Napi::CallbackInfo& info, WrappedTensor& self) {
  size_t next = 0;
  auto sizes = sizes_from_arguments(info, 0, "expand", &next, /*allow_infer=*/true);
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.expand(sizes)));
}

Napi::Value select(const Napi::CallbackInfo& info, WrappedTensor& self) {
  int64_t dim = integer_from_value(info[0], "select", "dim");
  int64_t index = integer_from_value(info[1], "select", "index");
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.select(dim, index)));
}

Napi::Value narrow(const Napi::CallbackInfo& info, WrappedTensor& self) {
  int64_t dim = integer_from_value(info[0], "narrow", "dim");
  int64_t start = integer_from_value(info[1], "narrow", "start");
  int64_t length = integer_from_value(info[2], "narrow", "length");
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.narrow(dim, start, length)));
}

Napi::Value unsqueeze(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(
      info.Env(), self.tensor.unsqueeze(integer_from_value(info[0], "unsqueeze", "dim"))));
}

Napi::Value squeeze(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(
      info.Env(), self.tensor.squeeze(integer_from_value(info[0], "squeeze", "dim"))));
}

Napi::Value contiguous(const Napi::CallbackInfo& info, WrappedTensor& self) {
  if (self.tensor.is_contiguous()) return info.This();
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.contiguous()));
}

Napi::Value clone(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.clone()));
}

Napi::Value to(const Napi::CallbackInfo& info, WrappedTensor& self) {
  sgmm::ScalarType dtype = dtype_from_value(info[0], "to");
  if (dtype == self.tensor.scalar_type()) return info.This();
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.to(dtype)));
}

// ---- math ---------------------------------------------------------------

Napi::Value bmm(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), self.tensor.bmm(JsTensor::unwrap(info[0], "bmm", "mat2"))));
}

Napi::Value matmul(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), self.tensor.matmul(JsTensor::unwrap(info[0], "matmul", "other"))));
}

Napi::Value add(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), apply_elementwise(ElementwiseOp::Add, self.tensor, info[0])));
}

Napi::Value sub(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), apply_elementwise(ElementwiseOp::Sub, self.tensor, info[0])));
}

Napi::Value mul(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), apply_elementwise(ElementwiseOp::Mul, self.tensor, info[0])));
}

Napi::Value div(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(
      JsTensor::wrap(info.Env(), apply_elementwise(ElementwiseOp::Div, self.tensor, info[0])));
}

Napi::Value neg(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(info.Env(), self.tensor.neg()));
}

Napi::Value sum(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(info.Env(), reduce(false, self.tensor, info, 0)));
}

Napi::Value mean(const Napi::CallbackInfo& info, WrappedTensor& self) {
  return Napi::Value(JsTensor::wrap(info.Env(), reduce(true, self.tensor, info, 0)));
}

napi_property_descriptor method_property(const char* name, napi_callback method) {
  return {name, nullptr, method, nullptr, nullptr, nullptr, napi_default_method, nullptr};
}

napi_property_descriptor accessor_property(const char* name, napi_callback getter,
                                           napi_callback setter = nullptr) {
  return {name, nullptr, nullptr, getter, setter, nullptr, napi_configurable, nullptr};
}

}  // namespace

Napi::Function JsTensor::define_class(Napi::Env env) {
  const std::vector<napi_property_descriptor> properties = {
      accessor_property("shape", call_method<shape>),
      accessor_property("dtype", call_method<dtype>),
      accessor_property("device", call_method<device>),
      accessor_property("ndim", call_method<ndim>),
      accessor_property("requires_grad", call_method<requires_grad>,
                        call_setter<set_requires_grad>),
      accessor_property("grad", call_method<grad>, call_setter<set_grad>),
      accessor_property("is_leaf", call_method<is_leaf>),
      method_property("size", call_method<size>),
      method_property("stride", call_method<stride>),
      method_property("dim", call_method<dim>),
      method_property("numel", call_method<numel>),
      method_property("is_contiguous", call_method<is_contiguous>),
      method_property("item", call_method<item>),
      method_property("toArray", call_method<to_array>),
      method_property("tolist", call_method<to_list>),
      method_property("toString", call_method<to_string>),
      method_property("backward", call_method<backward>),
      method_property("detach", call_method<detach>),
      method_property("requires_grad_", call_method<requires_grad_>),
      method_property("transpose", call_method<transpose>),
      method_property("t", call_method<t>),
      method_property("permute", call_method<permute>),
      method_property("view", call_method<view>),
      method_property("reshape", call_method<reshape>),
      method_property("expand", call_method<expand>),
      method_property("select", call_method<select>),
      method_property("narrow", call_method<narrow>),
      method_property("unsqueeze", call_method<unsqueeze>),
      method_property("squeeze", call_method<squeeze>),
      method_property("contiguous", call_method<contiguous>),
      method_property("clone", call_method<clone>),
      method_property("to", call_method<to>),
      method_property("bmm", call_method<bmm>),
      method_property("matmul", call_method<matmul>),
      method_property("add", call_method<add>),
      method_property("sub", call_method<sub>),
      method_property("mul", call_method<mul>),
      method_property("div", call_method<div>),
      method_property("neg", call_method<neg>),
      method_property("sum", call_method<sum>),
      method_property("mean", call_method<mean>),
  };
  napi_value result = nullptr;
  NAPI_THROW_IF_FAILED(env,
                       napi_define_class(env, "Tensor", NAPI_AUTO_LENGTH, construct_tensor, nullptr,
                                         properties.size(), properties.data(), &result),
                       Napi::Function());
  return Napi::Function(env, result);
}

Napi::Object JsTensor::wrap(Napi::Env env, sgmm::Tensor tensor) {
  sgmm::Tensor* previous = tensor_being_wrapped;
  tensor_being_wrapped = &tensor;
  napi_value object = nullptr;
  napi_status status =
      napi_new_instance(env, addon_data(env).tensor_constructor.Value(), 0, nullptr, &object);
  tensor_being_wrapped = previous;
  NAPI_THROW_IF_FAILED(env, status, Napi::Object());
  // The constructor failed (run_guarded returned the sentinel, which `new`
  // passes on as the result): carry its parked error up as an exception.
  bool failed = false;
  napi_strict_equals(env, object, addon_data(env).failure_sentinel.Value(), &failed);
  if (failed) throw Napi::Error(env, take_pending_error(env));
  return Napi::Object(env, object);
}

bool JsTensor::is_tensor(const Napi::Value& value) {
  return value.IsObject() && value.As<Napi::Object>().CheckTypeTag(&kTensorTypeTag);
}

const sgmm::Tensor& JsTensor::unwrap(const Napi::Value& value, const char* op, const char* what) {
  if (!is_tensor(value)) {
    throw_type_error(std::string(op) + ": " + what + " must be a Tensor, got " +
                     describe_value(value));
  }
  void* data = nullptr;
  if (napi_unwrap(value.Env(), value, &data) != napi_ok || data == nullptr) {
    throw_type_error(std::string(op) + ": " + what + " is a Tensor that holds no tensor");
  }
  return static_cast<WrappedTensor*>(data)->tensor;
}

}  // namespace sgmm_node
