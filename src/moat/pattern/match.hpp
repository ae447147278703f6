#pragma once
// What a pattern match is during formula evaluation: a byte range of the file and the
// metavariable bindings that produced it (Semgrep's "range with metavars").
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "moat/pattern/regex.hpp"

namespace moat::python {
struct Node;
}

namespace moat::pattern {

struct Binding {
  Span span;                               // source range of the bound code
  std::string_view text;                   // that source text
  const python::Node* node = nullptr;      // the bound node; null for names and $...X runs
  std::optional<std::string> constant;     // constant-propagated string value, when known
};

using Bindings = std::vector<std::pair<std::string, Binding>>;

struct RangeMatch {
  enum class Kind { plain, inside, regex };
  Span span;
  Bindings bindings;
  Kind kind = Kind::plain;
};

/// Spans asked whether one of them lies wholly inside a given span: the occurrences of the regex
/// literals that every match of a metavariable condition needs (see CompiledPattern::find()).
class SpanSet {
 public:
  explicit SpanSet(std::vector<Span> spans);
  /// True when some span of the set starts and ends within `span`.
  [[nodiscard]] bool any_inside(Span span) const;
  [[nodiscard]] bool empty() const { return spans_.empty(); }

 private:
  std::vector<Span> spans_;           // ordered by start
  std::vector<std::size_t> min_end_;  // smallest end among spans_[k..]
};

/// The binding of `name` in `bindings`, or null.
const Binding* find_binding(const Bindings& bindings, std::string_view name);

/// True when two bindings denote the same code (Semgrep's equality of bound code), ignoring
/// layout: whitespace and comments do not matter.
bool same_code(const Binding& a, const Binding& b);

/// True when the bound code is a literal (or a name bound to a constant string) of the Python
/// type `type` ("int", "float", "bool", "str"/"string"); other types are undecidable here.
bool has_type(const Binding& binding, std::string_view type);

/// True when every metavariable bound in both has equal code in both.
bool compatible(const Bindings& a, const Bindings& b);

}  // namespace moat::pattern
