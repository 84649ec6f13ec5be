#pragma once
// Which kernel configuration (micro-kernels + block sizes per ISA) the GEMM
// driver uses. Chosen once at first use: the best the CPU and OS support,
// capped by SGMM_MAX_ISA=avx512|avx512_no_bf16|avx2|generic; SGMM_VERBOSE=1
// logs the choice and why better ones were refused. Tests and benchmarks
// force one in turn.

#include <string>
#include <vector>

namespace sgmm::cpu {

// Every configuration compiled into this build, best first ("avx512",
// "avx512_no_bf16", "avx2", "generic").
std::vector<std::string> kernel_config_names();
// Whether this CPU and OS can run it (CPUID and XCR0 both checked).
bool kernel_config_supported(const std::string& name);
// Uses this configuration for every later gemm call until reset_kernel_config().
// Throws sgmm::ValueError for an unknown name or one this CPU cannot run.
void force_kernel_config(const std::string& name);
// Back to the automatic choice.
void reset_kernel_config();
std::string active_kernel_config();
// One line per configuration, best first: why it was taken or refused.
std::vector<std::string> dispatch_reasons();

}  // namespace sgmm::cpu
