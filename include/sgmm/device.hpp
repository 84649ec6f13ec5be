#pragma once
// Where a tensor's memory lives. Only the CPU exists today, but every
// allocation and kernel call is routed by Device so CUDA can sit beside it.

#include <cstdint>
#include <ostream>
#include <string>

namespace sgmm {

enum class DeviceType : int8_t { CPU = 0, CUDA = 1 };

constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;

class Device {
 public:
  constexpr Device(DeviceType type = kCPU, int index = -1) : type_(type), index_(index) {}
  constexpr DeviceType type() const { return type_; }
  constexpr int index() const { return index_; }
  constexpr bool is_cpu() const { return type_ == kCPU; }
  constexpr bool is_cuda() const { return type_ == kCUDA; }
  std::string str() const;  // "cpu", "cuda:0"
  friend constexpr bool operator==(Device a, Device b) {
    return a.type_ == b.type_ && a.index_ == b.index_;
  }
  friend constexpr bool operator!=(Device a, Device b) { return !(a == b); }

 private:
  DeviceType type_;
  int index_;
};

std::ostream& operator<<(std::ostream& os, Device device);

}  // namespace sgmm
