#pragma once
// The memory under one or more tensors: either allocated by the device's
// allocator or borrowed from the caller (from_blob) with an optional deleter.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "sgmm/device.hpp"

namespace sgmm {

class Allocator;

class Storage {
 public:
  // nbytes from the device's allocator, uninitialised.
  static std::shared_ptr<Storage> allocate(size_t nbytes, Device device);
  // Caller memory; deleter (may be empty) runs when the last tensor goes.
  static std::shared_ptr<Storage> borrow(void* data, size_t nbytes, Device device,
                                         std::function<void(void*)> deleter);

  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage();

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }

  // Counts in-place writes through any tensor viewing this storage, so
  // autograd can tell that a tensor saved for backward has changed since.
  uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  Storage(void* data, size_t nbytes, Device device, Allocator* allocator,
          std::function<void(void*)> deleter);

  void* data_;
  size_t nbytes_;
  Device device_;
  Allocator* allocator_;  // null for borrowed memory
  std::function<void(void*)> deleter_;
  uint64_t version_ = 0;
};

}  // namespace sgmm
