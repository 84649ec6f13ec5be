#pragma once
// Element types, named as in libtorch (kFloat32 == kFloat, ...), and the two
// 16-bit float storage types. Arithmetic on BFloat16/Half happens in float.

#include <cstdint>
#include <cstring>
#include <ostream>

namespace sgmm {

enum class ScalarType : int8_t {
  Float32 = 0,
  Float64,
  BFloat16,
  Float16,
  Int8,
  Int32,
  Int64,
  Bool,
};

constexpr ScalarType kFloat32 = ScalarType::Float32;
constexpr ScalarType kFloat = ScalarType::Float32;
constexpr ScalarType kFloat64 = ScalarType::Float64;
constexpr ScalarType kDouble = ScalarType::Float64;
constexpr ScalarType kBFloat16 = ScalarType::BFloat16;
constexpr ScalarType kFloat16 = ScalarType::Float16;
constexpr ScalarType kHalf = ScalarType::Float16;
constexpr ScalarType kInt8 = ScalarType::Int8;
constexpr ScalarType kChar = ScalarType::Int8;
constexpr ScalarType kInt32 = ScalarType::Int32;
constexpr ScalarType kInt = ScalarType::Int32;
constexpr ScalarType kInt64 = ScalarType::Int64;
constexpr ScalarType kLong = ScalarType::Int64;
constexpr ScalarType kBool = ScalarType::Bool;

constexpr size_t element_size(ScalarType t) {
  switch (t) {
    case ScalarType::Float32: return 4;
    case ScalarType::Float64: return 8;
    case ScalarType::BFloat16: return 2;
    case ScalarType::Float16: return 2;
    case ScalarType::Int8: return 1;
    case ScalarType::Int32: return 4;
    case ScalarType::Int64: return 8;
    case ScalarType::Bool: return 1;
  }
  return 0;
}

constexpr bool is_floating_point(ScalarType t) {
  return t == ScalarType::Float32 || t == ScalarType::Float64 ||
         t == ScalarType::BFloat16 || t == ScalarType::Float16;
}

// The torch name without the "torch." prefix: "float32", "bfloat16", "int64".
constexpr const char* dtype_name(ScalarType t) {
  switch (t) {
    case ScalarType::Float32: return "float32";
    case ScalarType::Float64: return "float64";
    case ScalarType::BFloat16: return "bfloat16";
    case ScalarType::Float16: return "float16";
    case ScalarType::Int8: return "int8";
    case ScalarType::Int32: return "int32";
    case ScalarType::Int64: return "int64";
    case ScalarType::Bool: return "bool";
  }
  return "unknown";
}

// Parses a torch dtype name ("float32", "float", "torch.float32", "half", ...).
// Returns false for an unknown name.
bool parse_dtype(const char* name, ScalarType* out);

inline std::ostream& operator<<(std::ostream& os, ScalarType t) { return os << dtype_name(t); }

// bfloat16: the upper half of a float32. Conversion rounds to nearest even
// and keeps NaN a (quiet) NaN.
struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  BFloat16(float value) : bits(round_from_float(value)) {}  // NOLINT: implicit like torch
  operator float() const {                                   // NOLINT
    uint32_t u = static_cast<uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
  }
  static BFloat16 from_bits(uint16_t b) {
    BFloat16 v;
    v.bits = b;
    return v;
  }
  static uint16_t round_from_float(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
    uint32_t rounding_bias = 0x7fffu + ((u >> 16) & 1u);
    return static_cast<uint16_t>((u + rounding_bias) >> 16);
  }
};

// IEEE binary16. Conversion rounds to nearest even, overflows to infinity and
// keeps subnormals.
struct Half {
  uint16_t bits = 0;
  Half() = default;
  Half(float value) : bits(round_from_float(value)) {}  // NOLINT: implicit like torch
  operator float() const { return to_float(bits); }      // NOLINT
  static Half from_bits(uint16_t b) {
    Half v;
    v.bits = b;
    return v;
  }
  static float to_float(uint16_t h) {
    uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t u;
    if (exponent == 0x1f) {
      u = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent == 0) {
      if (mantissa == 0) {
        u = sign;
      } else {
        // Subnormal half: normalise into a float32.
        int shift = 0;
        while ((mantissa & 0x400u) == 0) {
          mantissa <<= 1;
          ++shift;
        }
        mantissa &= 0x3ffu;
        u = sign | (static_cast<uint32_t>(127 - 15 + 1 - shift) << 23) | (mantissa << 13);
      }
    } else {
      u = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
  }
  static uint16_t round_from_float(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
    uint32_t abs = u & 0x7fffffffu;
    if (abs > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
    if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to >= 65520: inf
    if (abs < 0x38800000u) {
      // Result is subnormal (or zero) in half: shift the implicit-one mantissa.
      if (abs < 0x33000000u) return sign;  // below half the smallest subnormal
      uint32_t exponent = abs >> 23;
      uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;
      uint32_t shift = 126 - exponent;  // 14 + (127 - 15) - exponent + ... keeps 10 bits
      uint32_t result = mantissa >> shift;
      uint32_t remainder = mantissa & ((1u << shift) - 1u);
      uint32_t halfway = 1u << (shift - 1);
      if (remainder > halfway || (remainder == halfway && (result & 1u))) ++result;
      return static_cast<uint16_t>(sign | result);
    }
    uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1u);
    return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
  }
};

// Maps a C++ element type to its ScalarType: scalar_type_of<float>() == kFloat32.
template <typename T>
constexpr ScalarType scalar_type_of();
template <> constexpr ScalarType scalar_type_of<float>() { return kFloat32; }
template <> constexpr ScalarType scalar_type_of<double>() { return kFloat64; }
template <> constexpr ScalarType scalar_type_of<BFloat16>() { return kBFloat16; }
template <> constexpr ScalarType scalar_type_of<Half>() { return kFloat16; }
template <> constexpr ScalarType scalar_type_of<int8_t>() { return kInt8; }
template <> constexpr ScalarType scalar_type_of<int32_t>() { return kInt32; }
template <> constexpr ScalarType scalar_type_of<int64_t>() { return kInt64; }
template <> constexpr ScalarType scalar_type_of<bool>() { return kBool; }

}  // namespace sgmm
