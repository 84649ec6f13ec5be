#pragma once
// Grad mode switches. The graph itself (autograd::Node and the engine) is
// internal; users see requires_grad, backward() and grad() on Tensor.

#include <vector>

#include "sgmm/tensor.hpp"

namespace sgmm {

// Whether operations on this thread record a graph (true by default).
bool is_grad_enabled();
void set_grad_enabled(bool enabled);

// Disables graph recording for its lifetime on this thread (torch.no_grad()).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

namespace autograd {
// Backpropagates from several roots at once (torch.autograd.backward).
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grads = {},
              bool retain_graph = false);
}  // namespace autograd

}  // namespace sgmm
