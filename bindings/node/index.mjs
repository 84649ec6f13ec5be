// ES module entry: `import torch from 'sgmm'` or named imports.
import torch from './index.js';

export default torch;
export const {
  Tensor,
  float32, float, float64, double, bfloat16, float16, half, int8, int32, int, int64, long, bool,
  randn, rand, zeros, ones, empty, full, arange, tensor, from, manual_seed,
  bmm, matmul, add, sub, mul, div, neg, sum, mean, equal, allclose,
  no_grad, enable_grad, is_grad_enabled, set_grad_enabled, set_num_threads, get_num_threads, runtime_info,
  nn,
} = torch;
