#pragma once
// Tree traversal. for_each_child calls `visit(Node&)` on every direct child in CPython's field
// order (that is also source order, except for decorators, which come after the body as in
// CPython). walk() visits a whole subtree depth-first with an explicit stack, so deep trees
// cannot overflow the C++ stack.
#include <vector>

#include "moat/python/ast.hpp"

namespace moat::python {

template <typename Visit>
void for_each_child(const Node& node, Visit&& visit) {
  switch (node.kind) {
#define MOAT_AST_CHILDREN
#include "moat/python/ast_nodes.inc"
  }
}

/// Calls enter(node) in pre-order for node and all descendants; when enter returns false the
/// node's children are skipped.
template <typename Enter>
void walk(const Node& root, Enter&& enter) {
  std::vector<const Node*> stack{&root};
  std::vector<const Node*> children;
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (!enter(*node)) continue;
    children.clear();
    for_each_child(*node, [&](const Node& child) { children.push_back(&child); });
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
}

}  // namespace moat::python
