#include "moat/pattern/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>

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

// The per-search state: match data sized for the expression and a context carrying the limit.
struct MatchData {
  pcre2_match_data* data;
  pcre2_match_context* context;
  explicit MatchData(const pcre2_code* code)
      : data(pcre2_match_data_create_from_pattern(code, nullptr)), context(pcre2_match_context_create(nullptr)) {
    pcre2_set_match_limit(context, kMatchLimit);
  }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  ~MatchData() {
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
};

int run(const pcre2_code* code, std::string_view text, std::size_t offset, uint32_t options, MatchData& match) {
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), offset, options, match.data,
                     match.context);
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
  return regex;
}

std::vector<Span> Regex::find_all(std::string_view text) const {
  std::vector<Span> spans;
  MatchData match(code_->code);
  std::size_t offset = 0;
  while (offset <= text.size()) {
    if (run(code_->code, text, offset, 0, match) < 0) break;
    const PCRE2_SIZE* vector = pcre2_get_ovector_pointer(match.data);
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
  MatchData match(code_->code);
  return run(code_->code, text, 0, PCRE2_ANCHORED, match) >= 0;
}

bool Regex::may_match(const TrigramSet& trigrams) const {
  return !required_ || std::ranges::any_of(*required_, [&](const std::string& literal) {
    return trigrams.may_contain(literal);
  });
}

bool Regex::search(std::string_view text) const {
  MatchData match(code_->code);
  return run(code_->code, text, 0, 0, match) >= 0;
}

}  // namespace moat::pattern
