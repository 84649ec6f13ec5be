#include "tensor/allocator.hpp"

#include <array>
#include <cstdlib>

#include "sgmm/error.hpp"

namespace sgmm {
namespace {

class CpuAllocator final : public Allocator {
 public:
  void* allocate(size_t nbytes) override {
    // aligned_alloc wants a multiple of the alignment; a zero-byte tensor
    // still gets a valid, distinct pointer so kernels never see null.
    size_t rounded = (nbytes + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
    if (rounded == 0) rounded = kCpuAlignment;
    SGMM_CHECK(rounded >= nbytes, "cpu allocator: ", nbytes, " bytes is too large to allocate");
    void* data = std::aligned_alloc(kCpuAlignment, rounded);
    SGMM_CHECK(data != nullptr, "cpu allocator: out of memory allocating ", nbytes, " bytes");
    return data;
  }
  void deallocate(void* data, size_t) noexcept override { std::free(data); }
};

CpuAllocator cpu_allocator;

constexpr size_t kDeviceTypeCount = 2;
std::array<Allocator*, kDeviceTypeCount> allocators = {&cpu_allocator, nullptr};

}  // namespace

Allocator& allocator_for(Device device) {
  auto index = static_cast<size_t>(device.type());
  Allocator* allocator = index < kDeviceTypeCount ? allocators[index] : nullptr;
  SGMM_CHECK_DEVICE(allocator != nullptr, "no allocator for device ", device.str(),
                    ": this build of sgmm supports only the CPU");
  return *allocator;
}

void register_allocator(DeviceType type, Allocator* allocator) {
  auto index = static_cast<size_t>(type);
  SGMM_CHECK(index < kDeviceTypeCount, "register_allocator: unknown device type");
  allocators[index] = allocator;
}

}  // namespace sgmm
