// The one store path for tiles a kernel cannot write with vector stores
// (C with a column stride other than 1). It performs the vector path's
// arithmetic exactly: one rounding for acc * scale, one fused rounding for
// fma(acc, scale, C), nothing at all for scale == 1.
#include <cmath>

#include "cpu/microkernels.hpp"

namespace sgmm::cpu {
namespace {

template <typename T>
void store_tile(const T* tile, int64_t tile_stride, T* c, int64_t rs_c, int64_t cs_c, int m, int n,
                T scale, const KernelEpilogue& epilogue) {
  for (int i = 0; i < m; ++i) {
    const T* src = tile + i * tile_stride;
    T* dst = c + i * rs_c;
    for (int j = 0; j < n; ++j) {
      const T acc = src[j];
      T& out = dst[j * cs_c];
      if (epilogue.add_to_c) {
        out = epilogue.scale_is_one ? out + acc : std::fma(acc, scale, out);
      } else {
        out = epilogue.scale_is_one ? acc : acc * scale;
      }
    }
  }
}

}  // namespace

void store_tile_f32(const float* tile, int64_t tile_stride, float* c, int64_t rs_c, int64_t cs_c,
                    int m, int n, const KernelEpilogue& epilogue) {
  store_tile(tile, tile_stride, c, rs_c, cs_c, m, n, epilogue.scale_f32, epilogue);
}

void store_tile_f64(const double* tile, int64_t tile_stride, double* c, int64_t rs_c, int64_t cs_c,
                    int m, int n, const KernelEpilogue& epilogue) {
  store_tile(tile, tile_stride, c, rs_c, cs_c, m, n, epilogue.scale_f64, epilogue);
}

}  // namespace sgmm::cpu
