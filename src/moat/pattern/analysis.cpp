#include "moat/pattern/analysis.hpp"

#include <cctype>
#include <vector>

namespace moat::pattern {

namespace {

// Length of an unbounded quantifier at `at` (`*`, `+`, `{n,}`, with a lazy or possessive suffix
// left to the caller), 0 when there is none or it is bounded.
std::size_t unbounded_quantifier(std::string_view regex, std::size_t at) {
  if (at >= regex.size()) return 0;
  if (regex[at] == '*' || regex[at] == '+') return 1;
  if (regex[at] != '{') return 0;
  std::size_t i = at + 1;
  while (i < regex.size() && std::isdigit(static_cast<unsigned char>(regex[i]))) ++i;
  if (i == at + 1 || i >= regex.size() || regex[i] != ',') return 0;
  ++i;
  if (i < regex.size() && regex[i] == '}') return i + 1 - at;  // `{n,}`
  return 0;
}

}  // namespace

bool regex_may_backtrack_exponentially(std::string_view regex) {
  // Per open group: whether an unbounded repetition occurs inside it.
  std::vector<bool> groups;
  const auto mark_repetition = [&] {
    if (!groups.empty()) groups.back() = true;
  };
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      ++i;
      if (unbounded_quantifier(regex, i + 1) != 0) mark_repetition();
      continue;
    }
    if (c == '[') {  // a character class is one atom
      std::size_t j = i + 1;
      if (j < regex.size() && regex[j] == '^') ++j;
      if (j < regex.size() && regex[j] == ']') ++j;
      while (j < regex.size() && regex[j] != ']') j += regex[j] == '\\' ? 2 : 1;
      i = j;
      if (unbounded_quantifier(regex, i + 1) != 0) mark_repetition();
      continue;
    }
    if (c == '(') {
      groups.push_back(false);
      continue;
    }
    if (c == ')') {
      if (groups.empty()) continue;
      const bool inner_repetition = groups.back();
      groups.pop_back();
      if (unbounded_quantifier(regex, i + 1) != 0) {
        if (inner_repetition) return true;
        mark_repetition();
      } else if (inner_repetition) {
        mark_repetition();  // `((a+)b)+`: the repetition is still inside the outer group
      }
      continue;
    }
    if (unbounded_quantifier(regex, i + 1) != 0 && c != '*' && c != '+' && c != '?' && c != '}') mark_repetition();
  }
  return false;
}

}  // namespace moat::pattern
