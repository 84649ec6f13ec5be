#pragma once
// The autograd graph (micrograd style). An operation's output records a Node
// whose apply() turns the gradient of that output into gradients for the
// operation's inputs; next_edges() says where each of those goes: the node
// that produced the input, or the accumulator of a leaf, or nowhere (an
// input that needs no gradient, so its whole subgraph is skipped).

#include <cstdint>
#include <memory>
#include <vector>

#include "sgmm/tensor.hpp"

namespace sgmm::autograd {

class Node;

// Where one input's gradient goes; node is null when the input needs none.
struct Edge {
  std::shared_ptr<Node> node;
};

class Node {
 public:
  virtual ~Node();
  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // torch's class name, printed as grad_fn=<BmmBackward0>.
  virtual const char* name() const = 0;
  // Gradients for the inputs, one per next edge, in the same order; an
  // undefined tensor where no gradient flows (or none is needed). Runs with
  // grad mode off.
  virtual std::vector<Tensor> apply(const Tensor& grad_output) = 0;

  const std::vector<Edge>& next_edges() const { return next_edges_; }
  void set_next_edges(std::vector<Edge> edges) { next_edges_ = std::move(edges); }
  // Whether input i's gradient is wanted: compute only those.
  bool needs_input_grad(size_t i) const {
    return i < next_edges_.size() && next_edges_[i].node != nullptr;
  }

  // Called by backward without retain_graph: saved tensors are dropped and
  // a second backward through this node becomes an error.
  virtual void release() {
    released_ = true;
    release_saved_tensors();
  }
  bool released() const { return released_; }

 protected:
  virtual void release_saved_tensors() {}

 private:
  std::vector<Edge> next_edges_;
  bool released_ = false;
};

// A tensor kept for backward, with its storage's version when it was saved.
// An in-place write to it afterwards (copy_, fill_, an out= call) would make
// the gradient silently wrong, so unpack() refuses, as torch does.
class SavedTensor {
 public:
  SavedTensor() = default;
  explicit SavedTensor(const Tensor& tensor);
  // The tensor; ValueError naming node when it was modified in place.
  const Tensor& unpack(const Node& node) const;
  void reset() { tensor_ = Tensor(); }

 private:
  Tensor tensor_;
  uint64_t version_ = 0;
};

// The gradient sink of a leaf: adds incoming gradients into leaf.grad().
class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const std::shared_ptr<TensorImpl>& leaf) : leaf_(leaf) {}
  const char* name() const override { return "AccumulateGrad"; }
  std::vector<Tensor> apply(const Tensor& grad_output) override;
  // Shared by every graph the leaf takes part in: never released.
  void release() override {}

 private:
  std::weak_ptr<TensorImpl> leaf_;
};

// ---- wiring an operation into the graph --------------------------------

// Whether an operation on these inputs records a graph: grad mode is on and
// at least one of them requires grad.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);
// The edge a gradient for t follows: t's grad_fn, t's accumulator (created
// on first use) when t is a leaf requiring grad, else none.
Edge gradient_edge(const Tensor& t);
// Makes node the grad_fn of out; node's next edges come from inputs.
void set_history(const Tensor& out, std::shared_ptr<Node> node,
                 std::initializer_list<const Tensor*> inputs);

}  // namespace sgmm::autograd
