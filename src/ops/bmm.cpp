// bmm: [b, m, k] @ [b, k, n] -> [b, m, n], and its backward.

#include "autograd/node.hpp"
#include "ops/batched_gemm.hpp"
#include "sgmm/ops.hpp"

namespace sgmm {
namespace {

class BmmBackward final : public autograd::Node {
 public:
  BmmBackward(const Tensor& input, const Tensor& mat2) : input_(input), mat2_(mat2) {}
  const char* name() const override { return "BmmBackward0"; }

  std::vector<Tensor> apply(const Tensor& grad_out) override {
    // d input needs mat2, d mat2 needs input.
    const Tensor none;
    ops::BatchedProductGrads grads =
        ops::batched_product_grads(grad_out, needs_input_grad(1) ? input_.unpack(*this) : none,
                                   needs_input_grad(0) ? mat2_.unpack(*this) : none, 1.0);
    return {grads.a, grads.b};
  }

 protected:
  void release_saved_tensors() override {
    input_.reset();
    mat2_.reset();
  }

 private:
  autograd::SavedTensor input_;
  autograd::SavedTensor mat2_;
};

}  // namespace

Tensor bmm(const Tensor& input, const Tensor& mat2) {
  ops::check_batched_operands("bmm", "mat2", input, mat2);
  Tensor out = ops::batched_product(input, mat2, 1.0);
  if (autograd::any_requires_grad({&input, &mat2}))
    autograd::set_history(out, std::make_shared<BmmBackward>(input, mat2), {&input, &mat2});
  return out;
}

}  // namespace sgmm
