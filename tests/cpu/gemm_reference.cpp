#include "gemm_reference.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "sgmm/dtype.hpp"

namespace sgmm::cpu::testing {
namespace {

// A pattern no computed value takes by accident: a NaN with a payload.
constexpr unsigned char kSentinelByte = 0x7f;

bool is_prime(int64_t v) {
  if (v < 2) return false;
  for (int64_t d = 2; d * d <= v; ++d) {
    if (v % d == 0) return false;
  }
  return true;
}

int64_t next_prime(int64_t v) {
  while (!is_prime(v)) ++v;
  return v;
}

}  // namespace

const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::kRowMajor:
      return "row-major";
    case Layout::kColumnMajor:
      return "column-major";
    case Layout::kStrided:
      return "strided";
  }
  return "?";
}

const char* dtype_name(GemmDType dtype) {
  switch (dtype) {
    case GemmDType::f32:
      return "f32";
    case GemmDType::f64:
      return "f64";
    case GemmDType::bf16:
      return "bf16";
    case GemmDType::f16:
      return "f16";
  }
  return "?";
}

double dtype_epsilon(GemmDType dtype) {
  switch (dtype) {
    case GemmDType::f32:
      return std::numeric_limits<float>::epsilon();
    case GemmDType::f64:
      return std::numeric_limits<double>::epsilon();
    case GemmDType::bf16:
      return 1.0 / 128.0;
    case GemmDType::f16:
      return 1.0 / 1024.0;
  }
  return 0.0;
}

double round_to_dtype(GemmDType dtype, double value) {
  switch (dtype) {
    case GemmDType::f32:
      return static_cast<float>(value);
    case GemmDType::f64:
      return value;
    case GemmDType::bf16:
      return static_cast<float>(BFloat16(static_cast<float>(value)));
    case GemmDType::f16:
      return static_cast<float>(Half(static_cast<float>(value)));
  }
  return value;
}

TestMatrices::TestMatrices(GemmDType dtype, int64_t batch, int64_t rows, int64_t cols,
                           Layout layout, bool batch_stride_zero)
    : dtype_(dtype), batch_(batch), rows_(rows), cols_(cols) {
  switch (layout) {
    case Layout::kRowMajor:
      col_stride_ = 1;
      row_stride_ = next_prime(std::max<int64_t>(cols, 1) + 1);
      break;
    case Layout::kColumnMajor:
      row_stride_ = 1;
      col_stride_ = next_prime(std::max<int64_t>(rows, 1) + 1);
      break;
    case Layout::kStrided:
      col_stride_ = 2;
      row_stride_ = next_prime(2 * std::max<int64_t>(cols, 1) + 1);
      break;
  }
  const int64_t span =
      rows > 0 && cols > 0 ? (rows - 1) * row_stride_ + (cols - 1) * col_stride_ + 1 : 0;
  batch_stride_ = batch_stride_zero ? 0 : next_prime(span + 1);
  const int64_t entries = batch_stride_zero ? std::min<int64_t>(batch, 1) : batch;
  const int64_t slots = entries > 0 ? (entries - 1) * batch_stride_ + span : 0;
  const size_t elem = gemm_dtype_size(dtype);
  bytes_.assign(static_cast<size_t>(slots) * elem + 2 * padding_bytes(), kSentinelByte);
  addressed_.assign(static_cast<size_t>(slots), false);
  for (int64_t p = 0; p < entries; ++p) {
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < cols; ++j) {
        addressed_[static_cast<size_t>(p * batch_stride_ + i * row_stride_ + j * col_stride_)] =
            true;
      }
    }
  }
}

size_t TestMatrices::offset(int64_t p, int64_t i, int64_t j) const {
  return padding_bytes() +
         static_cast<size_t>(p * batch_stride_ + i * row_stride_ + j * col_stride_) *
             gemm_dtype_size(dtype_);
}

double TestMatrices::get(int64_t p, int64_t i, int64_t j) const {
  const unsigned char* at = bytes_.data() + offset(p, i, j);
  switch (dtype_) {
    case GemmDType::f32: {
      float v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    case GemmDType::f64: {
      double v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    case GemmDType::bf16: {
      uint16_t v;
      std::memcpy(&v, at, sizeof v);
      return static_cast<float>(BFloat16::from_bits(v));
    }
    case GemmDType::f16: {
      uint16_t v;
      std::memcpy(&v, at, sizeof v);
      return static_cast<float>(Half::from_bits(v));
    }
  }
  return 0.0;
}

uint64_t TestMatrices::bits(int64_t p, int64_t i, int64_t j) const {
  uint64_t v = 0;
  std::memcpy(&v, bytes_.data() + offset(p, i, j), gemm_dtype_size(dtype_));
  return v;
}

void TestMatrices::set(int64_t p, int64_t i, int64_t j, double value) {
  unsigned char* at = bytes_.data() + offset(p, i, j);
  switch (dtype_) {
    case GemmDType::f32: {
      const float v = static_cast<float>(value);
      std::memcpy(at, &v, sizeof v);
      break;
    }
    case GemmDType::f64:
      std::memcpy(at, &value, sizeof value);
      break;
    case GemmDType::bf16: {
      const uint16_t v = BFloat16(static_cast<float>(value)).bits;
      std::memcpy(at, &v, sizeof v);
      break;
    }
    case GemmDType::f16: {
      const uint16_t v = Half(static_cast<float>(value)).bits;
      std::memcpy(at, &v, sizeof v);
      break;
    }
  }
}

void TestMatrices::fill_integers(std::mt19937& rng, int range) {
  std::uniform_int_distribution<int> dist(-range, range);
  const int64_t entries = batch_stride_ == 0 ? std::min<int64_t>(batch_, 1) : batch_;
  for (int64_t p = 0; p < entries; ++p)
    for (int64_t i = 0; i < rows_; ++i)
      for (int64_t j = 0; j < cols_; ++j) set(p, i, j, dist(rng));
}

void TestMatrices::fill_reals(std::mt19937& rng) {
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  const int64_t entries = batch_stride_ == 0 ? std::min<int64_t>(batch_, 1) : batch_;
  for (int64_t p = 0; p < entries; ++p)
    for (int64_t i = 0; i < rows_; ++i)
      for (int64_t j = 0; j < cols_; ++j) set(p, i, j, dist(rng));
}

void TestMatrices::fill_value(double value) {
  const int64_t entries = batch_stride_ == 0 ? std::min<int64_t>(batch_, 1) : batch_;
  for (int64_t p = 0; p < entries; ++p)
    for (int64_t i = 0; i < rows_; ++i)
      for (int64_t j = 0; j < cols_; ++j) set(p, i, j, value);
}

bool TestMatrices::sentinels_intact() const {
  const size_t elem = gemm_dtype_size(dtype_);
  for (size_t b = 0; b < padding_bytes(); ++b) {
    if (bytes_[b] != kSentinelByte || bytes_[bytes_.size() - 1 - b] != kSentinelByte) return false;
  }
  for (size_t slot = 0; slot < addressed_.size(); ++slot) {
    if (addressed_[slot]) continue;
    for (size_t b = 0; b < elem; ++b) {
      if (bytes_[padding_bytes() + slot * elem + b] != kSentinelByte) return false;
    }
  }
  return true;
}

std::vector<double> reference_product(const TestMatrices& a, const TestMatrices& b,
                                      const TestMatrices& c_before, const Epilogue& epilogue) {
  const int64_t batch = c_before.batch(), m = c_before.rows(), n = c_before.cols(), k = a.cols();
  std::vector<double> out(static_cast<size_t>(batch * m * n));
  for (int64_t p = 0; p < batch; ++p) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (int64_t q = 0; q < k; ++q) sum += a.get(p, i, q) * b.get(p, q, j);
        double value = epilogue.scale * sum;
        if (epilogue.accumulate) value += c_before.get(p, i, j);
        out[static_cast<size_t>((p * m + i) * n + j)] = value;
      }
    }
  }
  return out;
}

}  // namespace sgmm::cpu::testing
