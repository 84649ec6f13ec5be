// The addon's entry point: builds the exports object that index.js turns
// into the torch namespace.

#include "addon.hpp"

#include <napi.h>

#include <thread>

#include "errors.hpp"
#include "functions.hpp"
#include "js_tensor.hpp"

namespace sgmm_node {
namespace {

// Runs when the environment goes (process or worker exit): from here on,
// deleters of tensors over JavaScript memory must not call Node-API.
void finalize_addon_data(Napi::Env, AddonData* data) {
  data->lifetime->alive = false;
  delete data;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  data->lifetime->env = env;
  data->lifetime->js_thread = std::this_thread::get_id();
  env.SetInstanceData<AddonData, finalize_addon_data>(data);

  // The failure protocol of errors.hpp: a frozen object no script can
  // make, and the function index.js calls to take the parked error.
  Napi::Object failure_sentinel = Napi::Object::New(env);
  failure_sentinel.Freeze();
  data->failure_sentinel = Napi::Persistent(failure_sentinel);
  exports.Set("FAILED", failure_sentinel);
  exports.Set("take_error", Napi::Function::New(
                                env,
                                [](const Napi::CallbackInfo& info) {
                                  return Napi::Value(info.Env(), take_pending_error(info.Env()));
                                },
                                "take_error"));

  Napi::Function tensor_class = JsTensor::define_class(env);
  data->tensor_constructor = Napi::Persistent(tensor_class);
  exports.Set("Tensor", tensor_class);
  register_functions(env, exports);
  return exports;
}

}  // namespace
}  // namespace sgmm_node

// NODE_API_MODULE pastes the function's name into an identifier, so it needs
// an unqualified name.
static Napi::Object init_sgmm_addon(Napi::Env env, Napi::Object exports) {
  return sgmm_node::init(env, exports);
}

NODE_API_MODULE(sgmm, init_sgmm_addon)
