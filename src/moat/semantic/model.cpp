#include "moat/semantic/model.hpp"

#include <algorithm>

#include "moat/python/visitor.hpp"

namespace moat::semantic {

namespace py = moat::python;

namespace {

/// True for a pure Name/Attribute chain ("a.b.c").
bool is_dotted(const py::Expr& expr) {
  const py::Expr* head = &expr;
  while (const auto* attribute = py::dyn_cast<py::Attribute>(head)) head = attribute->value;
  return head->kind == py::NodeKind::Name;
}

ScopeKind scope_kind_of(py::NodeKind kind) {
  switch (kind) {
    case py::NodeKind::ClassDef: return ScopeKind::klass;
    case py::NodeKind::Lambda: return ScopeKind::lambda;
    default: return ScopeKind::function;
  }
}

bool opens_scope(py::NodeKind kind) {
  return kind == py::NodeKind::FunctionDef || kind == py::NodeKind::AsyncFunctionDef ||
         kind == py::NodeKind::ClassDef || kind == py::NodeKind::Lambda;
}

}  // namespace

SemanticModel::SemanticModel(const py::ParseResult& parsed, std::string_view module_path)
    : module_path_(module_path) {
  const py::Module& module = parsed.module();
  scopes_.push_back(Scope{ScopeKind::module, module.start, static_cast<std::uint32_t>(parsed.source().size()) + 1,
                          -1, {}});
  build(module);
  std::ranges::sort(imported_);
  imported_.erase(std::unique(imported_.begin(), imported_.end()), imported_.end());
}

void SemanticModel::bind(int scope, std::string_view name, std::uint32_t offset, std::string qualified) {
  auto& list = scopes_[static_cast<std::size_t>(scope)].bindings[name];
  list.push_back(Binding{offset, std::move(qualified)});
}

std::string SemanticModel::resolve_relative(std::string_view module, int level) const {
  if (level == 0) return std::string(module);
  std::string base = module_path_;
  for (int i = 0; i < level && !base.empty(); ++i) {
    const auto dot = base.rfind('.');
    base = dot == std::string::npos ? std::string() : base.substr(0, dot);
  }
  if (base.empty()) return std::string(module);
  return module.empty() ? base : base + "." + std::string(module);
}

void SemanticModel::build(const py::Node& root) {
  // Pre-order walk; `owner` is the innermost scope whose range holds the node. Scopes are created
  // when their defining node is entered; the node's own name binds in the enclosing scope.
  std::vector<int> scope_stack{0};
  std::vector<std::uint32_t> scope_ends{scopes_[0].end};
  py::walk(root, [&](const py::Node& node) {
    while (scope_stack.size() > 1 && node.start >= scope_ends.back()) {
      scope_stack.pop_back();
      scope_ends.pop_back();
    }
    const int owner = scope_stack.back();
    switch (node.kind) {
      case py::NodeKind::Import: {
        const auto& import = static_cast<const py::Import&>(node);
        for (const py::Alias* alias : import.names) {
          imported_.emplace_back(alias->name);
          if (!alias->asname.empty()) {
            bind(owner, alias->asname, node.start, std::string(alias->name));
          } else {
            const std::string_view head = alias->name.substr(0, alias->name.find('.'));
            bind(owner, head, node.start, std::string(head));
          }
        }
        break;
      }
      case py::NodeKind::ImportFrom: {
        const auto& import = static_cast<const py::ImportFrom&>(node);
        const std::string module = resolve_relative(import.module, import.level);
        if (!module.empty()) imported_.push_back(module);
        for (const py::Alias* alias : import.names) {
          if (alias->name == "*") continue;
          std::string qualified = module.empty() ? std::string(alias->name) : module + "." + std::string(alias->name);
          imported_.push_back(qualified);
          bind(owner, alias->asname.empty() ? alias->name : alias->asname, node.start, std::move(qualified));
        }
        break;
      }
      case py::NodeKind::Assign: {
        const auto& assign = static_cast<const py::Assign&>(node);
        std::string target_value;
        if (is_dotted(*assign.value)) target_value = qualified_name(*assign.value);
        for (const py::Expr* target : assign.targets)
          if (const auto* name = py::dyn_cast<py::Name>(target)) bind(owner, name->id, node.start, target_value);
        break;
      }
      case py::NodeKind::FunctionDef:
      case py::NodeKind::AsyncFunctionDef:
      case py::NodeKind::ClassDef: {
        const std::string_view name = node.kind == py::NodeKind::ClassDef
                                          ? static_cast<const py::ClassDef&>(node).name
                                          : node.kind == py::NodeKind::FunctionDef
                                                ? static_cast<const py::FunctionDef&>(node).name
                                                : static_cast<const py::AsyncFunctionDef&>(node).name;
        bind(owner, name, node.start, std::string());
        break;
      }
      default: break;
    }
    if (opens_scope(node.kind)) {
      scopes_.push_back(Scope{scope_kind_of(node.kind), node.start, node.end, owner, {}});
      scope_stack.push_back(static_cast<int>(scopes_.size() - 1));
      scope_ends.push_back(node.end);
    }
    return true;
  });
}

int SemanticModel::scope_at(std::uint32_t offset) const {
  // Scopes are stored in pre-order, so the last one containing the offset is the innermost.
  int found = 0;
  for (std::size_t i = 1; i < scopes_.size(); ++i) {
    if (scopes_[i].start > offset) break;
    if (offset < scopes_[i].end) found = static_cast<int>(i);
  }
  return found;
}

const Binding* SemanticModel::lookup(std::string_view name, std::uint32_t offset) const {
  const int innermost = scope_at(offset);
  for (int scope = innermost; scope >= 0; scope = scopes_[static_cast<std::size_t>(scope)].parent) {
    const Scope& current = scopes_[static_cast<std::size_t>(scope)];
    if (current.kind == ScopeKind::klass && scope != innermost) continue;
    const auto found = current.bindings.find(name);
    if (found == current.bindings.end()) continue;
    const Binding* before = nullptr;
    for (const Binding& binding : found->second)
      if (binding.offset < offset) before = &binding;
    if (before != nullptr) return before;
    if (scope != innermost) return &found->second.back();
  }
  return nullptr;
}

std::string SemanticModel::qualified_name(const py::Expr& expr) const {
  std::vector<std::string_view> attributes;
  const py::Expr* head = &expr;
  while (const auto* attribute = py::dyn_cast<py::Attribute>(head)) {
    attributes.push_back(attribute->attr);
    head = attribute->value;
  }
  const auto* name = py::dyn_cast<py::Name>(head);
  if (name == nullptr) return {};
  const Binding* binding = lookup(name->id, head->start);
  std::string qualified = binding != nullptr && !binding->qualified.empty() ? binding->qualified : std::string(name->id);
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    qualified += ".";
    qualified += *it;
  }
  return qualified;
}

bool SemanticModel::imports_module(std::string_view module) const {
  return std::ranges::binary_search(imported_, module, std::less<>{});
}

bool SemanticModel::imports_like(std::string_view fragment) const {
  return std::ranges::any_of(imported_, [&](const std::string& imported) {
    return imported.find(fragment) != std::string::npos;
  });
}

}  // namespace moat::semantic
