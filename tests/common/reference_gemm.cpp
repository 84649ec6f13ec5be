#include "reference_gemm.hpp"

#include <algorithm>
#include <cmath>

#include "tensor_access.hpp"

namespace sgmm::testing {

ReferenceProduct reference_bmm(const Tensor& a, const Tensor& b, double scale) {
  ReferenceProduct product;
  product.batch = a.size(0);
  product.m = a.size(1);
  product.k = a.size(2);
  product.n = b.size(2);
  const std::vector<double> a_values = values_of(a);
  const std::vector<double> b_values = values_of(b);
  const int64_t m = product.m, n = product.n, k = product.k;
  product.values.assign(static_cast<size_t>(product.batch * m * n), 0.0);
  product.absolute_sums.assign(product.values.size(), 0.0);
  for (int64_t p = 0; p < product.batch; ++p) {
    const double* a_p = a_values.data() + p * m * k;
    const double* b_p = b_values.data() + p * k * n;
    double* out = product.values.data() + p * m * n;
    double* magnitude = product.absolute_sums.data() + p * m * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t l = 0; l < k; ++l) {
        const double a_il = a_p[i * k + l];
        for (int64_t j = 0; j < n; ++j) {
          const double term = a_il * b_p[l * n + j];
          out[i * n + j] += term;
          magnitude[i * n + j] += std::fabs(term);
        }
      }
    }
    for (int64_t e = 0; e < m * n; ++e) out[e] *= scale;
  }
  return product;
}

ScalarType accumulation_dtype_of(ScalarType dtype) {
  return dtype == kFloat64 ? kFloat64 : kFloat32;
}

ErrorBound ErrorBound::for_dtype(ScalarType dtype) {
  ErrorBound bound;
  bound.output_dtype = dtype;
  bound.accumulation_epsilon = epsilon_of(accumulation_dtype_of(dtype));
  bound.output_epsilon = epsilon_of(dtype);
  bound.output_subnormal = smallest_subnormal_of(dtype);
  return bound;
}

double ErrorBound::at(int64_t k, double scale, double absolute_sum, double reference) const {
  return kSummationFactor * static_cast<double>(k) * accumulation_epsilon * std::fabs(scale) *
             absolute_sum +
         output_epsilon * std::fabs(reference) + output_subnormal;
}

ReferenceMatmul reference_matmul(const Tensor& a, const Tensor& b) {
  // Promote 1-D operands to matrices as torch does, remembering which
  // dimension to drop from the result afterwards.
  std::vector<int64_t> a_sizes = a.sizes().vec();
  std::vector<int64_t> b_sizes = b.sizes().vec();
  const bool a_is_vector = a_sizes.size() == 1;
  const bool b_is_vector = b_sizes.size() == 1;
  if (a_is_vector) a_sizes.insert(a_sizes.begin(), 1);
  if (b_is_vector) b_sizes.push_back(1);
  const int64_t m = a_sizes[a_sizes.size() - 2];
  const int64_t k = a_sizes.back();
  const int64_t n = b_sizes.back();

  const std::vector<int64_t> a_batch(a_sizes.begin(), a_sizes.end() - 2);
  const std::vector<int64_t> b_batch(b_sizes.begin(), b_sizes.end() - 2);
  const size_t batch_rank = std::max(a_batch.size(), b_batch.size());
  std::vector<int64_t> batch(batch_rank, 1);
  for (size_t d = 0; d < batch_rank; ++d) {
    const int64_t from_a =
        d + a_batch.size() >= batch_rank ? a_batch[d + a_batch.size() - batch_rank] : 1;
    const int64_t from_b =
        d + b_batch.size() >= batch_rank ? b_batch[d + b_batch.size() - batch_rank] : 1;
    batch[d] = from_a == 1 ? from_b : from_a;
  }
  int64_t batch_count = 1;
  for (int64_t s : batch) batch_count *= s;

  const std::vector<double> a_values = values_of(a);
  const std::vector<double> b_values = values_of(b);
  ReferenceMatmul result;
  result.k = k;
  result.values.assign(static_cast<size_t>(batch_count * m * n), 0.0);
  result.absolute_sums.assign(result.values.size(), 0.0);

  // Linear index of a broadcast batch position inside an operand's own batch dims.
  auto operand_batch_index = [&](const std::vector<int64_t>& operand_batch, int64_t linear) {
    std::vector<int64_t> position(batch_rank);
    for (size_t d = batch_rank; d-- > 0;) {
      position[d] = linear % batch[d];
      linear /= batch[d];
    }
    int64_t index = 0;
    const size_t offset = batch_rank - operand_batch.size();
    for (size_t d = 0; d < operand_batch.size(); ++d) {
      const int64_t size = operand_batch[d];
      index = index * size + (size == 1 ? 0 : position[d + offset]);
    }
    return index;
  };

  for (int64_t p = 0; p < batch_count; ++p) {
    const double* a_p = a_values.data() + operand_batch_index(a_batch, p) * m * k;
    const double* b_p = b_values.data() + operand_batch_index(b_batch, p) * k * n;
    double* out = result.values.data() + p * m * n;
    double* magnitude = result.absolute_sums.data() + p * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t l = 0; l < k; ++l)
        for (int64_t j = 0; j < n; ++j) {
          const double term = a_p[i * k + l] * b_p[l * n + j];
          out[i * n + j] += term;
          magnitude[i * n + j] += std::fabs(term);
        }
  }

  result.sizes = batch;
  if (!a_is_vector) result.sizes.push_back(m);
  if (!b_is_vector) result.sizes.push_back(n);
  return result;
}

::testing::AssertionResult matches_reference_bmm(const Tensor& out, const Tensor& a,
                                                 const Tensor& b, double scale) {
  const std::vector<int64_t> expected_sizes = {a.size(0), a.size(1), b.size(2)};
  if (out.sizes() != IntArrayRef(expected_sizes) || out.scalar_type() != a.scalar_type())
    return ::testing::AssertionFailure()
           << "output has sizes " << out.sizes() << " and dtype " << out.scalar_type()
           << ", expected " << IntArrayRef(expected_sizes) << " and " << a.scalar_type();
  const ReferenceProduct reference = reference_bmm(a, b, scale);
  const std::vector<double> got = values_of(out);
  const ErrorBound bound = ErrorBound::for_dtype(a.scalar_type());
  for (size_t e = 0; e < got.size(); ++e) {
    const double allowed =
        bound.at(reference.k, scale, reference.absolute_sums[e], reference.values[e]);
    if (!(std::fabs(got[e] - reference.values[e]) <= allowed)) {
      const int64_t n = reference.n, m = reference.m;
      const int64_t linear = static_cast<int64_t>(e);
      return ::testing::AssertionFailure()
             << "at [" << linear / (m * n) << ", " << linear / n % m << ", " << linear % n
             << "]: expected " << reference.values[e] << ", got " << got[e] << " (bound " << allowed
             << "); a " << a.sizes() << " strides " << a.strides() << ", b " << b.sizes()
             << " strides " << b.strides() << ", dtype " << a.scalar_type() << ", scale " << scale;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult matches_reference_matmul(const Tensor& out, const Tensor& a,
                                                    const Tensor& b) {
  const ReferenceMatmul reference = reference_matmul(a, b);
  if (out.sizes() != IntArrayRef(reference.sizes) || out.scalar_type() != a.scalar_type())
    return ::testing::AssertionFailure()
           << "matmul of " << a.sizes() << " and " << b.sizes() << " gave sizes " << out.sizes()
           << " and dtype " << out.scalar_type() << ", expected " << IntArrayRef(reference.sizes)
           << " and " << a.scalar_type();
  const std::vector<double> got = values_of(out);
  const ErrorBound bound = ErrorBound::for_dtype(a.scalar_type());
  for (size_t e = 0; e < got.size(); ++e) {
    const double allowed =
        bound.at(reference.k, 1.0, reference.absolute_sums[e], reference.values[e]);
    if (!(std::fabs(got[e] - reference.values[e]) <= allowed))
      return ::testing::AssertionFailure()
             << "matmul of " << a.sizes() << " and " << b.sizes() << ": element " << e
             << " expected " << reference.values[e] << ", got " << got[e] << " (bound " << allowed
             << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace sgmm::testing
