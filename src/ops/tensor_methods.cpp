// Tensor's math methods and operators, forwarding to the free functions,
// and the repr (which needs the autograd node's name).

#include "autograd/node.hpp"
#include "sgmm/ops.hpp"
#include "tensor/print.hpp"

namespace sgmm {

Tensor Tensor::bmm(const Tensor& other) const { return sgmm::bmm(*this, other); }
Tensor Tensor::matmul(const Tensor& other) const { return sgmm::matmul(*this, other); }
Tensor Tensor::add(const Tensor& other) const { return sgmm::add(*this, other); }
Tensor Tensor::add(Scalar other) const { return sgmm::add(*this, other); }
Tensor Tensor::sub(const Tensor& other) const { return sgmm::sub(*this, other); }
Tensor Tensor::sub(Scalar other) const { return sgmm::sub(*this, other); }
Tensor Tensor::mul(const Tensor& other) const { return sgmm::mul(*this, other); }
Tensor Tensor::mul(Scalar other) const { return sgmm::mul(*this, other); }
Tensor Tensor::div(const Tensor& other) const { return sgmm::div(*this, other); }
Tensor Tensor::div(Scalar other) const { return sgmm::div(*this, other); }
Tensor Tensor::neg() const { return sgmm::neg(*this); }
Tensor Tensor::sum() const { return sgmm::sum(*this); }
Tensor Tensor::sum(int64_t dim, bool keepdim) const { return sgmm::sum(*this, dim, keepdim); }
Tensor Tensor::mean() const { return sgmm::mean(*this); }
Tensor Tensor::mean(int64_t dim, bool keepdim) const { return sgmm::mean(*this, dim, keepdim); }

std::string Tensor::repr() const {
  if (!defined()) return format_tensor(*this, "");
  const std::shared_ptr<autograd::Node>& node = grad_fn();
  return format_tensor(*this, node != nullptr ? node->name() : "");
}

std::ostream& operator<<(std::ostream& os, const Tensor& tensor) { return os << tensor.repr(); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, Scalar b) { return add(a, b); }
Tensor operator-(const Tensor& a, Scalar b) { return sub(a, b); }
Tensor operator*(const Tensor& a, Scalar b) { return mul(a, b); }
Tensor operator/(const Tensor& a, Scalar b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }

}  // namespace sgmm
