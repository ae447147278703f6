#include "moat/pattern/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "moat/pattern/regex_literals.hpp"

namespace moat::pattern {

struct Regex::Code {
  pcre2_code* code = nullptr;
  explicit Code(pcre2_code* compiled) : code(compiled) {}
  Code(const Code&) = delete;
  Code& operator=(const Code&) = delete;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Rules are untrusted input: bound backtracking so one pathological expression cannot hang a scan.
constexpr uint32_t kMatchLimit = 10'000'000;

// The per-search state, one per thread and reused by every search: match data for the whole
// match only (groups are never read) and a context carrying the limit.
struct MatchData {
  pcre2_match_data* data;
  pcre2_match_context* context;
  MatchData() : data(pcre2_match_data_create(1, nullptr)), context(pcre2_match_context_create(nullptr)) {
    pcre2_set_match_limit(context, kMatchLimit);
  }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  ~MatchData() {
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
};

MatchData& thread_match_data() {
  thread_local MatchData match;
  return match;
}

// The whole match of the last successful run(); rc 0 (the one-pair ovector is "too small" for
// the groups) still sets it.
int run(const pcre2_code* code, std::string_view text, std::size_t offset, uint32_t options) {
  MatchData& match = thread_match_data();
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), offset, options, match.data,
                     match.context);
}

constexpr unsigned char fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

// 16 bytes at a time, with GCC's vector extensions (SSE2 on x86-64): most of a text holds no
// literal's first two bytes, and is passed over a block at a time.
using Block = signed char __attribute__((vector_size(16)));
constexpr std::size_t kBlock = sizeof(Block);
constexpr std::size_t kMaxPrefixes = 32;  // more distinct prefixes: test byte by byte

Block load_block(const char* at) {
  Block block;
  std::memcpy(&block, at, kBlock);
  return block;
}

Block folded(Block block) { return block | ((block >= 'A') & (block <= 'Z') & 0x20); }

bool any_set(Block mask) {
  std::array<std::uint64_t, 2> words{};
  std::memcpy(words.data(), &mask, kBlock);
  return (words[0] | words[1]) != 0;
}

// Calls `hit(span)` for every occurrence in `text` of one of `literals` (ASCII lower case),
// compared ASCII case-insensitively, in order of start, until it returns true: one pass over the
// text, checking the literals whose first byte is here. Caseless UTF-8 matching also folds KELVIN
// SIGN to k and LONG S to s: those characters count as an occurrence of everything.
template <typename Hit>
bool for_each_literal(std::string_view text, const std::vector<std::string>& literals, const Hit& hit) {
  // The literals by first byte (stable, so that hits at one offset keep the literals' order):
  // those starting with byte b are by_first[bucket[b]] .. by_first[bucket[b + 1]].
  std::array<std::uint16_t, 257> bucket{};
  for (const auto& literal : literals) {
    if (literal.empty()) return hit(Span{0, 0});
    ++bucket[static_cast<unsigned char>(literal[0]) + 1u];
  }
  for (std::size_t b = 1; b < bucket.size(); ++b) bucket[b] = static_cast<std::uint16_t>(bucket[b] + bucket[b - 1]);
  std::vector<const std::string*> by_first(literals.size());
  {
    auto next = bucket;
    for (const auto& literal : literals) by_first[next[static_cast<unsigned char>(literal[0])]++] = &literal;
  }
  // The literals' first two bytes (the second 0 for a literal of one byte), for the block test.
  std::vector<std::pair<signed char, signed char>> prefixes;
  for (const auto& literal : literals) {
    const std::pair<signed char, signed char> prefix{static_cast<signed char>(literal[0]),
                                                     static_cast<signed char>(literal.size() > 1 ? literal[1] : 0)};
    if (std::ranges::find(prefixes, prefix) == prefixes.end()) prefixes.push_back(prefix);
  }
  const auto occurs_at = [&](std::size_t i) {
    const unsigned char byte = fold(static_cast<unsigned char>(text[i]));
    if (byte == 0xC5 || byte == 0xE2) {
      const std::string_view rest = text.substr(i);
      if (rest.starts_with("\xC5\xBF") && hit(Span{i, i + 2})) return true;
      if (rest.starts_with("\xE2\x84\xAA") && hit(Span{i, i + 3})) return true;
    }
    for (std::size_t k = bucket[byte]; k < bucket[byte + 1u]; ++k) {
      const std::string& literal = *by_first[k];
      if (literal.size() > text.size() - i) continue;
      std::size_t j = 1;
      while (j < literal.size() && fold(static_cast<unsigned char>(text[i + j])) == static_cast<unsigned char>(literal[j]))
        ++j;
      if (j == literal.size() && hit(Span{i, i + j})) return true;
    }
    return false;
  };
  std::size_t i = 0;
  if (prefixes.size() <= kMaxPrefixes) {
    for (; i + kBlock + 1 <= text.size(); i += kBlock) {
      const Block here = folded(load_block(text.data() + i));
      const Block next = folded(load_block(text.data() + i + 1));
      Block candidates = (here == static_cast<signed char>(0xC5)) | (here == static_cast<signed char>(0xE2));
      for (const auto& [byte, second] : prefixes)
        candidates |= second == 0 ? (here == byte) : ((here == byte) & (next == second));
      if (!any_set(candidates)) continue;
      for (std::size_t j = i; j < i + kBlock; ++j)
        if (occurs_at(j)) return true;
    }
  }
  for (; i < text.size(); ++i)
    if (occurs_at(i)) return true;
  return false;
}

// True when `text` contains one of `literals` (see for_each_literal).
bool contains_any(std::string_view text, const std::vector<std::string>& literals) {
  return for_each_literal(text, literals, [](Span) { return true; });
}

// Reads `\x{HHHH}` at `i`: the code point, advancing `i`, or nullopt.
std::optional<unsigned long> hex_escape(std::string_view regex, std::size_t& i) {
  if (!regex.substr(i).starts_with("\\x{")) return std::nullopt;
  const std::size_t close = regex.find('}', i + 3);
  if (close == std::string_view::npos || close == i + 3 || close - i - 3 > 6) return std::nullopt;
  unsigned long value = 0;
  for (std::size_t j = i + 3; j < close; ++j) {
    const char c = regex[j];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 16 + static_cast<unsigned long>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10);
  }
  i = close + 1;
  return value;
}

// The first byte of a code point's UTF-8 form (U+0080 and above).
unsigned utf8_lead_byte(unsigned long code_point) {
  if (code_point < 0x800) return 0xC0 | static_cast<unsigned>(code_point >> 6);
  if (code_point < 0x10000) return 0xE0 | static_cast<unsigned>(code_point >> 12);
  return std::min(0xF0 | static_cast<unsigned>(code_point >> 18), 0xFFu);
}

// When every match contains a non-ASCII character of a known class, the UTF-8 lead bytes of that
// class's characters: a file holding none of them has no match. The expression must have, outside
// any group and without a top-level `|`, a character class of `\x{...}` code points at or above
// U+0080 that is not optional (MOAT-MAL017's homoglyph identifiers start with `[A-Za-z_]*`, which
// defeats the first-byte check; their Cyrillic and Greek letters lead with 0xCD-0xD3, so files with
// only Latin accents or typographic punctuation are skipped too). Conservative: inline options
// (`(?i)` folds some non-ASCII letters to ASCII ones), escapes other than `\x{...}` in the class,
// negated classes and anything unexpected give nullopt.
std::optional<TrigramSet::ByteSet> non_ascii_lead_bytes(std::string_view regex) {
  if (regex.find("\\Q") != std::string_view::npos) return std::nullopt;  // quoted text: not modelled
  int depth = 0;
  std::optional<TrigramSet::ByteSet> required;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '(') {
      const std::string_view rest = regex.substr(i + 1);
      if (rest.starts_with('?') && !rest.starts_with("?:") && !rest.starts_with("?=") && !rest.starts_with("?!") &&
          !rest.starts_with("?<=") && !rest.starts_with("?<!"))
        return std::nullopt;
      ++depth;
      continue;
    }
    if (c == ')') {
      --depth;
      continue;
    }
    if (c == '|' && depth == 0) return std::nullopt;
    if (c != '[') continue;
    // A class: with depth 0 it may be the required one; elsewhere it is skipped.
    std::size_t j = i + 1;
    if (j < regex.size() && regex[j] == '^') ++j;
    if (j >= regex.size() || regex[j] == ']') return std::nullopt;  // `[]...]`: not modelled
    bool candidate = depth == 0 && regex[i + 1] != '^';
    bool members = false;
    TrigramSet::ByteSet leads{};
    while (j < regex.size() && regex[j] != ']') {
      if (const auto low = hex_escape(regex, j)) {
        members = true;
        if (*low < 0x80) candidate = false;
        auto high = low;
        if (j < regex.size() && regex[j] == '-' && j + 1 < regex.size() && regex[j + 1] != ']') {
          ++j;
          high = hex_escape(regex, j);
          if (!high || *high < *low) candidate = false;
        }
        // A code point's lead byte grows with it: a range's members lead with the bytes between.
        if (candidate)
          for (unsigned byte = utf8_lead_byte(*low); byte <= utf8_lead_byte(*high); ++byte)
            leads[byte / 64] |= std::uint64_t{1} << (byte % 64);
        continue;
      }
      candidate = false;
      if (regex[j] == '\\') ++j;
      else if (regex[j] == '[') return std::nullopt;  // POSIX classes: not worth modelling
      ++j;
    }
    if (j >= regex.size()) return std::nullopt;
    i = j;
    const char next = j + 1 < regex.size() ? regex[j + 1] : '\0';
    const bool optional = next == '?' || next == '*' || regex.substr(j + 1).starts_with("{0") ||
                          regex.substr(j + 1).starts_with("{,");
    if (!required && candidate && members && !optional) required = leads;
  }
  return required;  // a `|` after the class would have returned nullopt
}

}  // namespace

Result<Regex> Regex::compile(std::string_view source) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                   PCRE2_UTF | PCRE2_MULTILINE | PCRE2_MATCH_INVALID_UTF, &error_code,
                                   &error_offset, nullptr);
  if (code == nullptr) {
    std::string message(256, '\0');
    const int length = pcre2_get_error_message(error_code, reinterpret_cast<PCRE2_UCHAR*>(message.data()),
                                               message.size());
    message.resize(length > 0 ? static_cast<std::size_t>(length) : 0);
    return fail("", "invalid regex '" + std::string(source) + "' at offset " + std::to_string(error_offset) +
                        ": " + message);
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // a failed JIT falls back to the interpreter
  Regex regex;
  regex.code_ = std::make_shared<const Code>(code);
  regex.source_ = std::string(source);
  regex.required_ = required_literals(source);
  regex.run_ = required_run(source);
  // PCRE2's start-of-match bitmap, when it computed one: a file holding none of these bytes has no match.
  const uint8_t* bitmap = nullptr;
  if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap != nullptr) {
    TrigramSet::ByteSet bytes{};
    for (unsigned byte = 0; byte < 256; ++byte)
      if ((bitmap[byte / 8] & (1u << (byte % 8))) != 0) bytes[byte / 64] |= std::uint64_t{1} << (byte % 64);
    regex.first_bytes_ = bytes;
  }
  // A non-ASCII character required somewhere is the better test when a match may start with ASCII.
  const auto leads = non_ascii_lead_bytes(source);
  if (leads && (!regex.first_bytes_ || ((*regex.first_bytes_)[0] | (*regex.first_bytes_)[1]) != 0)) regex.first_bytes_ = leads;
  return regex;
}

bool Regex::may_match_runs_of(std::string_view text) const { return !run_ || contains_run(text, *run_); }

bool Regex::may_occur_in(std::string_view text) const { return !required_ || contains_any(text, *required_); }

std::optional<std::vector<Span>> Regex::literal_hits(std::string_view text, std::size_t limit) const {
  if (!required_ || std::ranges::any_of(*required_, &std::string::empty)) return std::nullopt;
  std::vector<Span> hits;
  const bool over = for_each_literal(text, *required_, [&](Span hit) {
    hits.push_back(hit);
    return hits.size() > limit;
  });
  if (over) return std::nullopt;
  return hits;
}

std::vector<Span> Regex::find_all(std::string_view text, bool literals_checked) const {
  std::vector<Span> spans;
  if (!literals_checked && !may_occur_in(text)) return spans;
  const pcre2_code* code = code_->code;
  std::size_t offset = 0;
  while (offset <= text.size()) {
    if (run(code, text, offset, 0) < 0) break;
    const PCRE2_SIZE* vector = pcre2_get_ovector_pointer(thread_match_data().data);
    const std::size_t start = vector[0];
    const std::size_t end = vector[1];
    if (end > start) spans.push_back({start, end});
    offset = end > start ? end : end + 1;
    // Stay on a UTF-8 character boundary when stepping over an empty match.
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
  }
  return spans;
}

bool Regex::matches_at_start(std::string_view text) const {
  return may_occur_in(text) && run(code_->code, text, 0, PCRE2_ANCHORED) >= 0;
}

bool Regex::may_match(const TrigramSet& trigrams) const {
  if (first_bytes_ && !trigrams.may_contain_any(*first_bytes_)) return false;
  return !required_ || std::ranges::any_of(*required_, [&](const std::string& literal) {
    return trigrams.may_contain(literal);
  });
}

bool Regex::search(std::string_view text) const { return may_occur_in(text) && run(code_->code, text, 0, 0) >= 0; }

}  // namespace moat::pattern
