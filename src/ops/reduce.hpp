#pragma once
// Sums over dimensions, shared by sum/mean and the backward of broadcasting.

#include <vector>

#include "sgmm/tensor.hpp"

namespace sgmm::ops {

// Sums x over the dims where reduce[d] is true, keeping them as size 1.
// Floats accumulate in double, integers and bool in int64 (the result dtype
// for them, as in torch). A divisor other than 1 divides the double sums
// before they are rounded (mean). No autograd.
Tensor sum_dims(const Tensor& x, const std::vector<bool>& reduce, double divisor = 1.0);
// x summed down to shape: the gradient of a broadcast from shape to
// x.sizes() (leading dims and dims that were 1). Returns x when the shape
// already matches.
Tensor sum_to_shape(const Tensor& x, IntArrayRef shape);

}  // namespace sgmm::ops
