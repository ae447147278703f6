// B613 trojansource: the first line holding a Unicode bidirectional control character.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB613;
const RuleDoc kDocB613{
    "B613", "trojansource",
    "Source lines containing Unicode bidirectional control characters.",
    "Bidi overrides make code display differently from how it is parsed (\"Trojan Source\"), hiding malicious logic from reviewers.",
    "access_level = \"user\u202e \u2066# check if admin\u2069 \u2066\"",
    "Remove the control characters; escape them (`\\u202e`) if a string really needs them.",
    "https://trojansource.codes/\nhttps://cwe.mitre.org/data/definitions/838.html"};

namespace {

/// The bidi controls in Bandit's search order, as UTF-8, with Python's repr of each.
struct BidiCharacter {
  std::string_view utf8;
  std::string_view repr;
};
constexpr std::array<BidiCharacter, 10> kBidi{{
    {"\u202a", "'\\u202a'"}, {"\u202b", "'\\u202b'"}, {"\u202c", "'\\u202c'"}, {"\u202d", "'\\u202d'"},
    {"\u202e", "'\\u202e'"}, {"\u2066", "'\\u2066'"}, {"\u2067", "'\\u2067'"}, {"\u2068", "'\\u2068'"},
    {"\u2069", "'\\u2069'"}, {"\u200f", "'\\u200f'"},
}};

static_assert(std::ranges::all_of(kBidi, [](const BidiCharacter& bidi) { return bidi.utf8[0] == '\xe2'; }));

/// 1-based character (code point) index of a byte offset within a UTF-8 line.
int character_index(std::string_view line, std::size_t byte_offset) {
  int characters = 0;
  for (std::size_t i = 0; i < byte_offset; ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++characters;
  return characters + 1;
}

}  // namespace

void trojansource(Checker& checker, std::string_view text) {
  // Every control starts with 0xE2, absent from most files; other characters sharing the
  // controls' lead bytes (dashes, quotes) are common in text.
  if (text.find('\xe2') == std::string_view::npos) return;
  if (std::ranges::none_of(kBidi, [&](const BidiCharacter& bidi) { return text.find(bidi.utf8) != std::string_view::npos; }))
    return;
  // Lines as Python's str.splitlines() sees them (the text is already LF-normalised).
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && text[end] != '\n' && text[end] != '\v' && text[end] != '\f' &&
           !(text.compare(end, 3, "\xe2\x80\xa8") == 0 || text.compare(end, 3, "\xe2\x80\xa9") == 0) &&
           !(text.compare(end, 2, "\xc2\x85") == 0) && text[end] != '\x1c' && text[end] != '\x1d' && text[end] != '\x1e')
      ++end;
    ++line_number;
    const std::string_view line = text.substr(start, end - start);
    for (const BidiCharacter& bidi : kBidi) {
      const auto found = line.find(bidi.utf8);
      if (found == std::string_view::npos) continue;
      Issue issue;
      issue.check = Check::B613;
      issue.severity = Severity::high;
      issue.confidence = Confidence::medium;
      issue.text = "A Python source file contains bidirectional control characters (" + std::string(bidi.repr) + ").";
      issue.line = line_number;
      issue.column = character_index(line, found);
      issue.end_column = 0;
      issue.end_line = line_number;
      issue.line_range = {line_number, line_number};
      issue.nosec_range = {0, 1};
      issue.plugin_line = line_number;
      checker.report_file_issue(std::move(issue));
      return;
    }
    if (end >= text.size()) break;
    start = end + (text.compare(end, 3, "\xe2\x80\xa8") == 0 || text.compare(end, 3, "\xe2\x80\xa9") == 0 ? 3
                   : text.compare(end, 2, "\xc2\x85") == 0                                                   ? 2
                                                                                                             : 1);
  }
}

}  // namespace moat::lint::rules
