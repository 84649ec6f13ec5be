// Elementwise add, sub, mul, div (tensor-tensor with torch broadcasting, and
// tensor-scalar) and neg, each with its backward.

#include <type_traits>

#include "autograd/node.hpp"
#include "ops/reduce.hpp"
#include "sgmm/ops.hpp"
#include "tensor/copy.hpp"
#include "tensor/dtype_dispatch.hpp"
#include "tensor/strided_loop.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace {

enum class BinaryOp { Add, Sub, Mul, Div };

const char* op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "add";
    case BinaryOp::Sub: return "sub";
    case BinaryOp::Mul: return "mul";
    case BinaryOp::Div: return "div";
  }
  return "?";
}

// Integer arithmetic wraps around like torch's (two's complement), computed
// in unsigned so that overflow is defined.
template <typename C>
C apply_op(BinaryOp op, C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    auto ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
    switch (op) {
      case BinaryOp::Add: return static_cast<C>(ua + ub);
      case BinaryOp::Sub: return static_cast<C>(ua - ub);
      default: return static_cast<C>(ua * ub);
    }
  } else {
    switch (op) {
      case BinaryOp::Add: return a + b;
      case BinaryOp::Sub: return a - b;
      case BinaryOp::Mul: return a * b;
      case BinaryOp::Div: return a / b;
    }
    return a;
  }
}

// The loop for one op, specialised so the contiguous case vectorises.
template <typename In, typename Out, typename C, BinaryOp kOp>
void binary_rows(Out* out, const In* a, const In* b, IntArrayRef sizes, IntArrayRef out_strides,
                 IntArrayRef a_strides, IntArrayRef b_strides) {
  for_each_strided_row<3>(sizes, {out_strides, a_strides, b_strides},
                          [&](const std::array<int64_t, 3>& offset, int64_t count,
                              const std::array<int64_t, 3>& stride) {
                            Out* o = out + offset[0];
                            const In* x = a + offset[1];
                            const In* y = b + offset[2];
                            if (stride[0] == 1 && stride[1] == 1 && stride[2] == 1) {
                              for (int64_t j = 0; j < count; ++j)
                                o[j] = convert_element<Out>(apply_op<C>(
                                    kOp, convert_element<C>(x[j]), convert_element<C>(y[j])));
                            } else {
                              for (int64_t j = 0; j < count; ++j)
                                o[j * stride[0]] = convert_element<Out>(
                                    apply_op<C>(kOp, convert_element<C>(x[j * stride[1]]),
                                                convert_element<C>(y[j * stride[2]])));
                            }
                          });
}

// The dtype an op's result has: the operands' own, except int / int which
// is float32 (torch's true division).
ScalarType result_dtype(BinaryOp op, ScalarType dtype) {
  return op == BinaryOp::Div && !is_floating_point(dtype) ? kFloat32 : dtype;
}

void check_arithmetic_dtype(BinaryOp op, ScalarType dtype) {
  SGMM_CHECK_DTYPE(dtype != kBool, op_name(op), ": arithmetic on bool tensors is not supported; ",
                   "convert with .to(sgmm::kInt64) or .to(sgmm::kFloat32)");
}

template <BinaryOp kOp>
void run_binary(const Tensor& out, const Tensor& a, const Tensor& b) {
  Shape a_strides = broadcast_strides(a.sizes(), a.strides(), out.sizes());
  Shape b_strides = broadcast_strides(b.sizes(), b.strides(), out.sizes());
  visit_dtype(a.scalar_type(), [&](auto tag) {
    using In = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<In, bool>) {
      if constexpr (is_floating_element_v<In>) {
        binary_rows<In, In, compute_type_t<In>, kOp>(
            static_cast<In*>(out.data_ptr()), static_cast<const In*>(a.data_ptr()),
            static_cast<const In*>(b.data_ptr()), out.sizes(), out.strides(), a_strides, b_strides);
      } else if constexpr (kOp == BinaryOp::Div) {
        binary_rows<In, float, float, kOp>(
            static_cast<float*>(out.data_ptr()), static_cast<const In*>(a.data_ptr()),
            static_cast<const In*>(b.data_ptr()), out.sizes(), out.strides(), a_strides, b_strides);
      } else {
        binary_rows<In, In, int64_t, kOp>(
            static_cast<In*>(out.data_ptr()), static_cast<const In*>(a.data_ptr()),
            static_cast<const In*>(b.data_ptr()), out.sizes(), out.strides(), a_strides, b_strides);
      }
    }
  });
}

// out = a op b with broadcasting; no autograd.
Tensor binary_forward(BinaryOp op, const Tensor& a, const Tensor& b) {
  const char* name = op_name(op);
  SGMM_CHECK(a.defined() && b.defined(), name, ": an operand is an undefined tensor");
  SGMM_CHECK_DEVICE(a.device() == b.device(), name, ": operands on different devices, ",
                    a.device().str(), " and ", b.device().str());
  SGMM_CHECK_DTYPE(a.scalar_type() == b.scalar_type(), name, ": operands have different dtypes, ",
                   dtype_name(a.scalar_type()), " and ", dtype_name(b.scalar_type()),
                   "; convert one with .to(", dtype_constant_name(a.scalar_type()),
                   ") (no implicit promotion)");
  check_arithmetic_dtype(op, a.scalar_type());
  Shape sizes = broadcast_shapes(a.sizes(), b.sizes(), name);
  Tensor out = make_empty(sizes, result_dtype(op, a.scalar_type()), a.device(), name);
  switch (op) {
    case BinaryOp::Add: run_binary<BinaryOp::Add>(out, a, b); break;
    case BinaryOp::Sub: run_binary<BinaryOp::Sub>(out, a, b); break;
    case BinaryOp::Mul: run_binary<BinaryOp::Mul>(out, a, b); break;
    case BinaryOp::Div: run_binary<BinaryOp::Div>(out, a, b); break;
  }
  return out;
}

// The scalar as a 0-d tensor for the tensor's dtype. A floating scalar with
// an integer tensor would need promotion: refused, except for div, whose
// result is float anyway.
Tensor scalar_operand(BinaryOp op, const Tensor& a, Scalar value) {
  SGMM_CHECK(a.defined(), op_name(op), ": the tensor is undefined (default-constructed)");
  ScalarType dtype = a.scalar_type();
  check_arithmetic_dtype(op, dtype);
  if (!is_floating_point(dtype) && value.is_floating_point()) {
    SGMM_CHECK_DTYPE(op == BinaryOp::Div, op_name(op), ": a floating-point number with an ",
                     dtype_name(dtype), " tensor would need type promotion; convert the tensor ",
                     "with .to(sgmm::kFloat32) first");
  }
  // int tensor / 2.5: both sides in float32, as torch.
  ScalarType scalar_dtype =
      !is_floating_point(dtype) && value.is_floating_point() ? kFloat32 : dtype;
  Tensor scalar = make_empty({}, scalar_dtype, a.device(), op_name(op));
  visit_dtype(scalar.scalar_type(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    *static_cast<T*>(scalar.data_ptr()) = value.is_floating_point()
                                              ? convert_element<T>(value.to_double())
                                              : convert_element<T>(value.to_int64());
  });
  return scalar;
}

class BinaryBackward final : public autograd::Node {
 public:
  BinaryBackward(BinaryOp op, const Tensor& a, const Tensor& b, bool save_a, bool save_b)
      : op_(op),
        a_sizes_(a.sizes().vec()),
        b_sizes_(b.sizes().vec()),
        a_(save_a ? a : Tensor()),
        b_(save_b ? b : Tensor()) {}
  const char* name() const override {
    switch (op_) {
      case BinaryOp::Add: return "AddBackward0";
      case BinaryOp::Sub: return "SubBackward0";
      case BinaryOp::Mul: return "MulBackward0";
      case BinaryOp::Div: return "DivBackward0";
    }
    return "?";
  }

  std::vector<Tensor> apply(const Tensor& grad) override {
    const Tensor& a = a_.unpack(*this);
    const Tensor& b = b_.unpack(*this);
    Tensor grad_a, grad_b;
    switch (op_) {
      case BinaryOp::Add:
        grad_a = grad;
        grad_b = grad;
        break;
      case BinaryOp::Sub:
        grad_a = grad;
        if (needs_input_grad(1)) grad_b = neg(grad);
        break;
      case BinaryOp::Mul:
        if (needs_input_grad(0)) grad_a = mul(grad, b);
        if (needs_input_grad(1)) grad_b = mul(grad, a);
        break;
      case BinaryOp::Div:
        if (needs_input_grad(0)) grad_a = div(grad, b);
        // d(a / b)/db = -a / b^2
        if (needs_input_grad(1)) grad_b = neg(div(mul(grad, a), mul(b, b)));
        break;
    }
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) grads[0] = ops::sum_to_shape(grad_a, a_sizes_);
    if (needs_input_grad(1)) grads[1] = ops::sum_to_shape(grad_b, b_sizes_);
    return grads;
  }

 protected:
  void release_saved_tensors() override {
    a_.reset();
    b_.reset();
  }

 private:
  BinaryOp op_;
  Shape a_sizes_;
  Shape b_sizes_;
  autograd::SavedTensor a_;
  autograd::SavedTensor b_;
};

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(op, a, b);
  if (autograd::any_requires_grad({&a, &b})) {
    bool needs_a = a.requires_grad(), needs_b = b.requires_grad();
    bool save_a = (op == BinaryOp::Mul && needs_b) || (op == BinaryOp::Div && needs_b);
    bool save_b = (op == BinaryOp::Mul && needs_a) || op == BinaryOp::Div;
    autograd::set_history(out, std::make_shared<BinaryBackward>(op, a, b, save_a, save_b),
                          {&a, &b});
  }
  return out;
}

// tensor op scalar, or scalar op tensor when scalar_first.
Tensor binary_with_scalar(BinaryOp op, const Tensor& t, Scalar value, bool scalar_first) {
  Tensor scalar = scalar_operand(op, t, value);
  Tensor operand = t;
  if (scalar.scalar_type() != t.scalar_type()) operand = contiguous_copy(t, scalar.scalar_type());
  // The scalar never requires grad: the binary node then computes only the
  // tensor's gradient.
  Tensor out = scalar_first ? binary_forward(op, scalar, operand) : binary_forward(op, operand, scalar);
  if (autograd::any_requires_grad({&t})) {
    const Tensor& a = scalar_first ? scalar : t;
    const Tensor& b = scalar_first ? t : scalar;
    // Mul needs the other side, div both: a/b' = -a/b^2 when the tensor is b.
    bool save_a = scalar_first && (op == BinaryOp::Mul || op == BinaryOp::Div);
    bool save_b = (!scalar_first && op == BinaryOp::Mul) || op == BinaryOp::Div;
    auto node = std::make_shared<BinaryBackward>(op, a, b, save_a, save_b);
    autograd::set_history(out, std::move(node), {&a, &b});
  }
  return out;
}

class NegBackward final : public autograd::Node {
 public:
  const char* name() const override { return "NegBackward0"; }
  std::vector<Tensor> apply(const Tensor& grad) override { return {neg(grad)}; }
};

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Add, a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Sub, a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Mul, a, b); }
Tensor div(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Div, a, b); }
Tensor add(const Tensor& a, Scalar b) { return binary_with_scalar(BinaryOp::Add, a, b, false); }
Tensor sub(const Tensor& a, Scalar b) { return binary_with_scalar(BinaryOp::Sub, a, b, false); }
Tensor mul(const Tensor& a, Scalar b) { return binary_with_scalar(BinaryOp::Mul, a, b, false); }
Tensor div(const Tensor& a, Scalar b) { return binary_with_scalar(BinaryOp::Div, a, b, false); }

Tensor operator+(Scalar a, const Tensor& b) { return binary_with_scalar(BinaryOp::Add, b, a, true); }
Tensor operator-(Scalar a, const Tensor& b) { return binary_with_scalar(BinaryOp::Sub, b, a, true); }
Tensor operator*(Scalar a, const Tensor& b) { return binary_with_scalar(BinaryOp::Mul, b, a, true); }
Tensor operator/(Scalar a, const Tensor& b) { return binary_with_scalar(BinaryOp::Div, b, a, true); }

Tensor neg(const Tensor& a) {
  SGMM_CHECK(a.defined(), "neg: the tensor is undefined (default-constructed)");
  check_arithmetic_dtype(BinaryOp::Sub, a.scalar_type());
  // x * -1 flips the sign bit of every float exactly (0 -> -0, NaN stays NaN),
  // which 0 - x would not.
  Tensor minus_one = scalar_operand(BinaryOp::Mul, a, -1);
  Tensor out = binary_forward(BinaryOp::Mul, a, minus_one);
  if (autograd::any_requires_grad({&a}))
    autograd::set_history(out, std::make_shared<NegBackward>(), {&a});
  return out;
}

}  // namespace sgmm
