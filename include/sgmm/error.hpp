#pragma once
// One exception family for every failure a caller can cause. Nothing in sgmm
// aborts the process: a bad argument throws, so a Node.js host survives it.

#include <exception>
#include <sstream>
#include <string>
#include <utility>

namespace sgmm {

class Error : public std::exception {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// Sizes that do not fit together (rank, batch, inner dimension, overlap).
class ShapeError : public Error {
  using Error::Error;
};
// Element types that do not fit together or are not supported by an operation.
class DTypeError : public Error {
  using Error::Error;
};
// Tensors on a device an operation cannot use, or on different devices.
class DeviceError : public Error {
  using Error::Error;
};
// Any other invalid argument: a bad index, a negative size, a second backward.
class ValueError : public Error {
  using Error::Error;
};

namespace detail {
template <typename... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}
}  // namespace detail

}  // namespace sgmm

// Throws ErrorType with the message built from the remaining arguments when
// cond is false: SGMM_CHECK_AS(ShapeError, a == b, "bmm: ", a, " != ", b).
#define SGMM_CHECK_AS(ErrorType, cond, ...)                                  \
  do {                                                                       \
    if (!(cond)) throw ::sgmm::ErrorType(::sgmm::detail::str_cat(__VA_ARGS__)); \
  } while (0)

#define SGMM_CHECK(cond, ...) SGMM_CHECK_AS(ValueError, cond, __VA_ARGS__)
#define SGMM_CHECK_SHAPE(cond, ...) SGMM_CHECK_AS(ShapeError, cond, __VA_ARGS__)
#define SGMM_CHECK_DTYPE(cond, ...) SGMM_CHECK_AS(DTypeError, cond, __VA_ARGS__)
#define SGMM_CHECK_DEVICE(cond, ...) SGMM_CHECK_AS(DeviceError, cond, __VA_ARGS__)
