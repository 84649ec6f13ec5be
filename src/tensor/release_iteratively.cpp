#include "tensor/release_iteratively.hpp"

#include <utility>
#include <vector>

namespace sgmm {

void release_iteratively(std::shared_ptr<void> object) {
  // Not the last owner: dropping it destroys nothing.
  if (!object || object.use_count() > 1) return;

  thread_local std::vector<std::shared_ptr<void>> pending;
  thread_local bool draining = false;
  pending.push_back(std::move(object));
  if (draining) return;  // an outer call on this thread destroys it
  draining = true;
  while (!pending.empty()) {
    std::shared_ptr<void> last = std::move(pending.back());
    pending.pop_back();
    last.reset();  // may queue more objects into `pending`
  }
  draining = false;
}

}  // namespace sgmm
