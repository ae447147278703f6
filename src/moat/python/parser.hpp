#pragma once
// The public parse API: Python source bytes -> syntax tree (ast.hpp), tokens and syntax errors.
//
//   moat::python::ParseOptions options;  // target 3.14 by default
//   auto parsed = moat::python::parse(bytes, options);
//   if (!parsed.ok()) report(parsed.errors().front());
//   for (const Stmt* stmt : parsed.module().body) ...
//   auto where = parsed.position(*node);  // lineno, col_offset, end_lineno, end_col_offset
//
// The parser never throws, never recurses without bound (nesting deeper than kMaxNesting is a
// SyntaxError "too many nested parentheses" / "too many statically nested blocks" as CPython) and
// runs in time linear in the input. Like CPython it stops at the first syntax error: the module
// then holds the statements parsed before it.
//
// Pattern mode (ParseOptions::patterns = true) accepts the syntax of Semgrep patterns on top of
// Python: `$X` and `$...ARGS` metavariables lex as Name tokens (id "$X", "$...ARGS"), `...` is
// allowed wherever an expression, statement, argument or parameter may stand (a parameter `...`
// becomes an arg named "..."), and `<... e ...>` parses as DeepEllipsis(value=e). Use
// parse_pattern() to parse a pattern that is an expression or a sequence of statements.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/source.hpp"
#include "moat/python/arena.hpp"
#include "moat/python/ast.hpp"
#include "moat/python/tokens.hpp"

namespace moat::python {

enum class PythonVersion : std::uint8_t { Py311 = 11, Py312 = 12, Py313 = 13, Py314 = 14 };

struct ParseOptions {
  PythonVersion target = PythonVersion::Py314;  // newer syntax is a SyntaxError
  std::string_view path;                         // only used in messages
  bool patterns = false;                         // Semgrep pattern syntax, see above
  bool lenient_arguments = false;                // accept positional after keyword arguments, as Semgrep does
  /// The caller keeps the bytes alive and unchanged while the result lives: source that decodes to
  /// itself (UTF-8 without CR or NUL, the usual case) is then used in place instead of copied.
  bool bytes_outlive_result = false;
};

/// Nesting limit for brackets and blocks (CPython: 200 parentheses, 20 blocks; moat allows
/// CPython's limits exactly where CPython enforces them and this bound elsewhere).
inline constexpr int kMaxNesting = 200;

struct SyntaxError {
  std::string message;       // CPython's message where known
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, like SyntaxError.offset
  std::uint32_t offset = 0;  // byte offset into ParseResult::source()
};

/// CPython's four position attributes of a node.
struct SourcePosition {
  std::uint32_t lineno;
  std::uint32_t col_offset;
  std::uint32_t end_lineno;
  std::uint32_t end_col_offset;
};

class ParseResult {
 public:
  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] const Module& module() const { return *module_; }
  /// Set instead of module() by parse_pattern() when the pattern is a single expression.
  [[nodiscard]] const Expr* expression() const { return expression_; }
  [[nodiscard]] std::span<const SyntaxError> errors() const { return errors_; }
  /// Every token, comments and non-logical newlines included, in source order.
  [[nodiscard]] std::span<const Token> tokens() const { return tokens_; }
  /// The decoded source (UTF-8, LF line ends) all offsets refer to.
  [[nodiscard]] std::string_view source() const { return source_; }
  [[nodiscard]] const LineIndex& lines() const { return lines_; }
  [[nodiscard]] std::string_view text(const Node& node) const {
    return source_.substr(node.start, node.end - node.start);
  }
  [[nodiscard]] std::string_view text(const Token& token) const {
    return source_.substr(token.start, token.end - token.start);
  }
  [[nodiscard]] SourcePosition position(const Node& node) const;
  /// The index in tokens() of every comment token, in source order.
  [[nodiscard]] std::span<const std::uint32_t> comment_indexes() const { return comment_indexes_; }
  /// The comment tokens on a 1-based line (e.g. "# nosec B602").
  [[nodiscard]] std::vector<std::string_view> comments_on_line(std::uint32_t line) const;
  [[nodiscard]] std::size_t arena_bytes() const { return arena_->bytes_used(); }

 private:
  friend class ParserImpl;
  friend ParseResult parse(std::string_view, const ParseOptions&);
  friend ParseResult parse_pattern(std::string_view, const ParseOptions&);
  std::unique_ptr<Arena> arena_ = std::make_unique<Arena>();
  std::unique_ptr<std::string> source_text_;  // unless the source is used in place
  std::string_view source_;
  LineIndex lines_;
  Module* module_ = nullptr;
  const Expr* expression_ = nullptr;
  std::vector<Token> tokens_;
  std::vector<std::uint32_t> comment_indexes_;
  std::vector<SyntaxError> errors_;
};

/// Parses a module (`ast.parse(source_bytes)`).
ParseResult parse(std::string_view source_bytes, const ParseOptions& options = {});

/// Parses a Semgrep pattern (pattern syntax on): a single expression gives expression(),
/// anything else a module of statements.
ParseResult parse_pattern(std::string_view pattern, const ParseOptions& options = {});

/// ast.dump(tree, include_attributes=...) exactly as CPython 3.11 prints it.
std::string dump(const ParseResult& parsed, bool include_attributes);

}  // namespace moat::python
