#include "tensor/random.hpp"

#include <cmath>
#include <mutex>

#include "sgmm/factory.hpp"
#include "tensor/dtype_dispatch.hpp"

namespace sgmm {
namespace {

// torch's default seed, so an unseeded program is reproducible too.
constexpr uint64_t kDefaultSeed = 67280421310721ull;

class Generator {
 public:
  void seed(uint64_t seed) { state_ = seed; }
  // splitmix64 (Steele, Lea, Flood 2014): a counter through a bijective mixer.
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double next_double() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  std::mutex mutex;

 private:
  uint64_t state_ = kDefaultSeed;
};

Generator& global_generator() {
  static Generator generator;
  return generator;
}

// The mantissa bits (with the implicit one) a uniform sample of T can hold exactly.
template <typename T>
constexpr int uniform_bits() {
  if constexpr (std::is_same_v<T, double>) return 53;
  if constexpr (std::is_same_v<T, float>) return 24;
  if constexpr (std::is_same_v<T, Half>) return 11;
  return 8;  // BFloat16
}

}  // namespace

void manual_seed(uint64_t seed) {
  Generator& generator = global_generator();
  std::lock_guard<std::mutex> lock(generator.mutex);
  generator.seed(seed);
}

void fill_normal(const Tensor& out) {
  visit_floating_dtype(out.scalar_type(), "randn", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* data = static_cast<T*>(out.data_ptr());
    int64_t numel = out.numel();
    Generator& generator = global_generator();
    std::lock_guard<std::mutex> lock(generator.mutex);
    constexpr double kTwoPi = 6.283185307179586476925286766559;
    for (int64_t i = 0; i < numel; i += 2) {
      // 1 - u lies in (0, 1], so the log is finite.
      double radius = std::sqrt(-2.0 * std::log(1.0 - generator.next_double()));
      double angle = kTwoPi * generator.next_double();
      data[i] = convert_element<T>(radius * std::cos(angle));
      if (i + 1 < numel) data[i + 1] = convert_element<T>(radius * std::sin(angle));
    }
  });
}

void fill_uniform(const Tensor& out) {
  visit_floating_dtype(out.scalar_type(), "rand", [&](auto tag) {
    using T = typename decltype(tag)::type;
    constexpr int bits = uniform_bits<T>();
    const double unit = std::ldexp(1.0, -bits);
    T* data = static_cast<T*>(out.data_ptr());
    Generator& generator = global_generator();
    std::lock_guard<std::mutex> lock(generator.mutex);
    for (int64_t i = 0; i < out.numel(); ++i)
      data[i] = convert_element<T>(static_cast<double>(generator.next() >> (64 - bits)) * unit);
  });
}

}  // namespace sgmm
