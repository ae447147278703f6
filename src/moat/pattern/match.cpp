#include "moat/pattern/match.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

#include "moat/pattern/comparison.hpp"

namespace moat::pattern {

namespace {

// Source text with layout removed outside string literals, so `f(a,b)` equals `f(a, b)`.
std::string normalized(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) out.push_back(text[++i]);
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

}  // namespace

SpanSet::SpanSet(std::vector<Span> spans) : spans_(std::move(spans)), min_end_(spans_.size()) {
  std::ranges::sort(spans_, {}, &Span::start);
  for (std::size_t k = spans_.size(); k-- > 0;)
    min_end_[k] = k + 1 < spans_.size() ? std::min(spans_[k].end, min_end_[k + 1]) : spans_[k].end;
}

bool SpanSet::any_inside(Span span) const {
  // Among the spans starting at or after span.start, the one ending first decides.
  const auto k = static_cast<std::size_t>(std::ranges::lower_bound(spans_, span.start, {}, &Span::start) - spans_.begin());
  return k < spans_.size() && min_end_[k] <= span.end;
}

const Binding* find_binding(const Bindings& bindings, std::string_view name) {
  for (const auto& [bound_name, binding] : bindings)
    if (bound_name == name) return &binding;
  return nullptr;
}

bool same_code(const Binding& a, const Binding& b) {
  if (a.span == b.span) return true;
  if (a.text == b.text) return true;
  return normalized(a.text) == normalized(b.text);
}

bool has_type(const Binding& binding, std::string_view type) {
  const Value value = value_of_code(binding.text);
  if (type == "str" || type == "string") {
    const bool quoted = !binding.text.empty() && (binding.text.back() == '"' || binding.text.back() == '\'');
    return (std::holds_alternative<std::string>(value) && quoted) || binding.constant.has_value();
  }
  if (type == "int") return std::holds_alternative<long long>(value);
  if (type == "float") return std::holds_alternative<double>(value);
  if (type == "bool") return std::holds_alternative<bool>(value);
  return false;
}

bool compatible(const Bindings& a, const Bindings& b) {
  for (const auto& [name, binding] : a)
    if (const Binding* other = find_binding(b, name); other != nullptr && !same_code(binding, *other)) return false;
  return true;
}

}  // namespace moat::pattern
