#pragma once
// How the kernels combine a tile's sums with C, decided once per tile.

#include <cmath>
#include <type_traits>

#include "cpu/microkernels.hpp"

namespace sgmm::cpu {
// Internal to each kernel file that includes it: those are compiled with
// different ISA flags, so no inline function may be shared between them.
namespace {

// C's stores may alias the epilogue as far as the compiler knows, so
// testing its fields row by row re-reads and re-tests them after every
// store (up to 8% of a 10x64x10 product in a stand-alone test); the store
// code is instead compiled once per mode.
enum class StoreMode { kPlain, kScaled, kAdd, kScaledAdd };

inline StoreMode store_mode(const KernelEpilogue& epilogue) {
  if (epilogue.add_to_c) return epilogue.scale_is_one ? StoreMode::kAdd : StoreMode::kScaledAdd;
  return epilogue.scale_is_one ? StoreMode::kPlain : StoreMode::kScaled;
}

template <StoreMode Mode>
using StoreModeTag = std::integral_constant<StoreMode, Mode>;

// Calls store(StoreModeTag<mode>{}) with the epilogue's mode as a constant,
// so `store` is compiled once per mode (use decltype(tag)::value).
template <typename Store>
inline __attribute__((always_inline)) void with_store_mode(const KernelEpilogue& epilogue,
                                                           Store&& store) {
  switch (store_mode(epilogue)) {
    case StoreMode::kPlain:
      return store(StoreModeTag<StoreMode::kPlain>{});
    case StoreMode::kScaled:
      return store(StoreModeTag<StoreMode::kScaled>{});
    case StoreMode::kAdd:
      return store(StoreModeTag<StoreMode::kAdd>{});
    case StoreMode::kScaledAdd:
      return store(StoreModeTag<StoreMode::kScaledAdd>{});
  }
}

// One sum combined with C's old value at c in the given mode, as the
// kernels' vector stores combine a lane (for sums stored one at a time).
template <StoreMode Mode, typename T>
inline __attribute__((always_inline)) T combine_1(T sum, const T* c, T scale) {
  if constexpr (Mode == StoreMode::kPlain) return sum;
  if constexpr (Mode == StoreMode::kScaled) return sum * scale;
  if constexpr (Mode == StoreMode::kAdd) return *c + sum;
  return std::fma(sum, scale, *c);
}

}  // namespace
}  // namespace sgmm::cpu
