#include "autograd/node.hpp"

#include <mutex>

#include "sgmm/autograd.hpp"
#include "tensor/copy.hpp"
#include "tensor/release_iteratively.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm::autograd {

Node::~Node() {
  // The graph may be a very long chain: release it without recursion.
  for (Edge& edge : next_edges_) release_iteratively(std::move(edge.node));
}

SavedTensor::SavedTensor(const Tensor& tensor)
    : tensor_(tensor),
      version_(tensor.defined() ? tensor.unsafe_impl()->storage()->version() : 0) {}

const Tensor& SavedTensor::unpack(const Node& node) const {
  SGMM_CHECK(!tensor_.defined() || tensor_.unsafe_impl()->storage()->version() == version_,
             "backward: a tensor that ", node.name(), " saved for the gradient was modified ",
             "in place after it was used (by copy_, fill_, zero_ or an out= call); ",
             "use a copy (clone()) or modify it only after backward");
  return tensor_;
}

std::vector<Tensor> AccumulateGrad::apply(const Tensor& grad_output) {
  std::shared_ptr<TensorImpl> leaf = leaf_.lock();
  if (leaf == nullptr || !grad_output.defined()) return {};
  Tensor& grad = leaf->grad;
  if (!grad.defined()) {
    // Keep a private copy: the incoming tensor may be shared with another
    // leaf's gradient or a saved tensor, and the user may modify grad in place.
    grad = contiguous_copy(grad_output, leaf->dtype());
  } else {
    // Out of place: grad may be shared with a tensor the user kept.
    Tensor sum = contiguous_copy(grad, leaf->dtype());
    accumulate_elements(sum, grad_output);
    grad = sum;
  }
  return {};
}

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  if (!is_grad_enabled()) return false;
  for (const Tensor* t : inputs)
    if (t->defined() && t->requires_grad()) return true;
  return false;
}

Edge gradient_edge(const Tensor& t) {
  if (!t.defined() || !t.requires_grad()) return {};
  TensorImpl& impl = *t.unsafe_impl();
  if (impl.grad_fn != nullptr) return {impl.grad_fn};
  // Two threads may build graphs on the same leaf at once (the Node addon
  // runs calls off the event loop); they must share one accumulator.
  static std::mutex accumulator_mutex;
  std::lock_guard<std::mutex> lock(accumulator_mutex);
  std::shared_ptr<Node> accumulator = impl.grad_accumulator.lock();
  if (accumulator == nullptr) {
    accumulator = std::make_shared<AccumulateGrad>(t.impl_ptr());
    impl.grad_accumulator = accumulator;
  }
  return {accumulator};
}

void set_history(const Tensor& out, std::shared_ptr<Node> node,
                 std::initializer_list<const Tensor*> inputs) {
  std::vector<Edge> edges;
  edges.reserve(inputs.size());
  for (const Tensor* input : inputs) edges.push_back(gradient_edge(*input));
  node->set_next_edges(std::move(edges));
  out.unsafe_impl()->grad_fn = std::move(node);
}

}  // namespace sgmm::autograd
