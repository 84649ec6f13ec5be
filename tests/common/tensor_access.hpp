#pragma once
// Element-level access to a Tensor of any floating dtype through its sizes
// and strides, done by the tests themselves so that a reference never leans
// on the code it checks (no contiguous(), to() or copy_() of the library).

#include <cstdint>
#include <random>
#include <sgmm/sgmm.hpp>
#include <string>
#include <vector>

namespace sgmm::testing {

// The value at element offset (in elements, from data_ptr()) of a
// floating-point tensor's storage, widened to double.
double load_as_double(const Tensor& tensor, int64_t element_offset);
// Rounds value to the tensor's dtype (as a float32 first for bf16/f16, the
// library's own conversion) and stores it at element offset.
void store_from_double(const Tensor& tensor, int64_t element_offset, double value);

// Element offsets of every logical element, in row-major order of the sizes.
std::vector<int64_t> element_offsets(const Tensor& tensor);

// Every element in row-major logical order, widened to double.
std::vector<double> values_of(const Tensor& tensor);
// Writes values (row-major logical order, one per element) into the tensor.
void assign_values(const Tensor& tensor, const std::vector<double>& values);

// The raw bytes of every element in row-major logical order: two tensors of
// one dtype hold the same bits exactly when these are equal (memcmp).
std::vector<uint8_t> element_bytes(const Tensor& tensor);
// The bytes of the whole memory block behind a contiguous tensor, padding
// included when the tensor is a view into a larger contiguous base.
std::vector<uint8_t> contiguous_bytes(const Tensor& contiguous_base);

// value rounded to dtype and widened back: what storing it would keep.
double round_to_dtype(double value, ScalarType dtype);

// Machine epsilon (distance from 1 to the next value) and smallest positive
// subnormal of a floating dtype.
double epsilon_of(ScalarType dtype);
double smallest_subnormal_of(ScalarType dtype);

// Fills a tensor with independent uniform values in [low, high), rounded to its dtype.
void fill_uniform(const Tensor& tensor, std::mt19937_64& rng, double low, double high);
// Fills a tensor with uniform integers in [low, high], exact in every floating dtype.
void fill_small_integers(const Tensor& tensor, std::mt19937_64& rng, int low, int high);

// "[2, 3]" for sizes or strides.
std::string format_ints(IntArrayRef values);

}  // namespace sgmm::testing
