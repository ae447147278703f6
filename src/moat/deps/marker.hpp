#pragma once
// PEP 508 environment markers: parsing, canonical text and evaluation (current `packaging`
// semantics, including PEP 751's set-valued `extras` and `dependency_groups`).
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::deps {

/// The values markers are evaluated against. Set-valued variables exist only in lock files.
struct MarkerEnvironment {
  std::map<std::string, std::string, std::less<>> values;
  std::map<std::string, std::set<std::string>, std::less<>> sets;  // "extras", "dependency_groups"

  /// CPython `python_version` on Linux x86_64 with no extra: the default audit target.
  static MarkerEnvironment for_python(std::string_view python_full_version, std::string_view platform = "linux");
};

struct MarkerOperand {
  bool is_variable = false;
  std::string text;  // variable name (canonical spelling) or the literal's value
};

struct MarkerNode {
  // An atom when `op` is set; otherwise a parenthesised list: children joined by "and"/"or".
  MarkerOperand left;
  std::string op;
  MarkerOperand right;
  std::vector<MarkerNode> children;
  std::vector<std::string> joiners;  // children.size() - 1 of "and" / "or"
};

class Marker {
 public:
  static Result<Marker> parse(std::string_view text);
  [[nodiscard]] std::string to_string() const;
  /// Evaluates; fails on a comparison the spec leaves undefined or a variable the environment lacks.
  [[nodiscard]] Result<bool> evaluate(const MarkerEnvironment& environment) const;
  [[nodiscard]] const MarkerNode& root() const { return root_; }

 private:
  friend class MarkerParser;
  MarkerNode root_;
};

}  // namespace moat::deps
