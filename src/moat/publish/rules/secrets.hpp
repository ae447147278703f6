#pragma once
// Finding credentials in plain text: passwords inside URLs (PyPI API tokens: base's find_pypi_tokens).
#include <cctype>
#include <string_view>
#include <vector>

namespace moat::publish {

struct TextSpan {
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// True for a value that refers to a secret kept elsewhere ($VAR, ${VAR}, ${{ secrets.X }}, %(x)s).
inline bool is_reference(std::string_view value) {
  return value.empty() || value.front() == '$' || value.find("${{") != std::string_view::npos ||
         value.starts_with("%(") || value.starts_with("<") || value.starts_with("{{");
}

/// The password part of every `scheme://user:password@host` in text, when it is a literal.
inline std::vector<TextSpan> url_passwords(std::string_view text) {
  std::vector<TextSpan> found;
  std::size_t at = 0;
  while ((at = text.find("://", at)) != std::string_view::npos) {
    const std::size_t userinfo = at + 3;
    at = userinfo;
    std::size_t end = userinfo;
    while (end < text.size() && text[end] != '@' && text[end] != '/' && text[end] != '?' && text[end] != '#' &&
           std::isspace(static_cast<unsigned char>(text[end])) == 0 && text[end] != '"' && text[end] != '\'')
      ++end;
    if (end >= text.size() || text[end] != '@') continue;
    const auto colon = text.substr(userinfo, end - userinfo).find(':');
    if (colon == std::string_view::npos) continue;
    const std::size_t password = userinfo + colon + 1;
    if (is_reference(text.substr(password, end - password))) continue;
    found.push_back({password, end - password});
  }
  return found;
}

}  // namespace moat::publish
