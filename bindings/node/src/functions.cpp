#include "functions.hpp"

#include <string>
#include <vector>

#include "arguments.hpp"
#include "errors.hpp"
#include "js_tensor.hpp"
#include "scaled_grouped_mm.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/factory.hpp"
#include "sgmm/ops.hpp"
#include "sgmm/runtime.hpp"
#include "typed_arrays.hpp"

namespace sgmm_node {

sgmm::Tensor apply_elementwise(ElementwiseOp op, const sgmm::Tensor& a, const Napi::Value& other) {
  static constexpr const char* kNames[] = {"add", "sub", "mul", "div"};
  const char* name = kNames[static_cast<int>(op)];
  if (JsTensor::is_tensor(other)) {
    const sgmm::Tensor& b = JsTensor::unwrap(other, name, "other");
    switch (op) {
      case ElementwiseOp::Add: return sgmm::add(a, b);
      case ElementwiseOp::Sub: return sgmm::sub(a, b);
      case ElementwiseOp::Mul: return sgmm::mul(a, b);
      case ElementwiseOp::Div: return sgmm::div(a, b);
    }
  }
  sgmm::Scalar b = scalar_from_value(other, name, "other");
  switch (op) {
    case ElementwiseOp::Add: return sgmm::add(a, b);
    case ElementwiseOp::Sub: return sgmm::sub(a, b);
    case ElementwiseOp::Mul: return sgmm::mul(a, b);
    case ElementwiseOp::Div: return sgmm::div(a, b);
  }
  return sgmm::Tensor();
}

sgmm::Tensor reduce(bool mean, const sgmm::Tensor& a, const Napi::CallbackInfo& info, size_t first) {
  const char* name = mean ? "mean" : "sum";
  if (first >= info.Length() || info[first].IsUndefined() || info[first].IsNull()) {
    return mean ? sgmm::mean(a) : sgmm::sum(a);
  }
  int64_t dim = integer_from_value(info[first], name, "dim");
  bool keepdim = false;
  if (first + 1 < info.Length() && !info[first + 1].IsUndefined()) {
    if (!info[first + 1].IsBoolean()) {
      throw_type_error(std::string(name) + ": keepdim must be a boolean, got " +
                                       describe_value(info[first + 1]));
    }
    keepdim = info[first + 1].As<Napi::Boolean>().Value();
  }
  return mean ? sgmm::mean(a, dim, keepdim) : sgmm::sum(a, dim, keepdim);
}

namespace {

using SizedFactory = sgmm::Tensor (*)(sgmm::IntArrayRef, const sgmm::TensorOptions&);

// randn(2, 3), randn([2, 3]), randn(2, 3, { dtype: 'float64' }).
template <SizedFactory factory>
Napi::Value create_sized(const Napi::CallbackInfo& info, const char* name) {
  return run_guarded(info.Env(), [&] {
    size_t next = 0;
    std::vector<int64_t> sizes = sizes_from_arguments(info, 0, name, &next);
    sgmm::TensorOptions options = tensor_options_from_value(info[next], name);
    if (next + 1 < info.Length() && !info[next + 1].IsUndefined()) {
      throw_type_error(std::string(name) + ": unexpected argument after the options: " +
                                       describe_value(info[next + 1]));
    }
    return Napi::Value(JsTensor::wrap(info.Env(), factory(sizes, options)));
  });
}

Napi::Value randn(const Napi::CallbackInfo& info) { return create_sized<sgmm::randn>(info, "randn"); }
Napi::Value rand(const Napi::CallbackInfo& info) { return create_sized<sgmm::rand>(info, "rand"); }
Napi::Value zeros(const Napi::CallbackInfo& info) { return create_sized<sgmm::zeros>(info, "zeros"); }
Napi::Value ones(const Napi::CallbackInfo& info) { return create_sized<sgmm::ones>(info, "ones"); }
Napi::Value empty(const Napi::CallbackInfo& info) { return create_sized<sgmm::empty>(info, "empty"); }

Napi::Value full(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    if (!info[0].IsArray() && !info[0].IsNumber()) {
      throw_type_error("full: size must be an array of sizes, got " + describe_value(info[0]));
    }
    size_t next = 0;
    std::vector<int64_t> sizes;
    if (info[0].IsArray()) {
      sizes = sizes_from_arguments(info, 0, "full", &next);
    } else {
      sizes.push_back(size_from_value(info[0], "full"));
    }
    sgmm::Scalar value = scalar_from_value(info[1], "full", "fill value");
    sgmm::TensorOptions options = tensor_options_from_value(info[2], "full");
    return Napi::Value(JsTensor::wrap(info.Env(), sgmm::full(sizes, value, options)));
  });
}

// arange(end), arange(start, end), arange(start, end, step), each with an
// optional options object last.
Napi::Value arange(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    std::vector<sgmm::Scalar> bounds;
    size_t i = 0;
    for (; i < info.Length() && i < 3; ++i) {
      if (info[i].IsUndefined() || (info[i].IsObject() && !info[i].IsArray())) break;
      bounds.push_back(scalar_from_value(info[i], "arange", i == 2 ? "step" : "a bound"));
    }
    if (bounds.empty()) {
      throw_type_error("arange: expected arange(end), arange(start, end) or arange(start, end, "
                                   "step), got " + describe_value(info[0]));
    }
    sgmm::TensorOptions options = tensor_options_from_value(info[i], "arange");
    if (bounds.size() == 1) return Napi::Value(JsTensor::wrap(info.Env(), sgmm::arange(bounds[0], options)));
    sgmm::Scalar step = bounds.size() == 3 ? bounds[2] : sgmm::Scalar(int64_t{1});
    return Napi::Value(JsTensor::wrap(info.Env(), sgmm::arange(bounds[0], bounds[1], step, options)));
  });
}

Napi::Value tensor(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    return Napi::Value(JsTensor::wrap(info.Env(), tensor_from_data(info[0], info[1])));
  });
}

Napi::Value from(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    return Napi::Value(JsTensor::wrap(info.Env(), tensor_from_typed_array(info)));
  });
}

Napi::Value manual_seed(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    uint64_t seed = 0;
    if (info[0].IsBigInt()) {
      bool lossless = false;
      seed = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
      if (!lossless) throw_range_error("manual_seed: seed must fit in 64 unsigned bits");
    } else {
      int64_t value = integer_from_value(info[0], "manual_seed", "seed");
      if (value < 0) {
        throw_range_error("manual_seed: seed must be a non-negative integer, got " +
                                          std::to_string(value));
      }
      seed = static_cast<uint64_t>(value);
    }
    sgmm::manual_seed(seed);
    return info.Env().Undefined();
  });
}

Napi::Value bmm(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    const sgmm::Tensor& input = JsTensor::unwrap(info[0], "bmm", "input");
    const sgmm::Tensor& mat2 = JsTensor::unwrap(info[1], "bmm", "mat2");
    return Napi::Value(JsTensor::wrap(info.Env(), sgmm::bmm(input, mat2)));
  });
}

Napi::Value matmul(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    const sgmm::Tensor& input = JsTensor::unwrap(info[0], "matmul", "input");
    const sgmm::Tensor& other = JsTensor::unwrap(info[1], "matmul", "other");
    return Napi::Value(JsTensor::wrap(info.Env(), sgmm::matmul(input, other)));
  });
}

template <ElementwiseOp op>
Napi::Value elementwise(const Napi::CallbackInfo& info) {
  static constexpr const char* kNames[] = {"add", "sub", "mul", "div"};
  return run_guarded(info.Env(), [&] {
    const sgmm::Tensor& a = JsTensor::unwrap(info[0], kNames[static_cast<int>(op)], "input");
    return Napi::Value(JsTensor::wrap(info.Env(), apply_elementwise(op, a, info[1])));
  });
}

Napi::Value neg(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    return Napi::Value(JsTensor::wrap(info.Env(), sgmm::neg(JsTensor::unwrap(info[0], "neg", "input"))));
  });
}

template <bool mean>
Napi::Value reduction(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    const sgmm::Tensor& a = JsTensor::unwrap(info[0], mean ? "mean" : "sum", "input");
    return Napi::Value(JsTensor::wrap(info.Env(), reduce(mean, a, info, 1)));
  });
}

Napi::Value equal(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    const sgmm::Tensor& a = JsTensor::unwrap(info[0], "equal", "input");
    const sgmm::Tensor& b = JsTensor::unwrap(info[1], "equal", "other");
    return Napi::Value(Napi::Boolean::New(info.Env(), sgmm::equal(a, b)));
  });
}

double optional_number(const Napi::Value& value, const char* op, const char* what, double fallback) {
  if (value.IsUndefined()) return fallback;
  if (!value.IsNumber()) {
    throw_type_error(std::string(op) + ": " + what + " must be a number, got " + describe_value(value));
  }
  return value.As<Napi::Number>().DoubleValue();
}

Napi::Value allclose(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    const sgmm::Tensor& a = JsTensor::unwrap(info[0], "allclose", "input");
    const sgmm::Tensor& b = JsTensor::unwrap(info[1], "allclose", "other");
    double rtol = optional_number(info[2], "allclose", "rtol", 1e-5);
    double atol = optional_number(info[3], "allclose", "atol", 1e-8);
    return Napi::Value(Napi::Boolean::New(info.Env(), sgmm::allclose(a, b, rtol, atol)));
  });
}

Napi::Value is_grad_enabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), sgmm::is_grad_enabled());
}

Napi::Value set_grad_enabled(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    if (!info[0].IsBoolean()) {
      throw_type_error("set_grad_enabled: argument must be a boolean, got " + describe_value(info[0]));
    }
    sgmm::set_grad_enabled(info[0].As<Napi::Boolean>().Value());
    return info.Env().Undefined();
  });
}

Napi::Value set_num_threads(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    int64_t threads = integer_from_value(info[0], "set_num_threads", "the thread count");
    if (threads < 1 || threads > 4096) {
      throw_range_error("set_num_threads: the thread count must be in [1, 4096], got " +
                                        std::to_string(threads));
    }
    sgmm::set_num_threads(static_cast<int>(threads));
    return info.Env().Undefined();
  });
}

Napi::Value get_num_threads(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    return Napi::Value(Napi::Number::New(info.Env(), sgmm::get_num_threads()));
  });
}

Napi::Array string_array(Napi::Env env, const std::vector<std::string>& values) {
  Napi::Array array = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) array.Set(static_cast<uint32_t>(i), values[i]);
  return array;
}

Napi::Value runtime_info(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    sgmm::RuntimeInfo runtime = sgmm::runtime_info();
    Napi::Object object = Napi::Object::New(info.Env());
    object.Set("version", runtime.version);
    object.Set("cpu_features", string_array(info.Env(), runtime.cpu_features));
    object.Set("kernel", runtime.kernel);
    object.Set("kernels", string_array(info.Env(), runtime.kernels));
    object.Set("dispatch_reasons", string_array(info.Env(), runtime.dispatch_reasons));
    object.Set("num_threads", runtime.num_threads);
    return Napi::Value(object);
  });
}

}  // namespace

void register_functions(Napi::Env env, Napi::Object exports) {
  struct Entry {
    const char* name;
    Napi::Value (*function)(const Napi::CallbackInfo&);
  };
  static const Entry kEntries[] = {
      {"randn", randn},
      {"rand", rand},
      {"zeros", zeros},
      {"ones", ones},
      {"empty", empty},
      {"full", full},
      {"arange", arange},
      {"tensor", tensor},
      {"from", from},
      {"manual_seed", manual_seed},
      {"bmm", bmm},
      {"matmul", matmul},
      {"add", elementwise<ElementwiseOp::Add>},
      {"sub", elementwise<ElementwiseOp::Sub>},
      {"mul", elementwise<ElementwiseOp::Mul>},
      {"div", elementwise<ElementwiseOp::Div>},
      {"neg", neg},
      {"sum", reduction<false>},
      {"mean", reduction<true>},
      {"equal", equal},
      {"allclose", allclose},
      {"is_grad_enabled", is_grad_enabled},
      {"set_grad_enabled", set_grad_enabled},
      {"set_num_threads", set_num_threads},
      {"get_num_threads", get_num_threads},
      {"runtime_info", runtime_info},
      {"scaled_grouped_mm", scaled_grouped_mm},
      {"scaled_grouped_mm_async", scaled_grouped_mm_async},
  };
  for (const Entry& entry : kEntries) {
    exports.Set(entry.name, Napi::Function::New(env, entry.function, entry.name));
  }
}

}  // namespace sgmm_node
