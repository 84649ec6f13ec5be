#pragma once
// A number that remembers whether it was written as an integer, a float or a
// bool, so full({2}, 7) makes int64 and full({2}, 7.0) makes float32 (torch's rule).

#include <cstdint>
#include <type_traits>

namespace sgmm {

class Scalar {
 public:
  enum class Kind : int8_t { Integral, Floating, Boolean };

  Scalar() : Scalar(int64_t{0}) {}
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
  Scalar(T value) {  // NOLINT: implicit, like at::Scalar
    if constexpr (std::is_same_v<T, bool>) {
      kind_ = Kind::Boolean;
      integral_ = value ? 1 : 0;
      floating_ = integral_;
    } else if constexpr (std::is_integral_v<T>) {
      kind_ = Kind::Integral;
      integral_ = static_cast<int64_t>(value);
      floating_ = static_cast<double>(value);
    } else {
      kind_ = Kind::Floating;
      floating_ = static_cast<double>(value);
      integral_ = 0;
    }
  }

  Kind kind() const { return kind_; }
  bool is_integral() const { return kind_ == Kind::Integral; }
  bool is_floating_point() const { return kind_ == Kind::Floating; }
  bool is_boolean() const { return kind_ == Kind::Boolean; }
  double to_double() const { return floating_; }
  // Exact for integral scalars; truncates a floating one.
  int64_t to_int64() const {
    return kind_ == Kind::Floating ? static_cast<int64_t>(floating_) : integral_;
  }

 private:
  Kind kind_;
  int64_t integral_;
  double floating_;
};

}  // namespace sgmm
