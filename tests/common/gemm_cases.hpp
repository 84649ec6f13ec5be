#pragma once
// Randomized GEMM problems for the reference tests: sizes that hit every
// edge of the tiling, operands laid out in every way a caller can produce
// (transposed, padded rows, batch stride 0, interleaved batches), and the
// kernel configuration forced for the duration of a test.

#include <cstdint>
#include <random>
#include <sgmm/sgmm.hpp>
#include <string>
#include <vector>

namespace sgmm::testing {

// How an operand of logical sizes [batch, rows, cols] sits in memory.
enum class OperandLayout {
  Contiguous,          // plain [batch, rows, cols]
  Transposed,          // a [batch, cols, rows] tensor viewed through transpose(1, 2)
  PaddedRows,          // a narrow() of [batch, rows, cols + pad]: row stride > cols
  BatchExpanded,       // a [1, rows, cols] tensor expanded: batch stride 0
  TransposedExpanded,  // a [1, cols, rows] tensor, transposed, then expanded
  BatchInterleaved,    // a [rows, batch, cols] tensor permuted to [batch, rows, cols]
  SelectedFromFourD,   // select(1, 1) of [batch, 2, rows, cols]: gaps between batches
  TransposedPadded,    // a narrow() of [batch, cols, rows + pad], transposed: column stride > rows
  EveryOtherColumn,    // select(3, 0) of [batch, rows, cols, 2]: no unit stride at all
};
const char* layout_name(OperandLayout layout);
constexpr int kOperandLayoutCount = 9;

// A view with the requested logical sizes and layout over a fresh base
// tensor. Every element of the base (padding included) is filled with
// uniform values in [-1, 1), or with integers in [-4, 4] when
// small_integers is set.
Tensor make_operand(int64_t batch, int64_t rows, int64_t cols, ScalarType dtype,
                    OperandLayout layout, std::mt19937_64& rng, bool small_integers);

// The ways the headline operation can be called with a given scale.
enum class CallForm {
  DoubleScale,         // scaled_grouped_mm(a, w, double)
  TensorScale,         // scaled_grouped_mm(a, w, 0-d tensor)
  OptionsDoubleScale,  // scaled_grouped_mm(a, w, options.scale(double))
  OptionsTensorScale,  // scaled_grouped_mm(a, w, options.scale(tensor))
  OutContiguous,       // scaled_grouped_mm_out into a NaN-filled contiguous out
  OutTransposed,       // scaled_grouped_mm_out into a NaN-filled transposed view
  OutInterleaved,      // scaled_grouped_mm_out into a NaN-filled [m, batch, n] permuted view
};
const char* call_form_name(CallForm form);
constexpr int kCallFormCount = 7;

// One randomized problem: input [batch, m, k] @ weight [batch, k, n] * scale.
struct GemmCase {
  uint64_t seed = 0;
  int64_t batch = 0;
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  ScalarType dtype = kFloat32;
  double scale = 1;
  OperandLayout input_layout = OperandLayout::Contiguous;
  OperandLayout weight_layout = OperandLayout::Contiguous;
  CallForm form = CallForm::DoubleScale;

  std::string describe() const;
};

// The scales every test draws from: identity, an exact power of two, a
// negative non-power of two, and zero.
extern const double kScales[4];
extern const ScalarType kFloatDtypes[4];

// Draws a problem from the seed alone, so a failing case is rebuilt from its
// printed seed. Sizes mix 0, 1, primes, tile edges (multiples of 8, 16, 32,
// 64 and one either side) and uniform values up to 130, with a few larger.
GemmCase draw_gemm_case(uint64_t seed);

// Runs the case's call form; returns the output tensor ([batch, m, n]).
Tensor run_scaled_grouped_mm(const GemmCase& gemm_case, const Tensor& input, const Tensor& weight);

// The base seed of the randomized suites: SGMM_TEST_SEED when set, else a
// fixed value, so every run is reproducible and a failure can be replayed.
uint64_t base_seed();

// Forces one kernel configuration for its lifetime (dispatch.hpp), and goes
// back to the automatic choice after.
class ForcedKernelConfig {
 public:
  explicit ForcedKernelConfig(const std::string& name);
  ~ForcedKernelConfig();
  ForcedKernelConfig(const ForcedKernelConfig&) = delete;
  ForcedKernelConfig& operator=(const ForcedKernelConfig&) = delete;
};

}  // namespace sgmm::testing
