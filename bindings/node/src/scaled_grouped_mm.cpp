#include "scaled_grouped_mm.hpp"

#include <exception>
#include <string>
#include <utility>

#include "arguments.hpp"
#include "errors.hpp"
#include "js_tensor.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/nn/functional.hpp"

namespace sgmm_node {
namespace {

namespace F = sgmm::nn::functional;

constexpr const char* kName = "scaled_grouped_mm";

// One call's arguments, copied out of JavaScript: the tensor handles keep the
// inputs' memory alive for as long as the call needs it, even if the
// script drops its own references while an async call runs.
struct ScaledGroupedMMCall {
  sgmm::Tensor input;
  sgmm::Tensor weight;
  F::ScaledGroupedMMFuncOptions options;
  sgmm::Tensor out;
  bool run_async = false;
};

void read_scale(const Napi::Value& value, ScaledGroupedMMCall* call) {
  if (value.IsNumber()) {
    call->options.scale(value.As<Napi::Number>().DoubleValue());
  } else if (JsTensor::is_tensor(value)) {
    call->options.scale(JsTensor::unwrap(value, kName, "scale"));
  } else {
    throw_type_error(std::string(kName) +
                                      ": scale must be a number or a 0-d Tensor, got " + describe_value(value));
  }
}

// Also stores the JavaScript object passed as out (undefined without one),
// which the call returns.
ScaledGroupedMMCall read_arguments(const Napi::CallbackInfo& info, Napi::Value* out_object) {
  ScaledGroupedMMCall call;
  *out_object = info.Env().Undefined();
  call.input = JsTensor::unwrap(info[0], kName, "input");
  call.weight = JsTensor::unwrap(info[1], kName, "weight");
  Napi::Value third = info[2];
  if (third.IsUndefined() || third.IsNull()) return call;
  if (third.IsNumber() || JsTensor::is_tensor(third)) {
    read_scale(third, &call);
    return call;
  }
  if (!third.IsObject() || third.IsArray() || third.IsFunction()) {
    throw_type_error(std::string(kName) +
                                     ": the third argument must be a scale (a number or a 0-d Tensor) or "
                                     "an options object { scale }, got " + describe_value(third));
  }
  Napi::Object options = third.As<Napi::Object>();
  Napi::Array keys = options.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string key = keys.Get(i).ToString().Utf8Value();
    Napi::Value entry = options.Get(key);
    if (entry.IsUndefined()) continue;
    if (key == "scale") {
      read_scale(entry, &call);
    } else if (key == "out") {
      call.out = JsTensor::unwrap(entry, kName, "out");
      *out_object = entry;
    } else if (key == "async") {
      if (!entry.IsBoolean()) {
        throw_type_error(std::string(kName) + ": async must be a boolean, got " + describe_value(entry));
      }
      call.run_async = entry.As<Napi::Boolean>().Value();
    } else {
      throw_type_error(std::string(kName) + ": unknown option '" + key +
                                       "' (expected scale, out or async)");
    }
  }
  return call;
}

sgmm::Tensor run_call(ScaledGroupedMMCall& call) {
  if (call.out.defined()) return F::scaled_grouped_mm_out(call.out, call.input, call.weight, call.options);
  return F::scaled_grouped_mm(call.input, call.weight, call.options);
}

// Runs one call on a libuv worker thread and settles a Promise on the
// JavaScript thread. Execute touches no JavaScript value; the exception, if
// any, crosses back as an exception_ptr so its type picks the JavaScript
// error class exactly as in the synchronous form.
class ScaledGroupedMMWorker : public Napi::AsyncWorker {
 public:
  ScaledGroupedMMWorker(Napi::Env env, ScaledGroupedMMCall call, Napi::Value out_object)
      : Napi::AsyncWorker(env, "sgmm.scaled_grouped_mm"),
        deferred_(Napi::Promise::Deferred::New(env)),
        call_(std::move(call)),
        // Grad mode is per thread: carry the caller's into the worker thread,
        // so a call made under no_grad records no graph there either.
        grad_enabled_(sgmm::is_grad_enabled()) {
    if (out_object.IsObject()) out_object_ = Napi::Persistent(out_object.As<Napi::Object>());
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      if (grad_enabled_) {
        result_ = run_call(call_);
      } else {
        sgmm::NoGradGuard no_grad;
        result_ = run_call(call_);
      }
    } catch (...) {
      error_ = std::current_exception();
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (error_) {
      deferred_.Reject(Napi::Value(env, js_error_from_exception(env, error_)));
      return;
    }
    try {
      if (!out_object_.IsEmpty()) {
        deferred_.Resolve(out_object_.Value());
      } else {
        deferred_.Resolve(JsTensor::wrap(env, std::move(result_)));
      }
    } catch (...) {
      deferred_.Reject(Napi::Value(env, js_error_from_current_exception(env)));
    }
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  ScaledGroupedMMCall call_;
  Napi::ObjectReference out_object_;
  bool grad_enabled_;
  sgmm::Tensor result_;
  std::exception_ptr error_;
};

Napi::Value start_async(const Napi::CallbackInfo& info, ScaledGroupedMMCall call, Napi::Value out_object) {
  // Node deletes the worker itself after OnOK/OnError.
  auto* worker = new ScaledGroupedMMWorker(info.Env(), std::move(call), out_object);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace

Napi::Value scaled_grouped_mm(const Napi::CallbackInfo& info) {
  return run_guarded(info.Env(), [&] {
    Napi::Value out_object;
    ScaledGroupedMMCall call = read_arguments(info, &out_object);
    if (call.run_async) return start_async(info, std::move(call), out_object);
    bool writes_out = call.out.defined();
    sgmm::Tensor result = run_call(call);
    if (writes_out) return out_object;
    return Napi::Value(JsTensor::wrap(info.Env(), std::move(result)));
  });
}

Napi::Value scaled_grouped_mm_async(const Napi::CallbackInfo& info) {
  // Argument errors reject the Promise rather than throw, so that a caller
  // awaiting the result handles every failure in one place.
  Napi::Env env = info.Env();
  try {
    Napi::Value out_object;
    ScaledGroupedMMCall call = read_arguments(info, &out_object);
    return start_async(info, std::move(call), out_object);
  } catch (...) {
    napi_value error = js_error_from_current_exception(env);
    return run_guarded(env, [&] {
      Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
      deferred.Reject(Napi::Value(env, error));
      return Napi::Value(deferred.Promise());
    });
  }
}

}  // namespace sgmm_node
