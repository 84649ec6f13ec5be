// Names of dtypes and devices.

#include <cstring>
#include <string>

#include "sgmm/device.hpp"
#include "sgmm/dtype.hpp"

namespace sgmm {

bool parse_dtype(const char* name, ScalarType* out) {
  if (name == nullptr) return false;
  const char* bare = std::strncmp(name, "torch.", 6) == 0 ? name + 6 : name;
  struct Alias {
    const char* name;
    ScalarType type;
  };
  static constexpr Alias kAliases[] = {
      {"float32", kFloat32}, {"float", kFloat32},  {"float64", kFloat64}, {"double", kFloat64},
      {"bfloat16", kBFloat16}, {"float16", kFloat16}, {"half", kFloat16},  {"int8", kInt8},
      {"int32", kInt32},     {"int", kInt32},      {"int64", kInt64},     {"long", kInt64},
      {"bool", kBool},
  };
  for (const Alias& alias : kAliases) {
    if (std::strcmp(bare, alias.name) == 0) {
      if (out != nullptr) *out = alias.type;
      return true;
    }
  }
  return false;
}

std::string Device::str() const {
  std::string name = is_cuda() ? "cuda" : "cpu";
  if (index_ >= 0) name += ":" + std::to_string(index_);
  return name;
}

std::ostream& operator<<(std::ostream& os, Device device) { return os << device.str(); }

}  // namespace sgmm
