// The backward engine: sort the graph once, iteratively, then run every
// node after all of its consumers, in a fixed order.

#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "autograd/node.hpp"
#include "sgmm/autograd.hpp"
#include "sgmm/factory.hpp"
#include "tensor/copy.hpp"
#include "tensor/shape.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace autograd {
namespace {

// Nodes reachable from roots, each before every node it feeds gradients
// into (reverse post-order of a depth-first search). An explicit stack keeps
// a 100000-node chain off the call stack; visiting edges in order makes the
// order depend only on the graph, never on addresses.
std::vector<Node*> topological_order(const std::vector<Node*>& roots) {
  std::vector<Node*> post_order;
  std::unordered_set<Node*> visited;
  struct Frame {
    Node* node;
    size_t next_edge;
  };
  std::vector<Frame> stack;
  for (Node* root : roots) {
    if (!visited.insert(root).second) continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const std::vector<Edge>& edges = frame.node->next_edges();
      if (frame.next_edge < edges.size()) {
        Node* child = edges[frame.next_edge++].node.get();
        if (child != nullptr && visited.insert(child).second) stack.push_back({child, 0});
      } else {
        post_order.push_back(frame.node);
        stack.pop_back();
      }
    }
  }
  return {post_order.rbegin(), post_order.rend()};
}

// The gradient that seeds root i: the given one (checked) or 1 for a scalar.
Tensor seed_gradient(const Tensor& root, const Tensor& given, size_t index) {
  if (!given.defined()) {
    SGMM_CHECK(root.numel() == 1, "backward: root ", index, " has shape ",
               shape_str(root.sizes()), "; a gradient can be implied only for a one-element ",
               "tensor, so pass a gradient of the same shape");
    return ones(root.sizes(), TensorOptions().dtype(root.scalar_type()));
  }
  SGMM_CHECK_SHAPE(given.sizes() == root.sizes(), "backward: the gradient for root ", index,
                   " has shape ", shape_str(given.sizes()), " but the root has shape ",
                   shape_str(root.sizes()), "; pass a gradient of the root's shape");
  SGMM_CHECK_DTYPE(given.scalar_type() == root.scalar_type(), "backward: the gradient for root ",
                   index, " is ", dtype_name(given.scalar_type()), " but the root is ",
                   dtype_name(root.scalar_type()), "; convert it with .to()");
  return given;
}

}  // namespace

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grads,
              bool retain_graph) {
  SGMM_CHECK(grads.empty() || grads.size() == roots.size(), "backward: ", roots.size(),
             " roots but ", grads.size(), " gradients; pass one gradient per root or none");
  std::vector<Node*> root_nodes;
  std::unordered_map<Node*, Tensor> pending;  // gradient summed so far, per node
  // Roots' edges keep the root nodes alive while the graph runs.
  std::vector<Edge> root_edges;
  for (size_t i = 0; i < roots.size(); ++i) {
    const Tensor& root = roots[i];
    SGMM_CHECK(root.defined(), "backward: root ", i, " is an undefined tensor");
    SGMM_CHECK(root.requires_grad(), "backward: root ", i,
               " does not require grad and has no grad_fn; call requires_grad_() on the ",
               "leaves it is computed from");
    root_edges.push_back(gradient_edge(root));
  }
  std::vector<Tensor> seeds;
  for (size_t i = 0; i < roots.size(); ++i)
    seeds.push_back(seed_gradient(roots[i], grads.empty() ? Tensor() : grads[i], i));
  for (const Edge& edge : root_edges) root_nodes.push_back(edge.node.get());

  std::vector<Node*> order = topological_order(root_nodes);
  for (Node* node : order)
    SGMM_CHECK(!node->released(), "backward: trying to backward through the graph a second ",
               "time, but its saved tensors were freed by the first backward (", node->name(),
               "); pass retain_graph=true to the first backward() to run it again");

  NoGradGuard no_grad;
  for (size_t i = 0; i < roots.size(); ++i) {
    Tensor& slot = pending[root_nodes[i]];
    if (!slot.defined()) {
      slot = seeds[i];
    } else {
      Tensor sum = contiguous_copy(slot, slot.scalar_type());
      accumulate_elements(sum, seeds[i]);
      slot = sum;
    }
  }
  for (Node* node : order) {
    auto found = pending.find(node);
    if (found == pending.end()) continue;
    Tensor grad = std::move(found->second);
    pending.erase(found);
    std::vector<Tensor> input_grads = node->apply(grad);
    const std::vector<Edge>& edges = node->next_edges();
    for (size_t i = 0; i < edges.size() && i < input_grads.size(); ++i) {
      if (edges[i].node == nullptr || !input_grads[i].defined()) continue;
      Tensor& slot = pending[edges[i].node.get()];
      if (!slot.defined()) {
        slot = std::move(input_grads[i]);
      } else {
        Tensor sum = contiguous_copy(slot, slot.scalar_type());
        accumulate_elements(sum, input_grads[i]);
        slot = sum;
      }
    }
  }
  if (!retain_graph)
    for (Node* node : order) node->release();
}

}  // namespace autograd

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  autograd::backward({*this}, gradient.defined() ? std::vector<Tensor>{gradient}
                                                 : std::vector<Tensor>{},
                     retain_graph);
}

}  // namespace sgmm
