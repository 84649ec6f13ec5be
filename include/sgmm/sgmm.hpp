#pragma once
// The umbrella header: #include <sgmm/sgmm.hpp> gives the whole public API.

#include "sgmm/array_ref.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/device.hpp"
#include "sgmm/dtype.hpp"
#include "sgmm/error.hpp"
#include "sgmm/factory.hpp"
#include "sgmm/nn/functional.hpp"
#include "sgmm/ops.hpp"
#include "sgmm/runtime.hpp"
#include "sgmm/scalar.hpp"
#include "sgmm/tensor.hpp"
#include "sgmm/version.hpp"
