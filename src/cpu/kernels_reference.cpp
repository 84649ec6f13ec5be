// Portable C++ micro-kernels and packing: the reference every vector kernel
// is tested against, and the path for CPUs without AVX2. Compiled without
// ISA flags. The sum over k runs in order, one multiply-add per step, from 0.
#include <cstring>

#include "cpu/microkernels.hpp"
#include "sgmm/dtype.hpp"

namespace sgmm::cpu {
namespace {

struct CopyValue {
  template <typename T>
  T operator()(T v) const {
    return v;
  }
};
struct WidenBf16 {
  float operator()(uint16_t v) const { return BFloat16::from_bits(v); }
};
struct WidenF16 {
  float operator()(uint16_t v) const { return Half::to_float(v); }
};

template <int R, typename Src, typename Dst, typename Convert>
void pack_panels(const void* src_void, int64_t row_stride, int64_t k_stride, int64_t rows,
                 int64_t k, void* dst_void) {
  const Src* src = static_cast<const Src*>(src_void);
  Dst* dst = static_cast<Dst*>(dst_void);
  Convert convert;
  for (int64_t r0 = 0; r0 < rows; r0 += R) {
    const int64_t height = rows - r0 < R ? rows - r0 : R;
    for (int64_t p = 0; p < k; ++p) {
      for (int64_t r = 0; r < height; ++r) {
        dst[r] = convert(src[(r0 + r) * row_stride + p * k_stride]);
      }
      for (int64_t r = height; r < R; ++r) dst[r] = Dst(0);
      dst += R;
    }
  }
}

template <int MR, int NR, typename T>
void gemm_reference(int64_t k, const void* a_void, const void* b_void, void* c_void, int64_t rs_c,
                    int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  const T* a = static_cast<const T*>(a_void);
  const T* b = static_cast<const T*>(b_void);
  T acc[MR][NR] = {};
  for (int64_t p = 0; p < k; ++p) {
    for (int i = 0; i < MR; ++i) {
      for (int j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    }
    a += MR;
    b += NR;
  }
  if constexpr (sizeof(T) == 4) {
    store_tile_f32(&acc[0][0], NR, static_cast<T*>(c_void), rs_c, cs_c, m, n, epilogue);
  } else {
    store_tile_f64(&acc[0][0], NR, static_cast<T*>(c_void), rs_c, cs_c, m, n, epilogue);
  }
}

}  // namespace

void gemm_f32_4x8_reference(int64_t k, const void* a, const void* b, void* c, int64_t rs_c,
                            int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  gemm_reference<4, 8, float>(k, a, b, c, rs_c, cs_c, m, n, epilogue);
}
void gemm_f64_4x4_reference(int64_t k, const void* a, const void* b, void* c, int64_t rs_c,
                            int64_t cs_c, int m, int n, const KernelEpilogue& epilogue) {
  gemm_reference<4, 4, double>(k, a, b, c, rs_c, cs_c, m, n, epilogue);
}

void pack_f32_4_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_panels<4, float, float, CopyValue>(s, rs, ks, rows, k, d);
}
void pack_f32_8_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_panels<8, float, float, CopyValue>(s, rs, ks, rows, k, d);
}
void pack_f64_4_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k, void* d) {
  pack_panels<4, double, double, CopyValue>(s, rs, ks, rows, k, d);
}
void pack_bf16_to_f32_4_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                                  void* d) {
  pack_panels<4, uint16_t, float, WidenBf16>(s, rs, ks, rows, k, d);
}
void pack_bf16_to_f32_8_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                                  void* d) {
  pack_panels<8, uint16_t, float, WidenBf16>(s, rs, ks, rows, k, d);
}
void pack_f16_to_f32_4_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                                 void* d) {
  pack_panels<4, uint16_t, float, WidenF16>(s, rs, ks, rows, k, d);
}
void pack_f16_to_f32_8_reference(const void* s, int64_t rs, int64_t ks, int64_t rows, int64_t k,
                                 void* d) {
  pack_panels<8, uint16_t, float, WidenF16>(s, rs, ks, rows, k, d);
}

}  // namespace sgmm::cpu
