#pragma once
// Runs a generic lambda with the C++ element type of a ScalarType, and
// converts single elements between types the way torch does.

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "sgmm/dtype.hpp"
#include "sgmm/error.hpp"

namespace sgmm {

template <typename T>
struct TypeTag {
  using type = T;
};

// The C++ constant that names dtype, for the fix in error messages:
// "sgmm::kFloat32".
constexpr const char* dtype_constant_name(ScalarType dtype) {
  switch (dtype) {
    case ScalarType::Float32: return "sgmm::kFloat32";
    case ScalarType::Float64: return "sgmm::kFloat64";
    case ScalarType::BFloat16: return "sgmm::kBFloat16";
    case ScalarType::Float16: return "sgmm::kFloat16";
    case ScalarType::Int8: return "sgmm::kInt8";
    case ScalarType::Int32: return "sgmm::kInt32";
    case ScalarType::Int64: return "sgmm::kInt64";
    case ScalarType::Bool: return "sgmm::kBool";
  }
  return "?";
}

// f(TypeTag<T>{}) for the element type T of dtype.
template <typename F>
decltype(auto) visit_dtype(ScalarType dtype, F&& f) {
  switch (dtype) {
    case ScalarType::Float32: return f(TypeTag<float>{});
    case ScalarType::Float64: return f(TypeTag<double>{});
    case ScalarType::BFloat16: return f(TypeTag<BFloat16>{});
    case ScalarType::Float16: return f(TypeTag<Half>{});
    case ScalarType::Int8: return f(TypeTag<int8_t>{});
    case ScalarType::Int32: return f(TypeTag<int32_t>{});
    case ScalarType::Int64: return f(TypeTag<int64_t>{});
    case ScalarType::Bool: return f(TypeTag<bool>{});
  }
  throw ValueError("unknown dtype");
}

// The same for the four floating dtypes only; DTypeError (naming op) otherwise.
template <typename F>
decltype(auto) visit_floating_dtype(ScalarType dtype, const char* op, F&& f) {
  switch (dtype) {
    case ScalarType::Float32: return f(TypeTag<float>{});
    case ScalarType::Float64: return f(TypeTag<double>{});
    case ScalarType::BFloat16: return f(TypeTag<BFloat16>{});
    case ScalarType::Float16: return f(TypeTag<Half>{});
    default: break;
  }
  throw DTypeError(detail::str_cat(op, ": expected a floating-point tensor (float32, float64, ",
                                   "bfloat16 or float16), got ", dtype_name(dtype),
                                   "; convert it with .to(sgmm::kFloat32)"));
}

// The type arithmetic on T happens in: float for the 16-bit floats (and
// float), double for double, int64_t for the integers and bool.
template <typename T>
using compute_type_t = std::conditional_t<
    std::is_same_v<T, double>, double,
    std::conditional_t<std::is_same_v<T, float> || std::is_same_v<T, BFloat16> ||
                           std::is_same_v<T, Half>,
                       float, int64_t>>;

template <typename T>
constexpr bool is_floating_element_v = std::is_same_v<compute_type_t<T>, float> ||
                                       std::is_same_v<compute_type_t<T>, double>;

// Converts one element. Floats to integers truncate toward zero and saturate
// at the integer's limits (NaN gives 0), so no value is undefined behaviour;
// anything to bool is "!= 0".
template <typename To, typename From>
To convert_element(From value) {
  if constexpr (std::is_same_v<To, From>) {
    return value;
  } else if constexpr (std::is_same_v<To, bool>) {
    if constexpr (is_floating_element_v<From>) {
      return static_cast<compute_type_t<From>>(value) != 0;
    } else {
      return value != 0;
    }
  } else if constexpr (is_floating_element_v<From> && !is_floating_element_v<To>) {
    double v = static_cast<double>(static_cast<compute_type_t<From>>(value));
    if (std::isnan(v)) return To(0);
    // -min is 2^(bits-1), exact in double; anything >= it saturates.
    constexpr double upper = -static_cast<double>(std::numeric_limits<To>::min());
    if (v >= upper) return std::numeric_limits<To>::max();
    if (v <= static_cast<double>(std::numeric_limits<To>::min()))
      return std::numeric_limits<To>::min();
    return static_cast<To>(v);
  } else if constexpr (std::is_same_v<To, BFloat16> || std::is_same_v<To, Half>) {
    if constexpr (std::is_same_v<From, double>) {
      return To(static_cast<float>(value));
    } else {
      return To(static_cast<float>(static_cast<compute_type_t<From>>(value)));
    }
  } else if constexpr (std::is_same_v<From, BFloat16> || std::is_same_v<From, Half>) {
    return static_cast<To>(static_cast<float>(value));
  } else {
    return static_cast<To>(value);
  }
}

// Reads one element at p as a double (int64 values beyond 2^53 round).
inline double element_as_double(const void* p, ScalarType dtype) {
  return visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    return convert_element<double>(*static_cast<const T*>(p));
  });
}

}  // namespace sgmm
