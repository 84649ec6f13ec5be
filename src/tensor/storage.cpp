#include "tensor/storage.hpp"

#include <utility>

#include "tensor/allocator.hpp"

namespace sgmm {

Storage::Storage(void* data, size_t nbytes, Device device, Allocator* allocator,
                 std::function<void(void*)> deleter)
    : data_(data),
      nbytes_(nbytes),
      device_(device),
      allocator_(allocator),
      deleter_(std::move(deleter)) {}

std::shared_ptr<Storage> Storage::allocate(size_t nbytes, Device device) {
  Allocator& allocator = allocator_for(device);
  void* data = allocator.allocate(nbytes);
  try {
    return std::shared_ptr<Storage>(new Storage(data, nbytes, device, &allocator, {}));
  } catch (...) {
    allocator.deallocate(data, nbytes);
    throw;
  }
}

std::shared_ptr<Storage> Storage::borrow(void* data, size_t nbytes, Device device,
                                         std::function<void(void*)> deleter) {
  return std::shared_ptr<Storage>(new Storage(data, nbytes, device, nullptr, std::move(deleter)));
}

Storage::~Storage() {
  if (allocator_ != nullptr) {
    allocator_->deallocate(data_, nbytes_);
  } else if (deleter_) {
    deleter_(data_);
  }
}

}  // namespace sgmm
