#pragma once
// Internal: the recursive-descent parser. One ParserImpl per token stream; f-string replacement
// fields are parsed by child parsers over their own token streams sharing the result and arena.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/python/parser.hpp"

namespace moat::python {

class ParserImpl {
 public:
  /// tokens: the whole stream, comments and non-logical newlines included (they are skipped).
  ParserImpl(ParseResult& result, const ParseOptions& options, std::span<const Token> tokens, int depth);

  Module* parse_module();
  /// A whole input that must be one expression (pattern mode).
  Expr* parse_single_expression();
  /// The replacement field of an f-string: tokens are '(' ... ')' EOF.
  Expr* parse_fstring_field();

  /// Thrown after the error is recorded; caught at the entry points.
  struct Failure {};

  /// What bounds the depth of the tree built so far.
  struct Stats {
    int max_depth = 0;  // deepest nesting guard
    int max_chain = 0;  // longest left-recursive chain (a.b.c, a + b + c)
  };
  [[nodiscard]] Stats stats() const { return stats_; }
  /// Whether the whole source is ASCII: identifiers then need no NFKC normalisation.
  void set_ascii_source(bool ascii) { ascii_source_ = ascii; }

 private:
  struct Guard;
  class FStringBuilder;

 public:
  struct StringPart;

 private:
  // Tokens.
  const Token& cur() const { return toks_[pos_]; }
  TokenKind kind() const { return kind_; }
  static bool is_trivia(TokenKind k) { return k == TokenKind::Comment || k == TokenKind::NonLogicalNewline; }
  /// Index of the first significant token at or after i.
  std::size_t significant(std::size_t i) const {
    while (i < toks_.size() && is_trivia(toks_[i].kind)) ++i;
    return i;
  }
  TokenKind peek(std::size_t n = 1) const {
    std::size_t i = pos_;
    for (; n > 0; --n) i = significant(i + 1);
    return i < toks_.size() ? toks_[i].kind : TokenKind::EndOfFile;
  }
  std::string_view text(const Token& token) const { return src_.substr(token.start, token.end - token.start); }
  bool at(TokenKind k) const { return kind() == k; }
  bool at_soft(std::string_view word) const { return kind() == TokenKind::Name && text(cur()) == word; }
  void advance() {
    const Token& token = toks_[pos_];
    if (!is_layout_token(token.kind)) prev_end_ = token.end;
    if (token.kind != TokenKind::EndOfFile) seek(significant(pos_ + 1));
  }
  void seek(std::size_t i) {
    pos_ = i;
    kind_ = toks_[i].kind;
  }
  /// Tokens that do not end a node (prev_end_ stays at the last real token).
  static bool is_layout_token(TokenKind k) {
    return k == TokenKind::Newline || k == TokenKind::Indent || k == TokenKind::Dedent || k == TokenKind::EndOfFile;
  }
  bool accept(TokenKind k) {
    if (!at(k)) return false;
    advance();
    return true;
  }
  void expect(TokenKind k);
  Identifier name();
  /// A name as CPython stores it: NFKC-normalised when not ASCII.
  Identifier identifier(std::string_view spelling);

  [[noreturn]] void fail_at(std::uint32_t offset, std::string message);
  [[noreturn]] void invalid_syntax();

  template <typename T>
  T* make(std::uint32_t start) {
    T* node = result_.arena_->make<T>();
    node->kind = T::kKind;
    node->start = start;
    node->end = prev_end_;
    return node;
  }
  template <typename T>
  NodeList<T> finish(std::size_t mark);
  std::span<const Identifier> finish_names(std::size_t mark);

  // Statements.
  void statements_until(TokenKind end, std::size_t mark);
  void statement();
  void simple_statements();
  Stmt* simple_statement();
  Stmt* assignment_or_expression();
  NodeList<Stmt> block(std::string_view what, std::uint32_t header_start);
  Stmt* compound_statement();
  Stmt* if_statement(bool is_elif);
  Stmt* while_statement();
  Stmt* for_statement(std::uint32_t start, bool is_async);
  Stmt* with_statement(std::uint32_t start, bool is_async);
  Stmt* try_statement();
  Stmt* function_def(std::uint32_t start, bool is_async, NodeList<Expr> decorators);
  Stmt* class_def(NodeList<Expr> decorators);
  Stmt* decorated();
  Stmt* import_statement();
  Stmt* from_import();
  Stmt* match_statement();
  Stmt* type_alias();
  bool looks_like_match() const;
  NodeList<TypeParam> type_params();
  Arguments* parameters(TokenKind closer, bool annotations);
  Arg* parameter(bool annotations, bool star_annotation);
  Identifier dotted_name();

  // Expressions.
  Expr* star_expressions();
  Expr* star_expression();
  Expr* star_named_expression();
  Expr* named_expression();
  Expr* expression();
  // The precedence levels below `expression`. Given `primed`, the leftmost primary (starting at
  // `primed_start`) is already parsed and the cursor is past it: every level begins with that
  // primary unless a prefix operator comes first, so `expression` parses it once instead of
  // descending through all levels for each name or literal.
  Expr* disjunction(Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* conjunction(Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* inversion(Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* comparison(Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* bitwise(int min_level, Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* factor(Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* power(Expr* primed = nullptr, std::uint32_t primed_start = 0);
  Expr* primary();
  Expr* atom();
  Expr* lambda();
  Expr* yield_expression();
  Expr* parenthesized();
  Expr* bracketed();
  Expr* braced();
  Expr* slices();
  Expr* slice();
  Expr* call(Expr* func, std::uint32_t start);
  Expr* strings();
  Expr* number();
  NodeList<Comprehension> comprehension_clauses();
  Expr* star_targets_for();
  std::uint32_t fstring_body(FStringBuilder& builder, std::uint32_t begin, std::uint32_t end, bool raw, int level,
                             bool template_string);
  std::uint32_t replacement_field(FStringBuilder& builder, std::uint32_t brace, std::uint32_t end, bool raw, int level,
                                  bool template_string);
  void flush_literal(FStringBuilder& builder, bool last_in_spec = false);
  Expr* fstring_expression(std::uint32_t brace, std::uint32_t expr_end);

  // Targets.
  void set_context(Expr* expr, ExprContext ctx, std::string_view verb);
  void check_target(Expr* expr, ExprContext ctx, std::string_view verb, bool top);

  // Patterns.
  Pattern* patterns();
  Pattern* pattern();
  Pattern* or_pattern();
  Pattern* closed_pattern();
  Pattern* star_or_pattern();
  Expr* literal_expression(bool for_pattern);
  Expr* signed_number();

  ParseResult& result_;
  const ParseOptions& options_;
  std::string_view src_;
  std::span<const Token> toks_;
  std::size_t pos_ = 0;
  TokenKind kind_ = TokenKind::EndOfFile;  // toks_[pos_].kind, read on every lookahead
  std::uint32_t prev_end_ = 0;
  int depth_;
  int fstring_level_ = 0;
  std::vector<void*> scratch_;
  std::vector<Identifier> name_scratch_;
  std::vector<Keyword*> keyword_scratch_;
  std::vector<CmpOp> compare_scratch_;
  bool ascii_source_ = false;  // no identifier needs NFKC normalisation
  std::string string_buffer_;
  Stats stats_;
};

}  // namespace moat::python
