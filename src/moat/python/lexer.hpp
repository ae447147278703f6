#pragma once
// Turns decoded source (UTF-8, LF line ends) into tokens, CPython's tokenizer rules: indentation
// with tabs to multiples of 8 and the tab-size-1 consistency check, form feeds, backslash
// continuations, bracket nesting, and whole string literals (f- and t-strings included) as one
// String token; the parser splits f-strings itself.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "moat/python/parser.hpp"
#include "moat/python/tokens.hpp"

namespace moat::python {

struct LexOptions {
  bool nested_fstring_quotes = true;  // PEP 701 (3.12+)
  bool template_strings = true;       // PEP 750 (3.14+)
  bool metavariables = false;         // `$X`, `$...X` as names (pattern mode)
  /// Lex a sub-range as the inside of brackets: no indentation, newlines are non-logical.
  bool inside_brackets = false;
};

/// Lexes source[begin, end). Appends to tokens; returns the first error, if any (tokens up to the
/// error are kept). Without inside_brackets the tokens end with Newline, Dedents, EndOfFile. When
/// given, comment_indexes gets the index in tokens of each comment token.
std::optional<SyntaxError> lex(std::string_view source, std::uint32_t begin, std::uint32_t end,
                               const LexOptions& options, std::vector<Token>& tokens,
                               std::vector<std::uint32_t>* comment_indexes = nullptr);

/// Length of a string literal's prefix (letters before the quote).
std::uint32_t string_prefix_length(std::string_view literal);

}  // namespace moat::python
