#include "tensor/print.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <type_traits>
#include <vector>

#include "tensor/dtype_dispatch.hpp"
#include "tensor/tensor_impl.hpp"

namespace sgmm {
namespace {

// torch.set_printoptions defaults.
constexpr int64_t kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int64_t kLineWidth = 80;

std::string printf_double(const char* format, double value) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, format, static_cast<int>(kPrecision), value);
  return buffer;
}

// Python's '{:.4f}' / '{:.4e}' / '{:.0f}', which print NaN as "nan"
// whatever its sign bit (C prints "-nan").
std::string fixed_str(double value) {
  if (std::isnan(value)) return "nan";
  return printf_double("%.*f", value);
}
std::string scientific_str(double value) {
  if (std::isnan(value)) return "nan";
  return printf_double("%.*e", value);
}
std::string integer_valued_str(double value) {
  if (std::isnan(value)) return "nan";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%.0f", value);
  return buffer;
}

// The shown values' common format (torch's _Formatter).
class Formatter {
 public:
  // Integer and bool tensors: the widest of their texts.
  explicit Formatter(const std::vector<std::string>& texts) : floating_(false) {
    for (const std::string& text : texts) max_width_ = std::max(max_width_, text.size());
  }

  explicit Formatter(const std::vector<double>& values) : floating_(true) {
    std::vector<double> nonzero_finite;
    for (double v : values)
      if (std::isfinite(v) && v != 0) nonzero_finite.push_back(v);
    if (nonzero_finite.empty()) return;
    double min_abs = std::abs(nonzero_finite[0]), max_abs = min_abs;
    for (double v : nonzero_finite) {
      min_abs = std::min(min_abs, std::abs(v));
      max_abs = std::max(max_abs, std::abs(v));
      if (v != std::ceil(v)) integer_mode_ = false;
    }
    if (integer_mode_) {
      if (max_abs / min_abs > 1000.0 || max_abs > 1.0e8) {
        scientific_ = true;
        for (double v : nonzero_finite)
          max_width_ = std::max(max_width_, scientific_str(v).size());
      } else {
        for (double v : nonzero_finite)
          max_width_ = std::max(max_width_, integer_valued_str(v).size() + 1);
      }
    } else if (max_abs / min_abs > 1000.0 || max_abs > 1.0e8 || min_abs < 1.0e-4) {
      scientific_ = true;
      for (double v : nonzero_finite) max_width_ = std::max(max_width_, scientific_str(v).size());
    } else {
      for (double v : nonzero_finite) max_width_ = std::max(max_width_, fixed_str(v).size());
    }
  }

  size_t width() const { return max_width_; }

  std::string format(double value) const { return pad(format_raw(value)); }
  std::string pad(std::string text) const {
    if (text.size() < max_width_) text.insert(0, max_width_ - text.size(), ' ');
    return text;
  }
  bool floating() const { return floating_; }

 private:
  std::string format_raw(double value) const {
    if (scientific_) return scientific_str(value);
    if (integer_mode_) {
      std::string text = integer_valued_str(value);
      if (std::isfinite(value)) text += '.';
      return text;
    }
    return fixed_str(value);
  }

  bool floating_;
  bool integer_mode_ = true;
  bool scientific_ = false;
  size_t max_width_ = 1;
};

class TensorPrinter {
 public:
  explicit TensorPrinter(const Tensor& tensor)
      : tensor_(tensor),
        sizes_(tensor.sizes()),
        strides_(tensor.strides()),
        summarize_(tensor.numel() > kThreshold) {}

  std::string print(int64_t indent) {
    if (is_floating_point(tensor_.scalar_type())) {
      std::vector<double> shown;
      collect(0, 0, [&](int64_t offset) { shown.push_back(value_at(offset)); });
      formatter_.emplace_back(shown);
    } else {
      std::vector<std::string> shown;
      collect(0, 0, [&](int64_t offset) { shown.push_back(text_at(offset)); });
      formatter_.emplace_back(shown);
    }
    return print_dim(0, 0, indent);
  }

 private:
  // The indices of dim that are printed: all, or the edge items around "...".
  std::vector<int64_t> shown_indices(size_t dim) const {
    std::vector<int64_t> indices;
    int64_t size = sizes_[dim];
    if (summarize_ && size > 2 * kEdgeItems) {
      for (int64_t i = 0; i < kEdgeItems; ++i) indices.push_back(i);
      for (int64_t i = size - kEdgeItems; i < size; ++i) indices.push_back(i);
    } else {
      for (int64_t i = 0; i < size; ++i) indices.push_back(i);
    }
    return indices;
  }

  double value_at(int64_t offset) const {
    const char* base = static_cast<const char*>(tensor_.data_ptr());
    return element_as_double(base + offset * static_cast<int64_t>(element_size(tensor_.scalar_type())),
                             tensor_.scalar_type());
  }

  // Python's str() of an integer or bool element, exact for any int64.
  std::string text_at(int64_t offset) const {
    const char* base = static_cast<const char*>(tensor_.data_ptr());
    const char* p = base + offset * static_cast<int64_t>(element_size(tensor_.scalar_type()));
    return visit_dtype(tensor_.scalar_type(), [&](auto tag) -> std::string {
      using T = typename decltype(tag)::type;
      T value = *reinterpret_cast<const T*>(p);
      if constexpr (std::is_same_v<T, bool>) {
        return value ? "True" : "False";
      } else if constexpr (std::is_integral_v<T>) {
        return std::to_string(static_cast<int64_t>(value));
      } else {
        return "";  // floating dtypes go through value_at
      }
    });
  }

  // Calls visit(offset) for every shown element, in print order.
  template <typename Visit>
  void collect(size_t dim, int64_t offset, Visit&& visit) const {
    if (dim == sizes_.size()) {
      visit(offset);
      return;
    }
    for (int64_t i : shown_indices(dim)) collect(dim + 1, offset + i * strides_[dim], visit);
  }

  std::string format_at(int64_t offset) const {
    const Formatter& formatter = formatter_.front();
    return formatter.floating() ? formatter.format(value_at(offset))
                                : formatter.pad(text_at(offset));
  }

  bool elided(size_t dim) const { return summarize_ && sizes_[dim] > 2 * kEdgeItems; }

  std::string print_dim(size_t dim, int64_t offset, int64_t indent) const {
    const Formatter& formatter = formatter_.front();
    if (dim == sizes_.size()) return format_at(offset);
    std::vector<std::string> items;
    std::vector<int64_t> indices = shown_indices(dim);
    bool last_dim = dim + 1 == sizes_.size();
    for (size_t j = 0; j < indices.size(); ++j) {
      if (elided(dim) && j == static_cast<size_t>(kEdgeItems))
        items.push_back(last_dim ? " ..." : "...");
      items.push_back(last_dim ? format_at(offset + indices[j] * strides_[dim])
                               : print_dim(dim + 1, offset + indices[j] * strides_[dim],
                                           indent + 1));
    }
    std::string text = "[";
    if (last_dim) {
      auto element_length = static_cast<int64_t>(formatter.width()) + 2;
      size_t per_line = static_cast<size_t>(std::max<int64_t>(1, (kLineWidth - indent) / element_length));
      for (size_t j = 0; j < items.size(); ++j) {
        if (j > 0) text += j % per_line == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
        text += items[j];
      }
    } else {
      size_t rank_left = sizes_.size() - dim;
      std::string separator = "," + std::string(rank_left - 1, '\n') + std::string(indent + 1, ' ');
      for (size_t j = 0; j < items.size(); ++j) {
        if (j > 0) text += separator;
        text += items[j];
      }
    }
    return text + "]";
  }

  const Tensor& tensor_;
  IntArrayRef sizes_;
  IntArrayRef strides_;
  bool summarize_;
  std::vector<Formatter> formatter_;  // exactly one, built in print()
};

// torch's _add_suffixes: ", suffix" while the line stays within 80 columns.
std::string add_suffixes(std::string text, const std::vector<std::string>& suffixes,
                         int64_t indent) {
  // Computed exactly as torch does (len - rfind + 1, with rfind -1 when
  // there is no newline), so the wrapping matches column for column.
  size_t newline = text.rfind('\n');
  auto last_line_length = static_cast<int64_t>(text.size()) -
                          (newline == std::string::npos ? -1 : static_cast<int64_t>(newline)) + 1;
  for (const std::string& suffix : suffixes) {
    auto suffix_length = static_cast<int64_t>(suffix.size());
    if (last_line_length + suffix_length + 2 > kLineWidth) {
      text += ",\n" + std::string(indent, ' ') + suffix;
      last_line_length = indent + suffix_length;
    } else {
      text += ", " + suffix;
      last_line_length += suffix_length + 2;
    }
  }
  return text + ")";
}

}  // namespace

std::string format_tensor(const Tensor& tensor, const std::string& grad_fn_name) {
  if (!tensor.defined()) return "tensor(undefined)";
  const std::string prefix = "tensor(";
  const auto indent = static_cast<int64_t>(prefix.size());
  ScalarType dtype = tensor.scalar_type();
  std::vector<std::string> suffixes;
  std::string body;
  if (tensor.numel() == 0) {
    if (tensor.dim() != 1) {
      std::string size = "size=(";
      for (int64_t i = 0; i < tensor.dim(); ++i)
        size += (i ? ", " : "") + std::to_string(tensor.sizes()[i]);
      suffixes.push_back(size + (tensor.dim() == 1 ? ",)" : ")"));
    }
    if (dtype != kFloat32) suffixes.push_back(std::string("dtype=torch.") + dtype_name(dtype));
    body = "[]";
  } else {
    if (dtype != kFloat32 && dtype != kInt64 && dtype != kBool)
      suffixes.push_back(std::string("dtype=torch.") + dtype_name(dtype));
    body = TensorPrinter(tensor).print(indent);
  }
  if (!grad_fn_name.empty()) {
    suffixes.push_back("grad_fn=<" + grad_fn_name + ">");
  } else if (tensor.requires_grad()) {
    suffixes.push_back("requires_grad=True");
  }
  return add_suffixes(prefix + body, suffixes, indent);
}

}  // namespace sgmm
