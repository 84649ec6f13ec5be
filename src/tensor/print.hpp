#pragma once
// torch's tensor repr, reproduced rule for rule from torch/_tensor_str.py:
// number formatting (fixed, integer-valued "1.", scientific), the width of
// the widest shown value, 80-column line wrapping, summarisation with "..."
// above 1000 elements, and the dtype / requires_grad / grad_fn suffixes.

#include <string>

#include "sgmm/tensor.hpp"

namespace sgmm {

// grad_fn_name is empty for a tensor without grad_fn.
std::string format_tensor(const Tensor& tensor, const std::string& grad_fn_name);

}  // namespace sgmm
