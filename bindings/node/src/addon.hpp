#pragma once
// Per-environment state of the addon (Node-API instance data), so that the
// addon works in worker threads and several contexts at once.

#include <napi.h>

#include <memory>
#include <thread>

namespace sgmm_node {

// Shared with the deleters of tensors that wrap JavaScript memory
// (torch.from): they may run after the environment is gone (process exit),
// and then must not touch Node-API.
struct EnvironmentLifetime {
  napi_env env = nullptr;
  std::thread::id js_thread;
  bool alive = true;
};

struct AddonData {
  Napi::FunctionReference tensor_constructor;
  // What a failed callback returns, and where its JavaScript error waits
  // for index.js to throw it (errors.hpp says why).
  Napi::ObjectReference failure_sentinel;
  napi_ref pending_error = nullptr;
  std::shared_ptr<EnvironmentLifetime> lifetime = std::make_shared<EnvironmentLifetime>();
};

inline AddonData& addon_data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace sgmm_node
