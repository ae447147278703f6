#include <algorithm>

#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

bool is_str_constant(const py::Expr* expr) {
  const auto* constant = py::dyn_cast<py::Constant>(expr);
  return constant != nullptr && constant->value.is_string();
}

std::string_view str_value(const py::Expr& expr) { return static_cast<const py::Constant&>(expr).value.text; }

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::ranges::find(list, value) != list.end();
}

std::vector<std::string_view> split_dots(std::string_view qualname) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = qualname.find('.', start);
    parts.push_back(qualname.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

bool has_segment(std::string_view qualname, std::string_view segment) {
  for (std::size_t at = qualname.find(segment); at != std::string_view::npos; at = qualname.find(segment, at + 1)) {
    const std::size_t after = at + segment.size();
    if ((at == 0 || qualname[at - 1] == '.') && (after == qualname.size() || qualname[after] == '.')) return true;
  }
  return false;
}

}  // namespace moat::lint::rules
