// Creation functions (factory.hpp).

#include "sgmm/factory.hpp"

#include <cmath>
#include <utility>

#include "tensor/copy.hpp"
#include "tensor/dtype_dispatch.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace {

// torch's rule for a dtype inferred from a number.
ScalarType dtype_for_scalar(Scalar value, const TensorOptions& options) {
  if (options.has_dtype()) return options.dtype();
  if (value.is_integral()) return kInt64;
  if (value.is_boolean()) return kBool;
  return kFloat32;
}

Tensor finish(Tensor tensor, const TensorOptions& options) {
  if (options.requires_grad()) tensor.requires_grad_(true);
  return tensor;
}

Tensor filled(IntArrayRef sizes, Scalar value, ScalarType dtype, const TensorOptions& options,
              const char* op) {
  Tensor out = make_empty(sizes, dtype, options.device(), op);
  fill_elements(out, value);
  return finish(std::move(out), options);
}

}  // namespace

Tensor empty(IntArrayRef sizes, const TensorOptions& options) {
  return finish(make_empty(sizes, options.dtype(), options.device(), "empty"), options);
}

Tensor zeros(IntArrayRef sizes, const TensorOptions& options) {
  return filled(sizes, 0, options.dtype(), options, "zeros");
}

Tensor ones(IntArrayRef sizes, const TensorOptions& options) {
  return filled(sizes, 1, options.dtype(), options, "ones");
}

Tensor full(IntArrayRef sizes, Scalar value, const TensorOptions& options) {
  return filled(sizes, value, dtype_for_scalar(value, options), options, "full");
}

Tensor arange(Scalar end, const TensorOptions& options) { return arange(0, end, 1, options); }

Tensor arange(Scalar start, Scalar end, Scalar step, const TensorOptions& options) {
  bool integral = !start.is_floating_point() && !end.is_floating_point() &&
                  !step.is_floating_point();
  ScalarType dtype = options.has_dtype() ? options.dtype() : integral ? kInt64 : kFloat32;
  double first = start.to_double(), last = end.to_double(), increment = step.to_double();
  SGMM_CHECK(std::isfinite(first) && std::isfinite(last) && std::isfinite(increment),
             "arange: start, end and step must be finite, got ", first, ", ", last, ", ",
             increment);
  SGMM_CHECK(increment != 0, "arange: step must be nonzero");
  SGMM_CHECK((increment > 0 && last >= first) || (increment < 0 && last <= first),
             "arange: the step ", increment, " does not lead from ", first, " to ", last,
             "; use a step with the sign of end - start");
  double count = std::ceil((last - first) / increment);
  SGMM_CHECK(count < 9.2e18, "arange: ", count, " elements is too many");
  auto length = static_cast<int64_t>(count);
  Tensor out = make_empty({length}, dtype, options.device(), "arange");
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* data = static_cast<T*>(out.data_ptr());
    if (integral) {
      int64_t s = start.to_int64(), d = step.to_int64();
      for (int64_t i = 0; i < length; ++i) data[i] = convert_element<T>(s + i * d);
    } else {
      for (int64_t i = 0; i < length; ++i)
        data[i] = convert_element<T>(first + increment * static_cast<double>(i));
    }
  });
  return finish(std::move(out), options);
}

Tensor randn(IntArrayRef sizes, const TensorOptions& options) {
  Tensor out = make_empty(sizes, options.dtype(), options.device(), "randn");
  fill_normal(out);
  return finish(std::move(out), options);
}

Tensor rand(IntArrayRef sizes, const TensorOptions& options) {
  Tensor out = make_empty(sizes, options.dtype(), options.device(), "rand");
  fill_uniform(out);
  return finish(std::move(out), options);
}

Tensor tensor(Scalar value, const TensorOptions& options) {
  return filled({}, value, dtype_for_scalar(value, options), options, "tensor");
}

Tensor tensor(ArrayRef<double> values, const TensorOptions& options) {
  ScalarType dtype = options.dtype();
  Tensor out = make_empty({static_cast<int64_t>(values.size())}, dtype, options.device(), "tensor");
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* data = static_cast<T*>(out.data_ptr());
    for (size_t i = 0; i < values.size(); ++i) data[i] = convert_element<T>(values[i]);
  });
  return finish(std::move(out), options);
}

Tensor tensor(std::initializer_list<double> values, const TensorOptions& options) {
  return tensor(ArrayRef<double>(values.begin(), values.size()), options);
}

Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options) {
  return from_blob(data, sizes, contiguous_strides(sizes), std::function<void(void*)>(), options);
}

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options) {
  return from_blob(data, sizes, strides, std::function<void(void*)>(), options);
}

Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter,
                 const TensorOptions& options) {
  return from_blob(data, sizes, contiguous_strides(sizes), std::move(deleter), options);
}

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides,
                 std::function<void(void*)> deleter, const TensorOptions& options) {
  int64_t numel = checked_numel(sizes, "from_blob");
  SGMM_CHECK(strides.size() == sizes.size(), "from_blob: ", sizes.size(), " sizes ",
             shape_str(sizes), " but ", strides.size(), " strides ", shape_str(strides),
             "; pass one stride per dimension");
  for (int64_t stride : strides)
    SGMM_CHECK(stride >= 0, "from_blob: negative stride in ", shape_str(strides),
               "; strides must be >= 0");
  SGMM_CHECK(data != nullptr || numel == 0, "from_blob: data is null for a tensor of ", numel,
             " elements");
  // The bytes the view reaches, with an overflow check on every step.
  auto element_bytes = static_cast<int64_t>(element_size(options.dtype()));
  int64_t reach = 0;
  if (numel > 0) {
    for (size_t i = 0; i < sizes.size(); ++i) {
      int64_t span = sizes[i] - 1;
      SGMM_CHECK(span == 0 || strides[i] <= (INT64_MAX - reach) / span,
                 "from_blob: the strides ", shape_str(strides), " of ", shape_str(sizes),
                 " reach past int64 offsets");
      reach += span * strides[i];
    }
    SGMM_CHECK(reach < INT64_MAX / element_bytes, "from_blob: the byte extent of ",
               shape_str(sizes), " overflows int64");
  }
  size_t nbytes = numel == 0 ? 0 : static_cast<size_t>((reach + 1) * element_bytes);
  auto storage = Storage::borrow(data, nbytes, options.device(), std::move(deleter));
  Tensor out(std::make_shared<TensorImpl>(std::move(storage), options.dtype(), sizes.vec(),
                                          strides.vec(), 0));
  return finish(std::move(out), options);
}

}  // namespace sgmm
