// Every invalid call throws the documented exception type (DESIGN.md
// section 5) with a message that names the function and the sizes, leaves
// a caller's out untouched, and never crashes the process.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <sgmm/sgmm.hpp>
#include <string>
#include <vector>

#include "../common/tensor_access.hpp"

namespace {

using namespace sgmm::testing;
namespace F = sgmm::nn::functional;
using sgmm::Tensor;

const char* error_type_name(const sgmm::Error& error) {
  if (dynamic_cast<const sgmm::ShapeError*>(&error)) return "ShapeError";
  if (dynamic_cast<const sgmm::DTypeError*>(&error)) return "DTypeError";
  if (dynamic_cast<const sgmm::DeviceError*>(&error)) return "DeviceError";
  if (dynamic_cast<const sgmm::ValueError*>(&error)) return "ValueError";
  return "sgmm::Error";
}

// Runs call and checks that it throws ExpectedError whose message holds every fragment.
template <typename ExpectedError>
void expect_error(const std::string& what, const std::function<void()>& call,
                  const std::vector<std::string>& fragments) {
  try {
    call();
  } catch (const ExpectedError& error) {
    const std::string message = error.what();
    for (const std::string& fragment : fragments)
      EXPECT_NE(message.find(fragment), std::string::npos)
          << what << ": message \"" << message << "\" lacks \"" << fragment << "\"";
    return;
  } catch (const sgmm::Error& error) {
    ADD_FAILURE() << what << ": threw " << error_type_name(error) << " (\"" << error.what()
                  << "\"), expected another type";
    return;
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << ": threw a non-sgmm exception: " << error.what();
    return;
  }
  ADD_FAILURE() << what << ": did not throw";
}

Tensor randn_of(sgmm::IntArrayRef sizes, sgmm::ScalarType dtype = sgmm::kFloat32) {
  Tensor t = sgmm::empty(sizes, sgmm::TensorOptions().dtype(dtype));
  std::mt19937_64 rng(static_cast<uint64_t>(sizes.size()) * 31 + 7);
  fill_uniform(t, rng, -1, 1);
  return t;
}

// Exact in every floating dtype (bfloat16 keeps 8 significant bits).
constexpr double kSentinel = -768.0;

Tensor sentinel_out(sgmm::IntArrayRef sizes, sgmm::ScalarType dtype = sgmm::kFloat32) {
  return sgmm::full(sizes, kSentinel, sgmm::TensorOptions().dtype(dtype));
}

void expect_all_sentinel(const Tensor& out, const std::string& what) {
  for (double v : values_of(out)) {
    ASSERT_EQ(v, kSentinel) << what << ": out was written by a call that failed";
  }
}

// ---- the attention-shaped mistake ---------------------------------------------

TEST(ScaledGroupedMMErrors, AttentionWithKNotTransposedNamesTheFix) {
  const Tensor q = randn_of({32, 10, 64});
  const Tensor k = randn_of({32, 10, 64});
  const std::string expected =
      "scaled_grouped_mm: inner dimensions differ: input is [32, 10, 64] (k = 64) but weight is "
      "[32, 10, 64] (k = 10); weight must be [batch, k, n] -- for Q @ K^T pass K.transpose(1, 2)";
  const double scale = 1.0 / std::sqrt(64.0);
  const std::function<void()> calls[] = {
      [&] { F::scaled_grouped_mm(q, k, scale); },
      [&] { F::scaled_grouped_mm(q, k, sgmm::tensor(scale)); },
      [&] { F::scaled_grouped_mm(q, k, F::ScaledGroupedMMFuncOptions().scale(scale)); },
      [&] { F::scaled_grouped_mm(q, k); },
  };
  for (const auto& call : calls) {
    try {
      call();
      ADD_FAILURE() << "Q @ K with K not transposed did not throw";
    } catch (const sgmm::ShapeError& error) {
      EXPECT_EQ(std::string(error.what()), expected);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw the wrong type: " << error.what();
    }
  }
  // The out form fails the same way, before writing anything.
  Tensor out = sentinel_out({32, 10, 64});
  expect_error<sgmm::ShapeError>("scaled_grouped_mm_out(Q, K)",
                                 [&] { F::scaled_grouped_mm_out(out, q, k, scale); },
                                 {"inner dimensions differ", "[32, 10, 64]", "K.transpose(1, 2)"});
  expect_all_sentinel(out, "scaled_grouped_mm_out(Q, K)");
  // And with K transposed, as the message says, it works.
  EXPECT_EQ(F::scaled_grouped_mm(q, k.transpose(1, 2), scale).sizes(),
            sgmm::IntArrayRef({32, 10, 10}));
}

// ---- shapes -------------------------------------------------------------------

TEST(ScaledGroupedMMErrors, RanksOtherThanThreeAreShapeErrors) {
  struct Case {
    std::vector<int64_t> input, weight;
    std::string fragment;
  };
  const Case cases[] = {
      {{10, 64}, {2, 64, 5}, "[10, 64]"},
      {{2, 10, 64}, {64, 5}, "[64, 5]"},
      {{1, 2, 10, 64}, {2, 64, 5}, "[1, 2, 10, 64]"},
      {{2, 10, 64}, {1, 2, 64, 5}, "[1, 2, 64, 5]"},
      {{64}, {64}, "[64]"},
      {{}, {2, 3, 4}, "[]"},
  };
  for (const Case& c : cases) {
    const std::string what =
        "scaled_grouped_mm " + format_ints(c.input) + " x " + format_ints(c.weight);
    const Tensor input = randn_of(c.input), weight = randn_of(c.weight);
    expect_error<sgmm::ShapeError>(what, [&] { F::scaled_grouped_mm(input, weight, 0.5); },
                                   {"scaled_grouped_mm", c.fragment});
  }
}

TEST(ScaledGroupedMMErrors, BatchMismatchIsAShapeError) {
  const Tensor input = randn_of({2, 3, 4}), weight = randn_of({3, 4, 5});
  expect_error<sgmm::ShapeError>("batch 2 vs 3", [&] { F::scaled_grouped_mm(input, weight, 2.0); },
                                 {"scaled_grouped_mm", "[2, 3, 4]", "[3, 4, 5]"});
  // Batch 1 is not broadcast either: scaled_grouped_mm takes exactly [b, *, *] twice.
  const Tensor one = randn_of({1, 4, 5});
  expect_error<sgmm::ShapeError>("batch 2 vs 1", [&] { F::scaled_grouped_mm(input, one, 2.0); },
                                 {"scaled_grouped_mm", "[1, 4, 5]"});
}

TEST(ScaledGroupedMMErrors, InnerDimensionMismatchIsAShapeError) {
  const Tensor input = randn_of({2, 3, 4}), weight = randn_of({2, 5, 6});
  expect_error<sgmm::ShapeError>(
      "k 4 vs 5", [&] { F::scaled_grouped_mm(input, weight, 2.0); },
      {"scaled_grouped_mm", "inner dimensions differ", "[2, 3, 4]", "[2, 5, 6]"});
}

// ---- dtypes -------------------------------------------------------------------

TEST(ScaledGroupedMMErrors, MixedDtypesAreDTypeErrors) {
  const Tensor f32 = randn_of({2, 3, 3}, sgmm::kFloat32);
  const Tensor f64 = randn_of({2, 3, 3}, sgmm::kFloat64);
  const Tensor bf16 = randn_of({2, 3, 3}, sgmm::kBFloat16);
  expect_error<sgmm::DTypeError>("float32 x float64", [&] { F::scaled_grouped_mm(f32, f64, 1.0); },
                                 {"scaled_grouped_mm", "float32", "float64"});
  expect_error<sgmm::DTypeError>("bfloat16 x float32",
                                 [&] { F::scaled_grouped_mm(bf16, f32, 0.5); },
                                 {"scaled_grouped_mm", "bfloat16", "float32"});
}

TEST(ScaledGroupedMMErrors, IntegerAndBoolDtypesAreDTypeErrors) {
  for (sgmm::ScalarType dtype : {sgmm::kInt8, sgmm::kInt32, sgmm::kInt64, sgmm::kBool}) {
    const Tensor a = sgmm::zeros({2, 3, 4}, sgmm::TensorOptions().dtype(dtype));
    const Tensor w = sgmm::zeros({2, 4, 5}, sgmm::TensorOptions().dtype(dtype));
    expect_error<sgmm::DTypeError>(std::string("scaled_grouped_mm of ") + sgmm::dtype_name(dtype),
                                   [&] { F::scaled_grouped_mm(a, w, 2.0); },
                                   {"scaled_grouped_mm", sgmm::dtype_name(dtype)});
    expect_error<sgmm::DTypeError>(std::string("bmm of ") + sgmm::dtype_name(dtype),
                                   [&] { sgmm::bmm(a, w); }, {"bmm", sgmm::dtype_name(dtype)});
  }
}

// ---- undefined tensors and bad scales ---------------------------------------------

TEST(ScaledGroupedMMErrors, UndefinedTensorsAreValueErrors) {
  const Tensor defined = randn_of({2, 3, 3});
  const Tensor undefined;
  expect_error<sgmm::ValueError>("undefined input",
                                 [&] { F::scaled_grouped_mm(undefined, defined, 1.0); },
                                 {"scaled_grouped_mm", "undefined"});
  expect_error<sgmm::ValueError>("undefined weight",
                                 [&] { F::scaled_grouped_mm(defined, undefined, 1.0); },
                                 {"scaled_grouped_mm", "undefined"});
  expect_error<sgmm::ValueError>("undefined bmm operand", [&] { sgmm::bmm(defined, undefined); },
                                 {"bmm", "undefined"});
  expect_error<sgmm::ValueError>("undefined matmul operand",
                                 [&] { sgmm::matmul(undefined, defined); },
                                 {"matmul", "undefined"});
}

TEST(ScaledGroupedMMErrors, ScaleTensorMustBeAZeroDimFloat) {
  const Tensor a = randn_of({2, 3, 4}), w = randn_of({2, 4, 5});
  for (const std::vector<int64_t>& sizes :
       std::vector<std::vector<int64_t>>{{1}, {2}, {1, 1}, {2, 1, 1}}) {
    const Tensor scale = randn_of(sizes);
    expect_error<sgmm::ShapeError>("scale of sizes " + format_ints(sizes),
                                   [&] { F::scaled_grouped_mm(a, w, scale); },
                                   {"scaled_grouped_mm", "scale", format_ints(sizes)});
    expect_error<sgmm::ShapeError>(
        "options.scale of sizes " + format_ints(sizes),
        [&] { F::scaled_grouped_mm(a, w, F::ScaledGroupedMMFuncOptions().scale(scale)); },
        {"scaled_grouped_mm", "scale"});
  }
  for (sgmm::ScalarType dtype : {sgmm::kInt64, sgmm::kInt32, sgmm::kBool}) {
    const Tensor scale = sgmm::zeros({}, sgmm::TensorOptions().dtype(dtype));
    expect_error<sgmm::DTypeError>(std::string("scale of dtype ") + sgmm::dtype_name(dtype),
                                   [&] { F::scaled_grouped_mm(a, w, scale); },
                                   {"scaled_grouped_mm", "scale", sgmm::dtype_name(dtype)});
  }
  Tensor out = sentinel_out({2, 3, 5});
  const Tensor bad_scale = randn_of({3});
  expect_error<sgmm::ShapeError>("scaled_grouped_mm_out with a 1-d scale",
                                 [&] {
                                   F::scaled_grouped_mm_out(
                                       out, a, w, F::ScaledGroupedMMFuncOptions().scale(bad_scale));
                                 },
                                 {"scale"});
  expect_all_sentinel(out, "scaled_grouped_mm_out with a 1-d scale");
}

// ---- out ------------------------------------------------------------------------

TEST(ScaledGroupedMMOutErrors, WrongShapeOrDtypeLeavesOutUntouched) {
  const Tensor a = randn_of({2, 3, 4}), w = randn_of({2, 4, 5});
  for (const std::vector<int64_t>& sizes : std::vector<std::vector<int64_t>>{
           {2, 3, 4}, {2, 5, 3}, {1, 3, 5}, {3, 5}, {2, 3, 5, 1}, {30}}) {
    Tensor out = sentinel_out(sizes);
    expect_error<sgmm::ShapeError>("out of sizes " + format_ints(sizes),
                                   [&] { F::scaled_grouped_mm_out(out, a, w, 2.0); },
                                   {"scaled_grouped_mm", format_ints(sizes), "[2, 3, 5]"});
    expect_all_sentinel(out, "out of sizes " + format_ints(sizes));
  }
  for (sgmm::ScalarType dtype : {sgmm::kFloat64, sgmm::kBFloat16, sgmm::kFloat16}) {
    Tensor out = sentinel_out({2, 3, 5}, dtype);
    expect_error<sgmm::DTypeError>(std::string("out of dtype ") + sgmm::dtype_name(dtype),
                                   [&] { F::scaled_grouped_mm_out(out, a, w, 2.0); },
                                   {"scaled_grouped_mm", sgmm::dtype_name(dtype), "float32"});
    expect_all_sentinel(out, std::string("out of dtype ") + sgmm::dtype_name(dtype));
  }
  Tensor int_out = sgmm::full({2, 3, 5}, 9, sgmm::TensorOptions().dtype(sgmm::kInt32));
  expect_error<sgmm::DTypeError>("int32 out", [&] { F::scaled_grouped_mm_out(int_out, a, w, 2.0); },
                                 {"scaled_grouped_mm", "int32"});
  Tensor undefined_out;
  expect_error<sgmm::ValueError>("undefined out",
                                 [&] { F::scaled_grouped_mm_out(undefined_out, a, w, 2.0); },
                                 {"scaled_grouped_mm", "undefined"});
}

// error.hpp files overlap under ShapeError ("sizes that do not fit together
// (rank, batch, inner dimension, overlap)").
TEST(ScaledGroupedMMOutErrors, OutOverlappingAnInputIsAShapeError) {
  // Square problems, so out could alias an input exactly.
  Tensor a = randn_of({2, 4, 4}), w = randn_of({2, 4, 4});
  const std::vector<uint8_t> a_before = element_bytes(a), w_before = element_bytes(w);
  expect_error<sgmm::ShapeError>("out is input", [&] { F::scaled_grouped_mm_out(a, a, w, 2.0); },
                                 {"scaled_grouped_mm", "overlap"});
  expect_error<sgmm::ShapeError>("out is weight", [&] { F::scaled_grouped_mm_out(w, a, w, 2.0); },
                                 {"scaled_grouped_mm", "overlap"});
  EXPECT_EQ(element_bytes(a), a_before) << "a failed call wrote into input";
  EXPECT_EQ(element_bytes(w), w_before) << "a failed call wrote into weight";

  // A transposed alias and a partial overlap inside one block of memory.
  Tensor a_transposed = a.transpose(1, 2);
  expect_error<sgmm::ShapeError>("out is input transposed",
                                 [&] { F::scaled_grouped_mm_out(a_transposed, a, w, 2.0); },
                                 {"scaled_grouped_mm", "overlap"});
  Tensor block = sgmm::full({3, 4, 4}, kSentinel);
  const Tensor input = block.narrow(0, 0, 2);  // batches 0 and 1
  Tensor out = block.narrow(0, 1, 2);          // batches 1 and 2: shares batch 1
  expect_error<sgmm::ShapeError>("out partly overlaps input",
                                 [&] { F::scaled_grouped_mm_out(out, input, w, 2.0); },
                                 {"scaled_grouped_mm", "overlap"});
  expect_all_sentinel(block, "out partly overlapping input");
  // Disjoint parts of one block are fine.
  Tensor disjoint_block = sgmm::full({4, 4, 4}, kSentinel);
  const Tensor disjoint_input = disjoint_block.narrow(0, 0, 2);
  Tensor disjoint_out = disjoint_block.narrow(0, 2, 2);
  F::scaled_grouped_mm_out(disjoint_out, disjoint_input, w, 2.0);
  EXPECT_NE(values_of(disjoint_out)[0], kSentinel);
}

TEST(ScaledGroupedMMOutErrors, OutWithZeroStridesIsRejected) {
  // An out whose elements share memory is an overlap of out with itself:
  // error.hpp files overlaps under ShapeError; a ValueError ("any other
  // invalid argument") is accepted too, as DESIGN.md names no type for it.
  const Tensor a = randn_of({2, 3, 4}), w = randn_of({2, 4, 5});
  struct Case {
    const char* what;
    std::vector<int64_t> base;
  };
  const Case cases[] = {{"out expanded from one element", {1, 1, 1}},
                        {"out with row stride 0", {2, 1, 5}},
                        {"out with column stride 0", {2, 3, 1}},
                        {"out with batch stride 0", {1, 3, 5}}};
  for (const Case& c : cases) {
    Tensor base = sentinel_out(c.base);
    Tensor out = base.expand({2, 3, 5});
    try {
      F::scaled_grouped_mm_out(out, a, w, 2.0);
      ADD_FAILURE() << c.what << ": did not throw";
    } catch (const sgmm::Error& error) {
      const bool shape_or_value = dynamic_cast<const sgmm::ShapeError*>(&error) != nullptr ||
                                  dynamic_cast<const sgmm::ValueError*>(&error) != nullptr;
      EXPECT_TRUE(shape_or_value) << c.what << ": threw " << error_type_name(error);
      EXPECT_NE(std::string(error.what()).find("scaled_grouped_mm"), std::string::npos)
          << error.what();
      EXPECT_NE(std::string(error.what()).find("strides"), std::string::npos) << error.what();
    }
    expect_all_sentinel(base, c.what);
  }
}

// ---- sizes ------------------------------------------------------------------------

TEST(ScaledGroupedMMErrors, OutputSizeOverflowIsAValueError) {
  // Expanded operands cost no memory, but their product would have 2^64 elements.
  const int64_t big = int64_t{1} << 21;
  const Tensor a = sgmm::ones({1, 1, 1}).expand({big, big, 1});
  const Tensor w = sgmm::ones({1, 1, 1}).expand({big, 1, int64_t{1} << 22});
  expect_error<sgmm::ValueError>("2^64-element result", [&] { F::scaled_grouped_mm(a, w, 2.0); },
                                 {});
  expect_error<sgmm::ValueError>("2^64-element bmm", [&] { sgmm::bmm(a, w); }, {});
}

TEST(CreationErrors, NegativeOrOverflowingSizesAreValueErrors) {
  expect_error<sgmm::ValueError>("negative size", [] { sgmm::empty({2, -1}); }, {"-1"});
  const int64_t big = int64_t{1} << 40;
  expect_error<sgmm::ValueError>("2^80 elements", [&] { sgmm::empty({big, big}); }, {});
  expect_error<sgmm::ValueError>("2^80 elements of zeros", [&] { sgmm::zeros({big, big}); }, {});
}

// ---- bmm and matmul -----------------------------------------------------------------

TEST(BmmErrors, WrongRankBatchOrInnerDimension) {
  expect_error<sgmm::ShapeError>("bmm rank 2",
                                 [] {
                                   sgmm::bmm(randn_of({3, 4}), randn_of({2, 4, 5}));
                                 },
                                 {"bmm", "[3, 4]"});
  expect_error<sgmm::ShapeError>("bmm batch",
                                 [] {
                                   sgmm::bmm(randn_of({2, 3, 4}), randn_of({3, 4, 5}));
                                 },
                                 {"bmm", "[2, 3, 4]", "[3, 4, 5]"});
  expect_error<sgmm::ShapeError>("bmm inner",
                                 [] {
                                   sgmm::bmm(randn_of({2, 3, 4}), randn_of({2, 5, 6}));
                                 },
                                 {"bmm", "[2, 3, 4]", "[2, 5, 6]"});
  expect_error<sgmm::DTypeError>(
      "bmm dtypes",
      [] {
        sgmm::bmm(randn_of({2, 3, 4}), randn_of({2, 4, 5}, sgmm::kFloat64));
      },
      {"bmm", "float32", "float64"});
}

TEST(MatmulErrors, ZeroDimInnerOrBatchMismatch) {
  expect_error<sgmm::ShapeError>(
      "matmul of a 0-d tensor", [] { sgmm::matmul(sgmm::tensor(2.0), randn_of({3})); }, {"matmul"});
  expect_error<sgmm::ShapeError>("matmul 1-d inner",
                                 [] { sgmm::matmul(randn_of({3}), randn_of({4})); },
                                 {"matmul", "[3]", "[4]"});
  expect_error<sgmm::ShapeError>("matmul 2-d inner",
                                 [] {
                                   sgmm::matmul(randn_of({2, 3}), randn_of({4, 5}));
                                 },
                                 {"matmul", "[2, 3]", "[4, 5]"});
  expect_error<sgmm::ShapeError>("matmul batch not broadcastable",
                                 [] {
                                   sgmm::matmul(randn_of({2, 3, 4}), randn_of({3, 4, 5}));
                                 },
                                 {"matmul", "broadcast"});
  expect_error<sgmm::DTypeError>("matmul dtypes",
                                 [] {
                                   sgmm::matmul(randn_of({3, 4}), randn_of({4}, sgmm::kFloat16));
                                 },
                                 {"matmul", "float32", "float16"});
}

// ---- elementwise --------------------------------------------------------------------

TEST(ElementwiseErrors, ShapesThatDoNotBroadcastAndMixedDtypes) {
  const Tensor a = randn_of({2, 3}), b = randn_of({4});
  expect_error<sgmm::ShapeError>("add [2, 3] + [4]", [&] { sgmm::add(a, b); }, {"[2, 3]", "[4]"});
  expect_error<sgmm::ShapeError>("mul [2, 3] * [4]", [&] { (void)(a * b); }, {"[2, 3]", "[4]"});
  const Tensor c = randn_of({2, 3}, sgmm::kFloat64);
  expect_error<sgmm::DTypeError>("sub float32 - float64", [&] { sgmm::sub(a, c); },
                                 {"float32", "float64"});
  expect_error<sgmm::DTypeError>("div float32 / float64", [&] { (void)(a / c); },
                                 {"float32", "float64"});
}

// ---- autograd -------------------------------------------------------------------------

TEST(AutogradErrors, SecondBackwardWithoutRetainGraphIsAValueError) {
  const Tensor a = randn_of({2, 3, 4}).requires_grad_(true);
  const Tensor w = randn_of({2, 4, 5}).requires_grad_(true);
  const Tensor loss =
      F::scaled_grouped_mm(a, w, sgmm::tensor(0.5, sgmm::TensorOptions().requires_grad(true)))
          .sum();
  loss.backward();
  expect_error<sgmm::ValueError>("second backward", [&] { loss.backward(); }, {"retain_graph"});
}

TEST(AutogradErrors, BackwardNeedsAScalarOrAGradientOfTheRightShape) {
  const Tensor a = randn_of({2, 3}).requires_grad_(true);
  const Tensor y = a * 2.0;
  expect_error<sgmm::ValueError>("backward of a non-scalar without gradient", [&] { y.backward(); },
                                 {});
  expect_error<sgmm::ShapeError>("backward with a gradient of the wrong shape",
                                 [&] {
                                   y.backward(randn_of({3, 2}));
                                 },
                                 {"[3, 2]", "[2, 3]"});
  const Tensor constant = randn_of({2});
  expect_error<sgmm::ValueError>("backward of a tensor that does not require grad",
                                 [&] { constant.sum().backward(); }, {});
}

// ---- devices ---------------------------------------------------------------------------

TEST(DeviceErrors, CudaTensorsAreRejectedInACpuOnlyBuild) {
  expect_error<sgmm::DeviceError>(
      "empty on cuda",
      [] {
        sgmm::empty({2, 2}, sgmm::TensorOptions().device(sgmm::Device(sgmm::kCUDA, 0)));
      },
      {"cuda"});
}

// ---- views: invalid arguments throw, never crash --------------------------------------

TEST(ViewErrors, BadDimsAndIndicesThrow) {
  const Tensor t = randn_of({2, 3, 4});
  const std::function<void()> calls[] = {
      [&] { t.transpose(0, 3); },
      [&] { t.transpose(-4, 0); },
      [&] {
        t.permute({0, 1});
      },
      [&] {
        t.permute({0, 0, 1});
      },
      [&] { t.select(1, 3); },
      [&] { t.select(1, -4); },
      [&] { t.narrow(2, 3, 2); },
      [&] { t.narrow(2, 0, 5); },
      [&] { t.narrow(2, -5, 1); },
      [&] {
        t.view({5, 5});
      },
      [&] { t.transpose(0, 2).view({24}); },
      [&] {
        t.reshape({7, -1});
      },
      [&] {
        t.expand({2, 5, 4});
      },
      [&] {
        t.expand({3, 4});
      },
      [&] { t.sum(3); },
      [&] { t.mean(-4); },
      [&] { t.size(3); },
      [&] { t.item<float>(); },
  };
  int index = 0;
  for (const auto& call : calls) {
    EXPECT_THROW(call(), sgmm::Error) << "invalid view call #" << index;
    ++index;
  }
}

}  // namespace
