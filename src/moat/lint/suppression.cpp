#include "moat/lint/suppression.hpp"

#include <string>
#include <vector>

namespace moat::lint {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of one token of `(B\d+|[a-z\d_]+)` (IGNORECASE) at `at`: Python tries `B\d+` first.
std::size_t token_length(std::string_view text, std::size_t at) {
  if ((text[at] == 'B' || text[at] == 'b') && at + 1 < text.size() && is_digit(text[at + 1])) {
    std::size_t end = at + 1;
    while (end < text.size() && is_digit(text[end])) ++end;
    return end - at;
  }
  std::size_t end = at;
  while (end < text.size() && is_word(text[end])) ++end;
  return end - at;
}

/// The items Bandit keeps from a nosec list: for each match of `(?:(TOKEN),?)+`, the last token.
std::vector<std::string_view> nosec_items(std::string_view tests) {
  std::vector<std::string_view> items;
  std::size_t at = 0;
  while (at < tests.size()) {
    if (!is_word(tests[at])) {
      ++at;
      continue;
    }
    std::string_view last;
    while (at < tests.size() && is_word(tests[at])) {
      const std::size_t length = token_length(tests, at);
      last = tests.substr(at, length);
      at += length;
      if (at < tests.size() && tests[at] == ',') ++at;
    }
    items.push_back(last);
  }
  return items;
}

/// A check by ID, else by name (Bandit's check_id, then get_test_id).
std::optional<Check> check_for_word(std::string_view word) {
  if (auto by_id = find_check_by_id(word)) return by_id;
  return find_check_by_name(word);
}

}  // namespace

std::optional<Suppression> parse_nosec_comment(std::string_view comment) {
  for (std::size_t hash = comment.find('#'); hash != std::string_view::npos; hash = comment.find('#', hash + 1)) {
    std::size_t at = hash + 1;
    while (at < comment.size() && is_space(comment[at])) ++at;
    if (comment.substr(at, 5) != "nosec") continue;
    at += 5;
    if (at < comment.size() && comment[at] == ':') ++at;
    while (at < comment.size() && is_space(comment[at])) ++at;
    const std::size_t end = comment.find('#', at);
    const std::string_view tests = comment.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    Suppression suppression;
    suppression.from_nosec = true;
    for (const std::string_view item : nosec_items(tests))
      if (const auto check = check_for_word(item)) suppression.checks.set(index(*check));
    suppression.blanket = suppression.checks.none();
    return suppression;
  }
  return std::nullopt;
}

std::optional<Suppression> parse_moat_suppression(std::string_view comment) {
  Suppression suppression;
  if (const auto noqa = comment.find("noqa:"); noqa != std::string_view::npos) {
    std::string_view rest = comment.substr(noqa + 5);
    std::size_t at = 0;
    while (at < rest.size()) {
      while (at < rest.size() && (is_space(rest[at]) || rest[at] == ',')) ++at;
      std::size_t end = at;
      while (end < rest.size() && is_word(rest[end])) ++end;
      if (end == at) break;
      const std::string_view code = rest.substr(at, end - at);
      if (code.size() > 1 && code[0] == 'S') {
        if (const auto check = find_check_by_id("B" + std::string(code.substr(1)))) suppression.checks.set(index(*check));
      }
      at = end;
    }
  }
  if (const auto ignore = comment.find("moat: ignore["); ignore != std::string_view::npos) {
    const std::size_t start = ignore + 13;
    const std::size_t close = comment.find(']', start);
    std::string_view list = comment.substr(start, close == std::string_view::npos ? std::string_view::npos : close - start);
    std::size_t at = 0;
    while (at < list.size()) {
      while (at < list.size() && !is_word(list[at])) ++at;
      std::size_t end = at;
      while (end < list.size() && is_word(list[end])) ++end;
      if (end > at) {
        std::string word(list.substr(at, end - at));
        if (!word.empty() && word[0] == 'S') word[0] = 'B';
        if (const auto check = check_for_word(word)) suppression.checks.set(index(*check));
      }
      at = end;
    }
  }
  if (suppression.checks.none()) return std::nullopt;
  return suppression;
}

}  // namespace moat::lint
