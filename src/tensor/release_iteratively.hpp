#pragma once
// Drops a reference without recursing. An autograd graph is a chain of
// shared pointers (node -> saved tensor -> its grad_fn -> ...); releasing the
// head of a 100000-node chain through plain destructors would recurse 100000
// frames deep and overflow the stack. Objects released here are queued and
// destroyed one at a time by the outermost call, so the depth stays constant.

#include <memory>

namespace sgmm {

void release_iteratively(std::shared_ptr<void> object);

}  // namespace sgmm
