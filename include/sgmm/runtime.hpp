#pragma once
// The library's runtime: its thread pool and the CPU kernel it chose.

#include <string>
#include <vector>

namespace sgmm {

// Threads used by the GEMM engine. Starts at SGMM_NUM_THREADS when set, else
// the number of online cores. Results do not depend on it, bit for bit.
void set_num_threads(int num_threads);
int get_num_threads();

struct RuntimeInfo {
  std::string version;
  std::vector<std::string> cpu_features;      // "avx2", "fma", "avx512f", "avx512_bf16", ...
  std::string kernel;                         // the chosen kernel configuration, e.g. "avx512"
  std::vector<std::string> kernels;           // every configuration, best first
  std::vector<std::string> dispatch_reasons;  // why each better one was not taken
  int num_threads = 1;
};
RuntimeInfo runtime_info();

}  // namespace sgmm
