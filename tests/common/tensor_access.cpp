#include "tensor_access.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace sgmm::testing {

double load_as_double(const Tensor& tensor, int64_t element_offset) {
  const void* base = tensor.data_ptr();
  switch (tensor.scalar_type()) {
    case kFloat32:
      return static_cast<const float*>(base)[element_offset];
    case kFloat64:
      return static_cast<const double*>(base)[element_offset];
    case kBFloat16:
      return static_cast<float>(static_cast<const BFloat16*>(base)[element_offset]);
    case kFloat16:
      return static_cast<float>(static_cast<const Half*>(base)[element_offset]);
    default:
      break;
  }
  throw ValueError(detail::str_cat("load_as_double: not a floating dtype: ", tensor.scalar_type()));
}

void store_from_double(const Tensor& tensor, int64_t element_offset, double value) {
  void* base = tensor.data_ptr();
  switch (tensor.scalar_type()) {
    case kFloat32:
      static_cast<float*>(base)[element_offset] = static_cast<float>(value);
      return;
    case kFloat64:
      static_cast<double*>(base)[element_offset] = value;
      return;
    case kBFloat16:
      static_cast<BFloat16*>(base)[element_offset] = BFloat16(static_cast<float>(value));
      return;
    case kFloat16:
      static_cast<Half*>(base)[element_offset] = Half(static_cast<float>(value));
      return;
    default:
      break;
  }
  throw ValueError(
      detail::str_cat("store_from_double: not a floating dtype: ", tensor.scalar_type()));
}

std::vector<int64_t> element_offsets(const Tensor& tensor) {
  const int64_t rank = tensor.dim();
  const int64_t count = tensor.numel();
  std::vector<int64_t> offsets;
  offsets.reserve(static_cast<size_t>(count));
  if (count == 0) return offsets;
  std::vector<int64_t> index(static_cast<size_t>(rank), 0);
  const IntArrayRef sizes = tensor.sizes();
  const IntArrayRef strides = tensor.strides();
  for (int64_t e = 0; e < count; ++e) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d) offset += index[d] * strides[d];
    offsets.push_back(offset);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < sizes[d]) break;
      index[d] = 0;
    }
  }
  return offsets;
}

std::vector<double> values_of(const Tensor& tensor) {
  std::vector<double> values;
  const std::vector<int64_t> offsets = element_offsets(tensor);
  values.reserve(offsets.size());
  for (int64_t offset : offsets) values.push_back(load_as_double(tensor, offset));
  return values;
}

void assign_values(const Tensor& tensor, const std::vector<double>& values) {
  const std::vector<int64_t> offsets = element_offsets(tensor);
  if (offsets.size() != values.size())
    throw ValueError(detail::str_cat("assign_values: ", values.size(), " values for ",
                                     offsets.size(), " elements"));
  for (size_t e = 0; e < offsets.size(); ++e) store_from_double(tensor, offsets[e], values[e]);
}

std::vector<uint8_t> element_bytes(const Tensor& tensor) {
  const size_t width = element_size(tensor.scalar_type());
  const std::vector<int64_t> offsets = element_offsets(tensor);
  std::vector<uint8_t> bytes(offsets.size() * width);
  const auto* base = static_cast<const uint8_t*>(tensor.data_ptr());
  for (size_t e = 0; e < offsets.size(); ++e)
    std::memcpy(bytes.data() + e * width, base + offsets[e] * static_cast<int64_t>(width), width);
  return bytes;
}

std::vector<uint8_t> contiguous_bytes(const Tensor& contiguous_base) {
  const size_t count =
      static_cast<size_t>(contiguous_base.numel()) * element_size(contiguous_base.scalar_type());
  const auto* base = static_cast<const uint8_t*>(contiguous_base.data_ptr());
  return std::vector<uint8_t>(base, base + count);
}

double round_to_dtype(double value, ScalarType dtype) {
  switch (dtype) {
    case kFloat32:
      return static_cast<float>(value);
    case kFloat64:
      return value;
    case kBFloat16:
      return static_cast<float>(BFloat16(static_cast<float>(value)));
    case kFloat16:
      return static_cast<float>(Half(static_cast<float>(value)));
    default:
      break;
  }
  throw ValueError(detail::str_cat("round_to_dtype: not a floating dtype: ", dtype));
}

double epsilon_of(ScalarType dtype) {
  switch (dtype) {
    case kFloat32:
      return std::numeric_limits<float>::epsilon();
    case kFloat64:
      return std::numeric_limits<double>::epsilon();
    case kBFloat16:
      return std::ldexp(1.0, -7);  // 8 significant bits
    case kFloat16:
      return std::ldexp(1.0, -10);  // 11 significant bits
    default:
      break;
  }
  throw ValueError(detail::str_cat("epsilon_of: not a floating dtype: ", dtype));
}

double smallest_subnormal_of(ScalarType dtype) {
  switch (dtype) {
    case kFloat32:
      return std::numeric_limits<float>::denorm_min();
    case kFloat64:
      return std::numeric_limits<double>::denorm_min();
    case kBFloat16:
      return std::ldexp(1.0, -133);
    case kFloat16:
      return std::ldexp(1.0, -24);
    default:
      break;
  }
  throw ValueError(detail::str_cat("smallest_subnormal_of: not a floating dtype: ", dtype));
}

void fill_uniform(const Tensor& tensor, std::mt19937_64& rng, double low, double high) {
  std::uniform_real_distribution<double> uniform(low, high);
  for (int64_t offset : element_offsets(tensor)) store_from_double(tensor, offset, uniform(rng));
}

void fill_small_integers(const Tensor& tensor, std::mt19937_64& rng, int low, int high) {
  std::uniform_int_distribution<int> uniform(low, high);
  for (int64_t offset : element_offsets(tensor)) store_from_double(tensor, offset, uniform(rng));
}

std::string format_ints(IntArrayRef values) {
  std::ostringstream os;
  os << values;
  return os.str();
}

}  // namespace sgmm::testing
