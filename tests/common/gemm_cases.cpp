#include "gemm_cases.hpp"

#include <cstdlib>
#include <limits>
#include <sstream>

#include "cpu/dispatch.hpp"
#include "tensor_access.hpp"

namespace sgmm::testing {

namespace F = sgmm::nn::functional;

const double kScales[4] = {1.0, 0.125, -3.0, 0.0};
const ScalarType kFloatDtypes[4] = {kFloat32, kFloat64, kBFloat16, kFloat16};

const char* layout_name(OperandLayout layout) {
  switch (layout) {
    case OperandLayout::Contiguous:
      return "contiguous";
    case OperandLayout::Transposed:
      return "transposed";
    case OperandLayout::PaddedRows:
      return "padded-rows";
    case OperandLayout::BatchExpanded:
      return "batch-expanded";
    case OperandLayout::TransposedExpanded:
      return "transposed-expanded";
    case OperandLayout::BatchInterleaved:
      return "batch-interleaved";
    case OperandLayout::SelectedFromFourD:
      return "selected-from-4d";
    case OperandLayout::TransposedPadded:
      return "transposed-padded";
    case OperandLayout::EveryOtherColumn:
      return "every-other-column";
  }
  return "unknown";
}

const char* call_form_name(CallForm form) {
  switch (form) {
    case CallForm::DoubleScale:
      return "scaled_grouped_mm(double)";
    case CallForm::TensorScale:
      return "scaled_grouped_mm(0-d tensor)";
    case CallForm::OptionsDoubleScale:
      return "scaled_grouped_mm(options.scale(double))";
    case CallForm::OptionsTensorScale:
      return "scaled_grouped_mm(options.scale(tensor))";
    case CallForm::OutContiguous:
      return "scaled_grouped_mm_out(contiguous out)";
    case CallForm::OutTransposed:
      return "scaled_grouped_mm_out(transposed out)";
    case CallForm::OutInterleaved:
      return "scaled_grouped_mm_out(batch-interleaved out)";
  }
  return "unknown";
}

Tensor make_operand(int64_t batch, int64_t rows, int64_t cols, ScalarType dtype,
                    OperandLayout layout, std::mt19937_64& rng, bool small_integers) {
  const TensorOptions options = TensorOptions().dtype(dtype);
  // Padding of a few elements (odd, so rows do not stay aligned).
  const int64_t pad = 3;
  Tensor base;
  Tensor view;
  switch (layout) {
    case OperandLayout::Contiguous:
      base = empty({batch, rows, cols}, options);
      view = base;
      break;
    case OperandLayout::Transposed:
      base = empty({batch, cols, rows}, options);
      view = base.transpose(1, 2);
      break;
    case OperandLayout::PaddedRows:
      base = empty({batch, rows, cols + pad}, options);
      view = base.narrow(2, 1, cols);
      break;
    case OperandLayout::BatchExpanded:
      base = empty({1, rows, cols}, options);
      view = base.expand({batch, rows, cols});
      break;
    case OperandLayout::TransposedExpanded:
      base = empty({1, cols, rows}, options);
      view = base.transpose(1, 2).expand({batch, rows, cols});
      break;
    case OperandLayout::BatchInterleaved:
      base = empty({rows, batch, cols}, options);
      view = base.permute({1, 0, 2});
      break;
    case OperandLayout::SelectedFromFourD:
      base = empty({batch, 2, rows, cols}, options);
      view = base.select(1, 1);
      break;
    case OperandLayout::TransposedPadded:
      base = empty({batch, cols, rows + pad}, options);
      view = base.narrow(2, 2, rows).transpose(1, 2);
      break;
    case OperandLayout::EveryOtherColumn:
      base = empty({batch, rows, cols, 2}, options);
      view = base.select(3, 0);
      break;
  }
  if (small_integers) {
    fill_small_integers(base, rng, -4, 4);
  } else {
    fill_uniform(base, rng, -1.0, 1.0);
  }
  return view;
}

std::string GemmCase::describe() const {
  std::ostringstream os;
  os << "seed " << seed << ": input [" << batch << ", " << m << ", " << k << "] ("
     << layout_name(input_layout) << ") @ weight [" << batch << ", " << k << ", " << n << "] ("
     << layout_name(weight_layout) << "), dtype " << dtype << ", scale " << scale << ", via "
     << call_form_name(form);
  return os.str();
}

namespace {

// Sizes at and around the edges of every tile and block a kernel may use
// (register tiles of 4..32 rows or columns, unrolls of 4 or 8 in k), primes,
// and the degenerate 1. Zero is drawn separately (draw_gemm_case).
const int64_t kEdgeSizes[] = {1,  2,  3,  4,  5,  7,  8,  9,  11, 13, 14, 15, 16,  17,  23,  24,
                              28, 29, 31, 32, 33, 47, 48, 49, 63, 64, 65, 97, 127, 128, 129, 130};

int64_t draw_size(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(0, 99);
  const int choice = pick(rng);
  int64_t size;
  if (choice < 45) {
    std::uniform_int_distribution<size_t> edge(0, std::size(kEdgeSizes) - 1);
    size = kEdgeSizes[edge(rng)];
  } else if (choice < 85) {
    size = std::uniform_int_distribution<int64_t>(1, 64)(rng);
  } else if (choice < 98) {
    size = std::uniform_int_distribution<int64_t>(65, 130)(rng);
  } else {
    size = std::uniform_int_distribution<int64_t>(131, 300)(rng);
  }
  return size;
}

}  // namespace

GemmCase draw_gemm_case(uint64_t seed) {
  std::mt19937_64 rng(seed);
  GemmCase c;
  c.seed = seed;
  c.m = draw_size(rng);
  c.n = draw_size(rng);
  c.k = draw_size(rng);
  const int batch_choice = std::uniform_int_distribution<int>(0, 19)(rng);
  c.batch = batch_choice == 0 ? 5 : batch_choice < 10 ? 1 : batch_choice < 17 ? 2 : 3;
  // One case in twelve has a zero size, in each of batch, m, n and k in turn.
  switch (std::uniform_int_distribution<int>(0, 47)(rng)) {
    case 0:
      c.batch = 0;
      break;
    case 1:
      c.m = 0;
      break;
    case 2:
      c.n = 0;
      break;
    case 3:
      c.k = 0;
      break;
    default:
      break;
  }
  // Keep one case's work small enough that thousands run in seconds.
  const int64_t kMaxMultiplyAdds = int64_t{3} << 20;
  while (c.batch * c.m * c.n * c.k > kMaxMultiplyAdds) {
    if (c.m >= c.n && c.m >= c.k)
      c.m = c.m / 2 + 1;
    else if (c.n >= c.k)
      c.n = c.n / 2 + 1;
    else
      c.k = c.k / 2 + 1;
  }
  c.dtype = kFloatDtypes[std::uniform_int_distribution<int>(0, 3)(rng)];
  c.scale = kScales[std::uniform_int_distribution<int>(0, 3)(rng)];
  c.input_layout = static_cast<OperandLayout>(
      std::uniform_int_distribution<int>(0, kOperandLayoutCount - 1)(rng));
  c.weight_layout = static_cast<OperandLayout>(
      std::uniform_int_distribution<int>(0, kOperandLayoutCount - 1)(rng));
  c.form = static_cast<CallForm>(std::uniform_int_distribution<int>(0, kCallFormCount - 1)(rng));
  return c;
}

Tensor run_scaled_grouped_mm(const GemmCase& gemm_case, const Tensor& input, const Tensor& weight) {
  const TensorOptions options = TensorOptions().dtype(gemm_case.dtype);
  switch (gemm_case.form) {
    case CallForm::DoubleScale:
      return F::scaled_grouped_mm(input, weight, gemm_case.scale);
    case CallForm::TensorScale:
      return F::scaled_grouped_mm(input, weight,
                                  tensor(gemm_case.scale, TensorOptions().dtype(kFloat64)));
    case CallForm::OptionsDoubleScale:
      return F::scaled_grouped_mm(input, weight,
                                  F::ScaledGroupedMMFuncOptions().scale(gemm_case.scale));
    case CallForm::OptionsTensorScale:
      return F::scaled_grouped_mm(input, weight,
                                  F::ScaledGroupedMMFuncOptions().scale(
                                      tensor(gemm_case.scale, TensorOptions().dtype(kFloat32))));
    case CallForm::OutContiguous: {
      Tensor out = full({gemm_case.batch, gemm_case.m, gemm_case.n},
                        std::numeric_limits<double>::quiet_NaN(), options);
      F::scaled_grouped_mm_out(out, input, weight, gemm_case.scale);
      return out;
    }
    case CallForm::OutTransposed: {
      Tensor base = full({gemm_case.batch, gemm_case.n, gemm_case.m},
                         std::numeric_limits<double>::quiet_NaN(), options);
      Tensor out = base.transpose(1, 2);
      F::scaled_grouped_mm_out(out, input, weight,
                               F::ScaledGroupedMMFuncOptions().scale(gemm_case.scale));
      return out;
    }
    case CallForm::OutInterleaved: {
      Tensor base = full({gemm_case.m, gemm_case.batch, gemm_case.n},
                         std::numeric_limits<double>::quiet_NaN(), options);
      Tensor out = base.permute({1, 0, 2});
      F::scaled_grouped_mm_out(out, input, weight, gemm_case.scale);
      return out;
    }
  }
  throw ValueError("run_scaled_grouped_mm: unknown call form");
}

uint64_t base_seed() {
  if (const char* text = std::getenv("SGMM_TEST_SEED")) return std::strtoull(text, nullptr, 10);
  return 20261127;
}

ForcedKernelConfig::ForcedKernelConfig(const std::string& name) {
  sgmm::cpu::force_kernel_config(name);
}

ForcedKernelConfig::~ForcedKernelConfig() { sgmm::cpu::reset_kernel_config(); }

}  // namespace sgmm::testing
