#pragma once
// The driver's hook for the thread pool (the public entry point is gemm()
// in gemm.hpp).

namespace sgmm::cpu {

// Sizes the calling thread's packing buffers for the largest block any
// kernel configuration uses, so later gemm calls on it never allocate.
void prepare_gemm_thread();

}  // namespace sgmm::cpu
