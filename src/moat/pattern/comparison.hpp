#pragma once
// metavariable-comparison: a small Python-like expression over metavariable values
// (`$X > 1024`, `int($PORT) < 1024 and $Y == "a"`, `not $X in [1, 2]`, `re.match("a.*", $S)`).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "moat/util/error.hpp"

namespace moat::pattern {

/// A value in a comparison: None, bool, integer, float or string.
using Value = std::variant<std::monostate, bool, long long, double, std::string>;

/// Turns a bound code fragment into a value: integer and float literals, string literals (unquoted),
/// True/False/None; anything else becomes its source text as a string.
Value value_of_code(std::string_view code);

class Comparison {
 public:
  struct Node;
  static Result<std::shared_ptr<const Comparison>> parse(std::string_view expression);
  ~Comparison();
  Comparison(const Comparison&) = delete;
  Comparison& operator=(const Comparison&) = delete;

  /// Evaluates with `lookup` giving each metavariable's value (nullopt: unbound, making it false).
  [[nodiscard]] bool evaluate(const std::function<std::optional<Value>(std::string_view)>& lookup) const;

 private:
  Comparison() = default;
  std::unique_ptr<Node> root_;
};

}  // namespace moat::pattern
