#pragma once
// Every tensor allocation goes through the allocator of its device. Only the
// CPU one exists; a CUDA allocator registers itself beside it.

#include <cstddef>

#include "sgmm/device.hpp"

namespace sgmm {

class Allocator {
 public:
  virtual ~Allocator() = default;
  // Returns memory for nbytes (may be 0) or throws sgmm::ValueError when the
  // device cannot provide it. Never returns null.
  virtual void* allocate(size_t nbytes) = 0;
  virtual void deallocate(void* data, size_t nbytes) noexcept = 0;
};

// The allocator that serves device; DeviceError when none is registered.
Allocator& allocator_for(Device device);
// Installs the allocator for a device type (the CPU one is built in).
void register_allocator(DeviceType type, Allocator* allocator);

// Alignment of every CPU allocation: one cache line, and a full AVX-512 register.
constexpr size_t kCpuAlignment = 64;

}  // namespace sgmm
