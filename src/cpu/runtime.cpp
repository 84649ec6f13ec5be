// sgmm's public runtime functions (include/sgmm/runtime.hpp): the thread
// pool's size and what the engine chose on this machine.
#include "sgmm/runtime.hpp"

#include "cpu/cpu_features.hpp"
#include "cpu/dispatch.hpp"
#include "cpu/thread_pool.hpp"
#include "sgmm/version.hpp"

namespace sgmm {

void set_num_threads(int num_threads) { cpu::ThreadPool::instance().set_num_threads(num_threads); }

int get_num_threads() { return cpu::ThreadPool::instance().num_threads(); }

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.version = SGMM_VERSION;
  info.cpu_features = cpu::cpu_features().names();
  info.kernel = cpu::active_kernel_config();
  info.kernels = cpu::kernel_config_names();
  info.dispatch_reasons = cpu::dispatch_reasons();
  info.num_threads = get_num_threads();
  return info;
}

}  // namespace sgmm
