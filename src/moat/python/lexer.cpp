#include "moat/python/lexer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "moat/python/unicode.hpp"
#include "moat/util/bytes.hpp"

namespace moat::python {
namespace {

constexpr int kTabSize = 8;
constexpr int kMaxIndent = 100;

// Byte classes, one table lookup per byte in the hot loops.
enum CharClass : std::uint8_t { kIdentStart = 1, kIdentChar = 2, kDigit = 4, kStringPrefix = 8, kAsciiIdentChar = 16 };
constexpr std::array<std::uint8_t, 256> kCharClasses = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    const bool digit = c >= '0' && c <= '9';
    std::uint8_t bits = 0;
    if (letter) bits |= kIdentStart | kIdentChar;
    if (digit) bits |= kIdentChar | kDigit;
    if ((letter || digit) && c < 0x80) bits |= kAsciiIdentChar;
    if (std::string_view("bBrRuUfFtT").find(static_cast<char>(c)) != std::string_view::npos) bits |= kStringPrefix;
    table[static_cast<std::size_t>(c)] = bits;
  }
  return table;
}();
bool has_class(char c, CharClass bits) { return (kCharClasses[static_cast<unsigned char>(c)] & bits) != 0; }
bool is_ident_start(unsigned char c) { return (kCharClasses[c] & kIdentStart) != 0; }
bool is_ident_char(unsigned char c) { return (kCharClasses[c] & kIdentChar) != 0; }
bool is_digit(char c) { return has_class(c, kDigit); }

/// The end of the run of ASCII identifier characters starting at `at`: sixteen bytes per step with
/// SSE2, which every x86-64 has (identifiers are a third of the bytes of Python code).
std::uint32_t skip_ascii_identifier(std::string_view text, std::uint32_t at, std::uint32_t end) {
#if defined(__SSE2__)
  const __m128i before_a = _mm_set1_epi8('a' - 1), after_z = _mm_set1_epi8('z' + 1);
  const __m128i before_0 = _mm_set1_epi8('0' - 1), after_9 = _mm_set1_epi8('9' + 1);
  const __m128i underscore = _mm_set1_epi8('_'), case_bit = _mm_set1_epi8(0x20);
  while (end - at >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
    const __m128i folded = _mm_or_si128(bytes, case_bit);  // bytes >= 0x80 stay negative: no match
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, before_a), _mm_cmplt_epi8(folded, after_z));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(bytes, before_0), _mm_cmplt_epi8(bytes, after_9));
    const __m128i ident = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(bytes, underscore));
    const unsigned others = ~static_cast<unsigned>(_mm_movemask_epi8(ident)) & 0xFFFFu;
    if (others != 0) return at + static_cast<std::uint32_t>(__builtin_ctz(others));
    at += 16;
  }
#endif
  while (at < end && has_class(text[at], kAsciiIdentChar)) ++at;
  return at;
}

struct KeywordEntry {
  std::string_view text;
  TokenKind kind;
};
constexpr std::array kKeywords{
    KeywordEntry{"False", TokenKind::False},     KeywordEntry{"None", TokenKind::None},
    KeywordEntry{"True", TokenKind::True},       KeywordEntry{"and", TokenKind::And},
    KeywordEntry{"as", TokenKind::As},           KeywordEntry{"assert", TokenKind::Assert},
    KeywordEntry{"async", TokenKind::Async},     KeywordEntry{"await", TokenKind::Await},
    KeywordEntry{"break", TokenKind::Break},     KeywordEntry{"class", TokenKind::Class},
    KeywordEntry{"continue", TokenKind::Continue}, KeywordEntry{"def", TokenKind::Def},
    KeywordEntry{"del", TokenKind::Del},         KeywordEntry{"elif", TokenKind::Elif},
    KeywordEntry{"else", TokenKind::Else},       KeywordEntry{"except", TokenKind::Except},
    KeywordEntry{"finally", TokenKind::Finally}, KeywordEntry{"for", TokenKind::For},
    KeywordEntry{"from", TokenKind::From},       KeywordEntry{"global", TokenKind::Global},
    KeywordEntry{"if", TokenKind::If},           KeywordEntry{"import", TokenKind::Import},
    KeywordEntry{"in", TokenKind::In},           KeywordEntry{"is", TokenKind::Is},
    KeywordEntry{"lambda", TokenKind::Lambda},   KeywordEntry{"nonlocal", TokenKind::Nonlocal},
    KeywordEntry{"not", TokenKind::Not},         KeywordEntry{"or", TokenKind::Or},
    KeywordEntry{"pass", TokenKind::Pass},       KeywordEntry{"raise", TokenKind::Raise},
    KeywordEntry{"return", TokenKind::Return},   KeywordEntry{"try", TokenKind::Try},
    KeywordEntry{"while", TokenKind::While},     KeywordEntry{"with", TokenKind::With},
    KeywordEntry{"yield", TokenKind::Yield},
};

/// A hash of a word's first and last bytes and length that gives every keyword its own slot.
constexpr std::size_t keyword_slot(std::string_view word) {
  return (static_cast<unsigned char>(word.front()) + static_cast<unsigned char>(word.back()) * 11u + word.size()) & 127u;
}
/// Slot -> 1 + index into kKeywords, 0 for none.
constexpr std::array<std::uint8_t, 128> kKeywordSlots = [] {
  std::array<std::uint8_t, 128> slots{};
  for (std::size_t i = 0; i < kKeywords.size(); ++i) slots[keyword_slot(kKeywords[i].text)] = static_cast<std::uint8_t>(i + 1);
  return slots;
}();
static_assert(std::ranges::count_if(kKeywordSlots, [](std::uint8_t slot) { return slot != 0; }) == kKeywords.size(),
              "two keywords share a slot: change keyword_slot()");

TokenKind keyword_or_name(std::string_view word) {
  if (word.size() < 2 || word.size() > 8) return TokenKind::Name;
  const std::uint8_t slot = kKeywordSlots[keyword_slot(word)];
  if (slot != 0 && kKeywords[slot - 1].text == word) return kKeywords[slot - 1].kind;
  return TokenKind::Name;
}

class Lexer {
 public:
  Lexer(std::string_view source, std::uint32_t begin, std::uint32_t end, const LexOptions& options,
        std::vector<Token>& tokens, std::vector<std::uint32_t>* comment_indexes)
      : src_(source), pos_(begin), end_(end), options_(options), tokens_(tokens), comment_indexes_(comment_indexes) {
    if (options.inside_brackets) depth_ = 1;
  }

  std::optional<SyntaxError> run() {
    bool at_line_start = !options_.inside_brackets;
    while (!error_) {
      if (at_line_start) {
        at_line_start = false;
        if (!indentation()) continue;
      }
      if (pos_ >= end_) break;
      const char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\f') {
        do ++pos_;
        while (pos_ < end_ && src_[pos_] == ' ');
      } else if (c == '\n') {
        const bool logical = depth_ == 0 && line_has_tokens_;
        push(logical ? TokenKind::Newline : TokenKind::NonLogicalNewline, pos_, pos_ + 1);
        ++pos_;
        line_has_tokens_ = false;
        at_line_start = depth_ == 0 && !options_.inside_brackets;
      } else if (c == '#') {
        const std::uint32_t start = pos_;
        pos_ = find_newline(pos_);
        if (comment_indexes_ != nullptr) comment_indexes_->push_back(static_cast<std::uint32_t>(tokens_.size()));
        push(TokenKind::Comment, start, pos_);
      } else if (c == '\\') {
        continuation();
      } else {
        line_has_tokens_ = true;
        token();
      }
    }
    if (error_) return error_;
    if (options_.inside_brackets) {
      return std::nullopt;
    }
    if (depth_ > 0) {
      return error_at(bracket_stack_[depth_ - 1], std::string("'") + src_[bracket_stack_[depth_ - 1]] +
                                                      "' was never closed");
    }
    if (line_has_tokens_) push(TokenKind::Newline, end_, end_);
    while (indents_.size() > 1) {
      indents_.pop_back();
      push(TokenKind::Dedent, end_, end_);
    }
    push(TokenKind::EndOfFile, end_, end_);
    return std::nullopt;
  }

 private:
  void push(TokenKind kind, std::uint32_t start, std::uint32_t stop) { tokens_.push_back({kind, start, stop}); }

  /// Offset of the next newline at or after `from`, or end_.
  std::uint32_t find_newline(std::uint32_t from) const {
    const void* found = std::memchr(src_.data() + from, '\n', end_ - from);
    return found == nullptr ? end_ : static_cast<std::uint32_t>(static_cast<const char*>(found) - src_.data());
  }

  std::optional<SyntaxError> error_at(std::uint32_t offset, std::string message) {
    std::uint32_t line = 1;
    std::uint32_t line_start = 0;
    for (std::uint32_t i = 0; i < offset && i < src_.size(); ++i) {
      if (src_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    error_ = SyntaxError{std::move(message), line, offset - line_start + 1, offset};
    return error_;
  }
  void fail(std::uint32_t offset, std::string message) { error_at(offset, std::move(message)); }

  /// Measures the indentation of a new line; emits Indent/Dedent. Returns false when the line
  /// was blank or a comment line (already consumed up to its newline, not including it).
  bool indentation() {
    const std::uint32_t line_begin = pos_;
    pos_ = static_cast<std::uint32_t>(skip_spaces(src_.data() + pos_, src_.data() + end_) - src_.data());  // the usual case
    int col = static_cast<int>(pos_ - line_begin);
    int altcol = col;
    while (pos_ < end_) {
      const char c = src_[pos_];
      if (c == ' ') {
        ++col;
        ++altcol;
      } else if (c == '\t') {
        col = (col / kTabSize + 1) * kTabSize;
        altcol = altcol + 1;
      } else if (c == '\f') {
        col = altcol = 0;
      } else {
        break;
      }
      ++pos_;
    }
    if (pos_ >= end_ || src_[pos_] == '\n' || src_[pos_] == '#') {
      return true;  // blank or comment-only line: no indentation tokens (CPython)
    }
    if (col == indents_.back()) {
      if (altcol != alt_indents_.back()) fail(pos_, "inconsistent use of tabs and spaces in indentation");
    } else if (col > indents_.back()) {
      if (indents_.size() >= kMaxIndent) {
        fail(pos_, "too many levels of indentation");
        return true;
      }
      if (altcol <= alt_indents_.back()) {
        fail(pos_, "inconsistent use of tabs and spaces in indentation");
        return true;
      }
      indents_.push_back(col);
      alt_indents_.push_back(altcol);
      push(TokenKind::Indent, line_begin, pos_);
    } else {
      while (indents_.size() > 1 && col < indents_.back()) {
        indents_.pop_back();
        alt_indents_.pop_back();
        push(TokenKind::Dedent, pos_, pos_);
      }
      if (col != indents_.back()) {
        fail(pos_, "unindent does not match any outer indentation level");
      } else if (altcol != alt_indents_.back()) {
        fail(pos_, "inconsistent use of tabs and spaces in indentation");
      }
    }
    return true;
  }

  void continuation() {
    if (pos_ + 1 < end_ && src_[pos_ + 1] == '\n') {
      pos_ += 2;
      if (pos_ >= end_) fail(pos_, "unexpected EOF while parsing");
      return;
    }
    if (pos_ + 1 >= end_) {
      fail(pos_, "unexpected EOF while parsing");
      return;
    }
    fail(pos_ + 1, "unexpected character after line continuation character");
  }

  void token() {
    const std::uint32_t start = pos_;
    const auto c = static_cast<unsigned char>(src_[pos_]);
    if (is_ident_start(c)) {
      identifier_or_string();
      return;
    }
    if (is_digit(static_cast<char>(c)) || (c == '.' && pos_ + 1 < end_ && is_digit(src_[pos_ + 1]))) {
      number();
      return;
    }
    if (c == '"' || c == '\'') {
      string(start, start);
      return;
    }
    if (c == '$' && options_.metavariables) {
      ++pos_;
      if (src_.substr(pos_, 3) == "...") pos_ += 3;
      while (pos_ < end_ && is_ident_char(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      push(TokenKind::Name, start, pos_);
      return;
    }
    op();
  }

  void identifier_or_string() {
    const std::uint32_t start = pos_;
    // String prefixes: up to two letters from b r u f t, then a quote.
    std::uint32_t p = pos_;
    while (p < end_ && p - start < 3 && has_class(src_[p], kStringPrefix)) ++p;
    if (p > start && p < end_ && (src_[p] == '"' || src_[p] == '\'') && valid_prefix(src_.substr(start, p - start))) {
      string(start, p);
      return;
    }
    pos_ = skip_ascii_identifier(src_, pos_, end_);
    while (pos_ < end_ && is_ident_char(static_cast<unsigned char>(src_[pos_]))) {
      if (static_cast<unsigned char>(src_[pos_]) >= 0x80) {
        const std::uint32_t at = pos_;
        const char32_t cp = decode_utf8(src_, pos_);
        const bool first = at == start;
        if (!(first ? is_xid_start(cp) : is_xid_continue(cp))) {
          invalid_character(at, cp);
          return;
        }
      } else {
        ++pos_;
      }
    }
    push(keyword_or_name(src_.substr(start, pos_ - start)), start, pos_);
  }

  void invalid_character(std::uint32_t at, char32_t cp) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04X", static_cast<unsigned>(cp));
    if (is_printable(cp)) {
      std::uint32_t p = at;
      decode_utf8(src_, p);
      fail(at, "invalid character '" + std::string(src_.substr(at, p - at)) + "' (U+" + buffer + ")");
    } else {
      fail(at, std::string("invalid non-printable character U+") + buffer);
    }
  }

  bool valid_prefix(std::string_view prefix) const {
    std::string lower;
    for (char c : prefix) lower += static_cast<char>(c | 0x20);
    if (lower.size() == 1) return lower != "t" || options_.template_strings;
    if (lower == "br" || lower == "rb" || lower == "fr" || lower == "rf") return true;
    if (lower == "tr" || lower == "rt") return options_.template_strings;
    return false;
  }

  void number() {
    const std::uint32_t start = pos_;
    auto digits = [&](auto valid) {
      // digits with single underscores between them
      while (pos_ < end_) {
        if (valid(src_[pos_])) {
          ++pos_;
        } else if (src_[pos_] == '_' && pos_ + 1 < end_ && valid(src_[pos_ + 1])) {
          ++pos_;
        } else {
          break;
        }
      }
    };
    auto dec = [](char c) { return is_digit(c); };
    bool is_float = false;
    if (src_[pos_] == '0' && pos_ + 1 < end_ && std::string_view("xXoObB").find(src_[pos_ + 1]) != std::string_view::npos) {
      const char base = static_cast<char>(src_[pos_ + 1] | 0x20);
      pos_ += 2;
      if (pos_ < end_ && src_[pos_] == '_') ++pos_;
      const std::uint32_t digits_start = pos_;
      if (base == 'x') digits([](char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); });
      if (base == 'o') digits([](char c) { return c >= '0' && c <= '7'; });
      if (base == 'b') digits([](char c) { return c == '0' || c == '1'; });
      const char* name = base == 'x' ? "hexadecimal" : base == 'o' ? "octal" : "binary";
      if (pos_ == digits_start || (pos_ < end_ && (is_digit(src_[pos_]) || src_[pos_] == '_'))) {
        if (base == 'o' && pos_ < end_ && is_digit(src_[pos_]))
          fail(pos_, std::string("invalid digit '") + src_[pos_] + "' in octal literal");
        else if (base == 'b' && pos_ < end_ && is_digit(src_[pos_]))
          fail(pos_, std::string("invalid digit '") + src_[pos_] + "' in binary literal");
        else
          fail(pos_, std::string("invalid ") + name + " literal");
        return;
      }
      if (!check_number_end(name)) return;
      push(TokenKind::Number, start, pos_);
      return;
    }
    if (src_[pos_] != '.') digits(dec);
    const bool leading_zero = src_[start] == '0';
    if (pos_ < end_ && src_[pos_] == '.') {
      is_float = true;
      ++pos_;
      if (pos_ < end_ && is_digit(src_[pos_])) digits(dec);
    }
    if (pos_ < end_ && (src_[pos_] | 0x20) == 'e') {
      std::uint32_t p = pos_ + 1;
      if (p < end_ && (src_[p] == '+' || src_[p] == '-')) ++p;
      if (p < end_ && is_digit(src_[p])) {
        pos_ = p;
        digits(dec);
        is_float = true;
      } else if (!(p < end_ && is_ident_char(static_cast<unsigned char>(src_[p])) && p == pos_ + 1)) {
        fail(pos_, "invalid decimal literal");
        return;
      }
    }
    bool imaginary = false;
    if (pos_ < end_ && (src_[pos_] | 0x20) == 'j') {
      ++pos_;
      imaginary = true;
    }
    if (!is_float && !imaginary && leading_zero) {
      for (std::uint32_t p = start; p < pos_; ++p) {
        if (src_[p] != '0' && src_[p] != '_') {
          fail(start, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
          return;
        }
      }
    }
    if (!check_number_end(imaginary ? "imaginary" : "decimal")) return;
    push(TokenKind::Number, start, pos_);
  }

  bool check_number_end(const char* kind) {
    if (pos_ < end_ && src_[pos_] == '_') {
      fail(pos_, std::string("invalid ") + kind + " literal");
      return false;
    }
    if (pos_ < end_ && is_ident_char(static_cast<unsigned char>(src_[pos_]))) {
      // CPython allows keywords right after numbers (`1if x else y`) with a warning.
      const std::string_view rest = src_.substr(pos_, 8);
      for (std::string_view kw : {"and", "else", "for", "if", "in", "is", "not", "or"}) {
        if (rest.starts_with(kw)) return true;
      }
      fail(pos_, std::string("invalid ") + kind + " literal");
      return false;
    }
    return true;
  }

  /// Scans a string literal whose prefix starts at `start` and whose quote is at `quote_at`.
  void string(std::uint32_t start, std::uint32_t quote_at) {
    std::string_view prefix = src_.substr(start, quote_at - start);
    bool is_f = false;
    for (char c : prefix) {
      const char lower = static_cast<char>(c | 0x20);
      if (lower == 'f' || lower == 't') is_f = true;
    }
    pos_ = quote_at;
    if (!scan_string(is_f && options_.nested_fstring_quotes, 0)) return;
    push(TokenKind::String, start, pos_);
  }

  /// pos_ at the opening quote. Leaves pos_ after the closing quote. Returns false on error.
  bool scan_string(bool fstring, int nesting) {
    const std::uint32_t open = pos_;
    const char quote = src_[pos_];
    const bool triple = pos_ + 2 < end_ && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote;
    pos_ += triple ? 3 : 1;
    if (!fstring) return scan_plain_string(open, quote, triple);
    if (nesting > kMaxNesting) {
      fail(open, "too many nested f-strings");
      return false;
    }
    int brace_depth = 0;      // inside replacement fields (f-string mode)
    bool in_format_spec = false;
    std::vector<int> bracket_depths;
    int brackets = 0;
    while (true) {
      if (pos_ >= end_) {
        unterminated(open, triple);
        return false;
      }
      const char c = src_[pos_];
      if (c == '\n') {
        if (!triple && brace_depth == 0) {
          unterminated(open, triple);
          return false;
        }
        ++pos_;
        continue;
      }
      if (brace_depth > 0 && !in_format_spec) {
        // Inside an f-string replacement field: expression syntax.
        if (c == '\'' || c == '"') {
          if (!scan_nested_string(nesting)) return false;
          continue;
        }
        if (c == '(' || c == '[' || c == '{') ++brackets;
        if ((c == ')' || c == ']') && brackets > 0) --brackets;
        if (c == '}') {
          if (brackets > 0) {
            --brackets;
          } else {
            --brace_depth;
            in_format_spec = brace_depth > 0;
            if (brace_depth > 0) brackets = bracket_depths.back();
            if (!bracket_depths.empty()) bracket_depths.pop_back();
          }
        } else if (c == ':' && brackets == 0) {
          in_format_spec = true;
        } else if (c == '#') {
          while (pos_ < end_ && src_[pos_] != '\n') ++pos_;
          continue;
        }
        ++pos_;
        continue;
      }
      if (c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == quote) {
        if (!triple) {
          ++pos_;
          if (brace_depth > 0) {
            fail(open, "f-string: expecting '}'");
            return false;
          }
          return true;
        }
        if (pos_ + 2 < end_ && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote) {
          pos_ += 3;
          if (brace_depth > 0) {
            fail(open, "f-string: expecting '}'");
            return false;
          }
          return true;
        }
      }
      if (fstring) {
        if (c == '{') {
          if (!in_format_spec && pos_ + 1 < end_ && src_[pos_ + 1] == '{') {
            pos_ += 2;
            continue;
          }
          bracket_depths.push_back(brackets);
          brackets = 0;
          ++brace_depth;
          in_format_spec = false;
        } else if (c == '}' && in_format_spec) {
          --brace_depth;
          brackets = bracket_depths.empty() ? 0 : bracket_depths.back();
          if (!bracket_depths.empty()) bracket_depths.pop_back();
          in_format_spec = brace_depth > 0;
        }
      }
      ++pos_;
    }
  }

  /// The body of a string without replacement fields, pos_ after the opening quotes.
  bool scan_plain_string(std::uint32_t open, char quote, bool triple) {
    while (pos_ < end_) {
      pos_ = static_cast<std::uint32_t>(find_any_byte(src_.data() + pos_, src_.data() + end_, std::array{quote, '\\', '\n'}) - src_.data());
      if (pos_ >= end_) break;
      const char c = src_[pos_];
      if (c == quote) {
        if (!triple) {
          ++pos_;
          return true;
        }
        if (pos_ + 2 < end_ && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote) {
          pos_ += 3;
          return true;
        }
      } else if (c == '\\') {
        ++pos_;
      } else if (c == '\n' && !triple) {
        break;
      }
      ++pos_;
    }
    unterminated(open, triple);
    return false;
  }

  bool scan_nested_string(int nesting) {
    // A string inside a replacement field: scan its prefix backwards was already consumed as
    // part of the expression; look at the letters just before the quote.
    std::uint32_t p = pos_;
    bool is_f = false;
    while (p > 0 && has_class(src_[p - 1], kStringPrefix)) {
      --p;
      const char lower = static_cast<char>(src_[p] | 0x20);
      if (lower == 'f' || lower == 't') is_f = true;
    }
    return scan_string(is_f, nesting + 1);
  }

  void unterminated(std::uint32_t open, bool triple) {
    std::uint32_t line = 1;
    for (std::uint32_t i = 0; i < pos_ && i < src_.size(); ++i) line += src_[i] == '\n' ? 1 : 0;
    const std::string detected = std::to_string(line);
    if (triple) {
      fail(open, "unterminated triple-quoted string literal (detected at line " + detected + ")");
    } else {
      fail(open, "unterminated string literal (detected at line " + detected + ")");
    }
  }

  void op() {
    const std::uint32_t start = pos_;
    const char c = src_[pos_];
    TokenKind kind = TokenKind::ErrorToken;
    int len = 1;
    switch (c) {  // the commonest operators end at once
      case ',': pos_ += 1; push(TokenKind::Comma, start, pos_); return;
      case '.': if (pos_ + 1 < end_ && src_[pos_ + 1] != '.') { pos_ += 1; push(TokenKind::Dot, start, pos_); return; } break;
      default: break;
    }
    const char n = pos_ + 1 < end_ ? src_[pos_ + 1] : '\0';
    const char n2 = pos_ + 2 < end_ ? src_[pos_ + 2] : '\0';
    auto two = [&](char second, TokenKind k2, TokenKind k1) {
      if (n == second) {
        kind = k2;
        len = 2;
      } else {
        kind = k1;
      }
    };
    switch (c) {
      case '(': case '[': case '{':
        kind = c == '(' ? TokenKind::LeftParen : c == '[' ? TokenKind::LeftBracket : TokenKind::LeftBrace;
        if (depth_ >= kMaxNesting) {
          fail(pos_, "too many nested parentheses");
          return;
        }
        if (static_cast<int>(bracket_stack_.size()) <= depth_) bracket_stack_.resize(depth_ + 1);
        bracket_stack_[depth_++] = pos_;
        break;
      case ')': case ']': case '}': {
        kind = c == ')' ? TokenKind::RightParen : c == ']' ? TokenKind::RightBracket : TokenKind::RightBrace;
        if (depth_ == 0 || (options_.inside_brackets && depth_ == 1)) {
          fail(pos_, std::string("unmatched '") + c + "'");
          return;
        }
        const char open = src_[bracket_stack_[depth_ - 1]];
        const char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (expected != c) {
          fail(pos_, std::string("closing parenthesis '") + c + "' does not match opening parenthesis '" + open + "'");
          return;
        }
        --depth_;
        break;
      }
      case ':': two('=', TokenKind::ColonEqual, TokenKind::Colon); break;
      case ',': kind = TokenKind::Comma; break;
      case ';': kind = TokenKind::Semicolon; break;
      case '+': two('=', TokenKind::PlusEqual, TokenKind::Plus); break;
      case '-':
        if (n == '>') { kind = TokenKind::Rarrow; len = 2; } else two('=', TokenKind::MinEqual, TokenKind::Minus);
        break;
      case '*':
        if (n == '*') {
          if (n2 == '=') { kind = TokenKind::DoubleStarEqual; len = 3; } else { kind = TokenKind::DoubleStar; len = 2; }
        } else two('=', TokenKind::StarEqual, TokenKind::Star);
        break;
      case '/':
        if (n == '/') {
          if (n2 == '=') { kind = TokenKind::DoubleSlashEqual; len = 3; } else { kind = TokenKind::DoubleSlash; len = 2; }
        } else two('=', TokenKind::SlashEqual, TokenKind::Slash);
        break;
      case '|': two('=', TokenKind::VbarEqual, TokenKind::VerticalBar); break;
      case '&': two('=', TokenKind::AmperEqual, TokenKind::Ampersand); break;
      case '<':
        if (n == '<') {
          if (n2 == '=') { kind = TokenKind::LeftShiftEqual; len = 3; } else { kind = TokenKind::LeftShift; len = 2; }
        } else if (n == '>') {
          kind = TokenKind::NotEqual;  // `<>` only with barry_as_FLUFL; the parser rejects it
          len = 2;
          fail(pos_, "invalid syntax");
          return;
        } else two('=', TokenKind::LessEqual, TokenKind::Less);
        break;
      case '>':
        if (n == '>') {
          if (n2 == '=') { kind = TokenKind::RightShiftEqual; len = 3; } else { kind = TokenKind::RightShift; len = 2; }
        } else two('=', TokenKind::GreaterEqual, TokenKind::Greater);
        break;
      case '=': two('=', TokenKind::EqEqual, TokenKind::Equal); break;
      case '!':
        two('=', TokenKind::NotEqual, TokenKind::Exclamation);
        if (kind == TokenKind::Exclamation && !options_.inside_brackets) {
          fail(pos_, "invalid syntax");
          return;
        }
        break;
      case '.':
        if (n == '.' && n2 == '.') { kind = TokenKind::Ellipsis; len = 3; } else kind = TokenKind::Dot;
        break;
      case '%': two('=', TokenKind::PercentEqual, TokenKind::Percent); break;
      case '~': kind = TokenKind::Tilde; break;
      case '^': two('=', TokenKind::CircumflexEqual, TokenKind::CircumFlex); break;
      case '@': two('=', TokenKind::AtEqual, TokenKind::At); break;
      default: {
        std::uint32_t p = pos_;
        const char32_t cp = decode_utf8(src_, p);
        invalid_character(pos_, cp);
        return;
      }
    }
    pos_ += len;
    push(kind, start, pos_);
  }

  std::string_view src_;
  std::uint32_t pos_;
  std::uint32_t end_;
  const LexOptions& options_;
  std::vector<Token>& tokens_;
  std::vector<std::uint32_t>* comment_indexes_;
  int depth_ = 0;
  std::vector<std::uint32_t> bracket_stack_;
  std::vector<int> indents_{0};
  std::vector<int> alt_indents_{0};
  bool line_has_tokens_ = false;
  std::optional<SyntaxError> error_;
};

}  // namespace

std::optional<SyntaxError> lex(std::string_view source, std::uint32_t begin, std::uint32_t end,
                               const LexOptions& options, std::vector<Token>& tokens,
                               std::vector<std::uint32_t>* comment_indexes) {
  Lexer lexer(source, begin, end, options, tokens, comment_indexes);
  return lexer.run();
}

std::uint32_t string_prefix_length(std::string_view literal) {
  std::uint32_t n = 0;
  while (n < literal.size() && literal[n] != '"' && literal[n] != '\'') ++n;
  return n;
}

}  // namespace moat::python
