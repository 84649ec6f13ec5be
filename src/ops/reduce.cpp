// sum and mean, over everything or one dim, and their backward.

#include "ops/reduce.hpp"

#include "autograd/node.hpp"
#include "sgmm/ops.hpp"
#include "tensor/dtype_dispatch.hpp"
#include "tensor/strided_loop.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace ops {

Tensor sum_dims(const Tensor& x, const std::vector<bool>& reduce, double divisor) {
  ScalarType out_dtype = is_floating_point(x.scalar_type()) ? x.scalar_type() : kInt64;
  Shape out_sizes = x.sizes().vec();
  for (size_t d = 0; d < out_sizes.size(); ++d)
    if (reduce[d]) out_sizes[d] = 1;
  Tensor out = make_empty(out_sizes, out_dtype, x.device(), "sum");
  // Accumulate into a contiguous buffer of the output's shape; reduced dims
  // get stride 0 there, so every input element lands on its output slot.
  Shape accumulator_strides = contiguous_strides(out_sizes);
  for (size_t d = 0; d < out_sizes.size(); ++d)
    if (reduce[d]) accumulator_strides[d] = 0;
  visit_dtype(x.scalar_type(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Accumulator = std::conditional_t<is_floating_element_v<T>, double, int64_t>;
    std::vector<Accumulator> sums(static_cast<size_t>(out.numel()), Accumulator(0));
    const T* in = static_cast<const T*>(x.data_ptr());
    Accumulator* acc = sums.data();
    for_each_strided_row<2>(x.sizes(), {IntArrayRef(accumulator_strides), x.strides()},
                            [&](const std::array<int64_t, 2>& offset, int64_t count,
                                const std::array<int64_t, 2>& stride) {
                              Accumulator* a = acc + offset[0];
                              const T* i = in + offset[1];
                              if (stride[0] == 0) {
                                Accumulator total = *a;
                                for (int64_t j = 0; j < count; ++j)
                                  total += convert_element<Accumulator>(i[j * stride[1]]);
                                *a = total;
                              } else {
                                for (int64_t j = 0; j < count; ++j)
                                  a[j * stride[0]] += convert_element<Accumulator>(i[j * stride[1]]);
                              }
                            });
    visit_dtype(out_dtype, [&](auto out_tag) {
      using O = typename decltype(out_tag)::type;
      O* o = static_cast<O*>(out.data_ptr());
      if constexpr (std::is_same_v<Accumulator, double>) {
        if (divisor != 1.0)
          for (double& total : sums) total /= divisor;
      }
      for (size_t j = 0; j < sums.size(); ++j) o[j] = convert_element<O>(sums[j]);
    });
  });
  return out;
}

Tensor sum_to_shape(const Tensor& x, IntArrayRef shape) {
  if (x.sizes() == shape) return x;
  auto lead = static_cast<size_t>(x.dim()) - shape.size();
  std::vector<bool> reduce(static_cast<size_t>(x.dim()), false);
  for (size_t d = 0; d < reduce.size(); ++d)
    reduce[d] = d < lead || (shape[d - lead] == 1 && x.sizes()[d] != 1);
  Tensor summed = sum_dims(x, reduce);
  return make_view(summed, shape.vec(), contiguous_strides(shape), 0);
}

}  // namespace ops

namespace {

class SumBackward final : public autograd::Node {
 public:
  // dim < 0: the sum of every element.
  SumBackward(Shape input_sizes, int64_t dim, bool keepdim, double divisor, const char* name)
      : input_sizes_(std::move(input_sizes)),
        dim_(dim),
        keepdim_(keepdim),
        divisor_(divisor),
        name_(name) {}
  const char* name() const override { return name_; }

  std::vector<Tensor> apply(const Tensor& grad_out) override {
    Tensor grad = divisor_ == 1.0 ? grad_out : div(grad_out, divisor_);
    if (dim_ >= 0 && !keepdim_) grad = grad.unsqueeze(dim_);
    // A stride-0 view, never materialised: consumers read it as it is.
    return {grad.expand(input_sizes_)};
  }

 private:
  Shape input_sizes_;
  int64_t dim_;
  bool keepdim_;
  double divisor_;
  const char* name_;
};

void check_reducible(const Tensor& a, const char* op, bool floating_only) {
  SGMM_CHECK(a.defined(), op, ": the tensor is undefined (default-constructed)");
  SGMM_CHECK_DTYPE(!floating_only || is_floating_point(a.scalar_type()), op,
                   ": expected a floating-point tensor, got ", dtype_name(a.scalar_type()),
                   "; convert it with .to(sgmm::kFloat32) first");
}

Tensor reduce_all(const Tensor& a, bool mean) {
  const char* op = mean ? "mean" : "sum";
  check_reducible(a, op, mean);
  std::vector<bool> reduced(static_cast<size_t>(a.dim()), true);
  double divisor = mean ? static_cast<double>(a.numel()) : 1.0;
  Tensor summed = ops::sum_dims(a, reduced, divisor);
  Tensor out = make_view(summed, {}, {}, 0);
  if (autograd::any_requires_grad({&a}))
    autograd::set_history(out,
                          std::make_shared<SumBackward>(a.sizes().vec(), -1, false, divisor,
                                                        mean ? "MeanBackward0" : "SumBackward0"),
                          {&a});
  return out;
}

Tensor reduce_dim(const Tensor& a, int64_t dim, bool keepdim, bool mean) {
  const char* op = mean ? "mean" : "sum";
  check_reducible(a, op, mean);
  int64_t d = wrap_dim(dim, a.dim(), op);
  std::vector<bool> reduced(static_cast<size_t>(a.dim()), false);
  double divisor = 1.0;
  if (a.dim() > 0) {
    reduced[d] = true;
    divisor = mean ? static_cast<double>(a.sizes()[d]) : 1.0;
  }
  Tensor summed = ops::sum_dims(a, reduced, divisor);
  Tensor out = summed;
  if (!keepdim && a.dim() > 0) {
    Shape sizes = summed.sizes().vec();
    sizes.erase(sizes.begin() + d);
    out = make_view(summed, sizes, contiguous_strides(sizes), 0);
  }
  if (autograd::any_requires_grad({&a}))
    autograd::set_history(
        out,
        std::make_shared<SumBackward>(a.sizes().vec(), a.dim() > 0 ? d : -1, keepdim, divisor,
                                      mean ? "MeanBackward1" : "SumBackward1"),
        {&a});
  return out;
}

}  // namespace

Tensor sum(const Tensor& a) { return reduce_all(a, false); }
Tensor sum(const Tensor& a, int64_t dim, bool keepdim) { return reduce_dim(a, dim, keepdim, false); }
Tensor mean(const Tensor& a) { return reduce_all(a, true); }
Tensor mean(const Tensor& a, int64_t dim, bool keepdim) { return reduce_dim(a, dim, keepdim, true); }

}  // namespace sgmm
