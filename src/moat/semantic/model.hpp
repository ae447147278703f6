#pragma once
// The semantic model of one module: scopes (module, class, function, lambda), the bindings made in
// each (imports, from-imports, simple assignments of a name or attribute chain) and the qualified
// name an expression refers to. Rules match on qualified names, never on source text:
//
//   import subprocess as sp; sp.Popen          -> "subprocess.Popen"
//   from os import system as s; s              -> "os.system"
//   runner = sp.call; runner                   -> "subprocess.call"
//
// Lookups follow Python's rules: the innermost function scope first, class scopes only for code
// directly in the class body, then enclosing functions and the module. In the scope of the use,
// the last binding before it counts; in an enclosing scope the last binding before the use or,
// when there is none, the last one of that scope (a function body runs after the module is
// loaded). Relative imports resolve against `module_path` ("pkg.sub.mod") when known.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "moat/python/parser.hpp"

namespace moat::semantic {

enum class ScopeKind : std::uint8_t { module, klass, function, lambda };

struct Binding {
  std::uint32_t offset;       // where the binding statement starts
  std::string qualified;      // what the name refers to; empty when it is not an import or alias
};

struct Scope {
  ScopeKind kind;
  std::uint32_t start;  // byte range of the defining node
  std::uint32_t end;
  int parent;           // index into scopes, -1 for the module
  std::unordered_map<std::string_view, std::vector<Binding>> bindings;
};

class SemanticModel {
 public:
  /// Builds the model in one pass over the module. `module_path` is the dotted module name of the
  /// file ("pkg.mod"), used to resolve relative imports; it may be empty.
  explicit SemanticModel(const python::ParseResult& parsed, std::string_view module_path = {});

  /// The qualified name of a Name or Attribute chain ("subprocess.Popen"); for a name nothing
  /// imports or aliases, the name as written (builtins such as "eval" stay "eval"). Empty for
  /// expressions that are not a Name/Attribute chain (calls, subscripts, ...).
  [[nodiscard]] std::string qualified_name(const python::Expr& expr) const;

  /// Every module the file imports anywhere: "a.b" for `import a.b`, and both "m" and "m.n" for
  /// `from m import n`.
  [[nodiscard]] bool imports_module(std::string_view module) const;
  /// True when some imported module name contains `fragment` as a substring.
  [[nodiscard]] bool imports_like(std::string_view fragment) const;

  [[nodiscard]] const std::vector<Scope>& scopes() const { return scopes_; }

 private:
  void build(const python::Node& root);
  void bind(int scope, std::string_view name, std::uint32_t offset, std::string qualified);
  [[nodiscard]] int scope_at(std::uint32_t offset) const;
  [[nodiscard]] const Binding* lookup(std::string_view name, std::uint32_t offset) const;
  [[nodiscard]] std::string resolve_relative(std::string_view module, int level) const;

  std::vector<Scope> scopes_;
  std::vector<std::string> imported_;
  std::string module_path_;
};

}  // namespace moat::semantic
