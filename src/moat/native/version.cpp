#include "moat/native/version.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

namespace moat::native {

namespace {

struct Token {
  bool number = false;
  std::uint64_t value = 0;
  std::string_view word;
};

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto start = at;
    if (std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
      std::uint64_t value = 0;
      while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
        if (value < (1ULL << 58)) value = value * 10 + static_cast<std::uint64_t>(text[at] - '0');
        ++at;
      }
      tokens.push_back({true, value, {}});
    } else if (std::isalpha(static_cast<unsigned char>(text[at])) != 0) {
      while (at < text.size() && std::isalpha(static_cast<unsigned char>(text[at])) != 0) ++at;
      tokens.push_back({false, 0, text.substr(start, at - start)});
    } else {
      ++at;  // separators: . - _ +
    }
  }
  return tokens;
}

bool is_prerelease(std::string_view word) {
  static constexpr std::array<std::string_view, 7> kWords = {"dev", "alpha", "beta", "pre", "rc", "cvs", "snap"};
  for (const auto candidate : kWords)
    if (word.size() == candidate.size() && std::equal(word.begin(), word.end(), candidate.begin(), [](char x, char y) {
          return std::tolower(static_cast<unsigned char>(x)) == y;
        }))
      return true;
  return false;
}

// The order of one token against "nothing more" (the other version ended): a pre-release makes the
// version older, a letter release (1.1.1w) newer, a trailing zero (1.0 vs 1.0.0) no different.
int against_end(const Token& token) {
  if (token.number) return token.value == 0 ? 0 : 1;
  return is_prerelease(token.word) ? -1 : 1;
}

int compare_tokens(const Token& a, const Token& b) {
  if (a.number && b.number) return a.value < b.value ? -1 : (a.value > b.value ? 1 : 0);
  if (a.number != b.number) {
    // A pre-release word sorts before any number; a letter release sorts before the next number.
    return a.number ? 1 : -1;
  }
  const bool a_pre = is_prerelease(a.word);
  const bool b_pre = is_prerelease(b.word);
  if (a_pre != b_pre) return a_pre ? -1 : 1;
  return a.word.compare(b.word) < 0 ? -1 : (a.word == b.word ? 0 : 1);
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  const auto left = tokenize(a);
  const auto right = tokenize(b);
  const auto common = std::min(left.size(), right.size());
  for (std::size_t index = 0; index < common; ++index)
    if (const int order = compare_tokens(left[index], right[index]); order != 0) return order;
  for (std::size_t index = common; index < left.size(); ++index)
    if (const int order = against_end(left[index]); order != 0) return order;
  for (std::size_t index = common; index < right.size(); ++index)
    if (const int order = against_end(right[index]); order != 0) return -order;
  return 0;
}

bool is_numeric_version(std::string_view text) {
  return !text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) != 0;
}

}  // namespace moat::native
