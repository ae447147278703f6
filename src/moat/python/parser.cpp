#include "moat/python/parser.hpp"

#include <algorithm>
#include <cstring>

#include "moat/python/lexer.hpp"
#include "moat/python/literals.hpp"
#include "moat/python/parser_impl.hpp"
#include "moat/python/unicode.hpp"
#include "moat/python/visitor.hpp"

namespace moat::python {
namespace {

constexpr int kMaxDepth = 1000;
constexpr int kMaxTreeDepth = 3000;
constexpr std::uint32_t kMaxSource = 0xFFFFFFF0u;

struct BinaryOperator {
  Operator op;
  int level;  // 1: |, 2: ^, 3: &, 4: shifts, 5: + -, 6: * / // % @
};

std::optional<BinaryOperator> binary_operator(TokenKind kind) {
  switch (kind) {
    case TokenKind::VerticalBar: return BinaryOperator{Operator::BitOr, 1};
    case TokenKind::CircumFlex: return BinaryOperator{Operator::BitXor, 2};
    case TokenKind::Ampersand: return BinaryOperator{Operator::BitAnd, 3};
    case TokenKind::LeftShift: return BinaryOperator{Operator::LShift, 4};
    case TokenKind::RightShift: return BinaryOperator{Operator::RShift, 4};
    case TokenKind::Plus: return BinaryOperator{Operator::Add, 5};
    case TokenKind::Minus: return BinaryOperator{Operator::Sub, 5};
    case TokenKind::Star: return BinaryOperator{Operator::Mult, 6};
    case TokenKind::Slash: return BinaryOperator{Operator::Div, 6};
    case TokenKind::DoubleSlash: return BinaryOperator{Operator::FloorDiv, 6};
    case TokenKind::Percent: return BinaryOperator{Operator::Mod, 6};
    case TokenKind::At: return BinaryOperator{Operator::MatMult, 6};
    default: return std::nullopt;
  }
}

/// Whether a token after a primary continues the expression at some precedence level (a binary,
/// comparison or boolean operator, `**`, or a conditional expression's `if`).
bool continues_expression(TokenKind kind) {
  switch (kind) {
    case TokenKind::Or: case TokenKind::And: case TokenKind::Not: case TokenKind::In: case TokenKind::Is:
    case TokenKind::EqEqual: case TokenKind::NotEqual: case TokenKind::Less: case TokenKind::LessEqual:
    case TokenKind::Greater: case TokenKind::GreaterEqual: case TokenKind::DoubleStar: case TokenKind::If:
      return true;
    default:
      return binary_operator(kind).has_value();
  }
}

/// Whether an expression starting with this token starts with a primary (no prefix operator).
bool starts_with_primary(TokenKind kind) {
  switch (kind) {
    case TokenKind::Not: case TokenKind::Plus: case TokenKind::Minus: case TokenKind::Tilde: case TokenKind::Await:
    case TokenKind::Lambda:
      return false;
    default:
      return true;
  }
}

std::optional<Operator> augmented_operator(TokenKind kind) {
  switch (kind) {
    case TokenKind::PlusEqual: return Operator::Add;
    case TokenKind::MinEqual: return Operator::Sub;
    case TokenKind::StarEqual: return Operator::Mult;
    case TokenKind::AtEqual: return Operator::MatMult;
    case TokenKind::SlashEqual: return Operator::Div;
    case TokenKind::PercentEqual: return Operator::Mod;
    case TokenKind::AmperEqual: return Operator::BitAnd;
    case TokenKind::VbarEqual: return Operator::BitOr;
    case TokenKind::CircumflexEqual: return Operator::BitXor;
    case TokenKind::LeftShiftEqual: return Operator::LShift;
    case TokenKind::RightShiftEqual: return Operator::RShift;
    case TokenKind::DoubleStarEqual: return Operator::Pow;
    case TokenKind::DoubleSlashEqual: return Operator::FloorDiv;
    default: return std::nullopt;
  }
}

/// Tokens that can start an expression (used for lookahead decisions).
bool starts_expression(TokenKind kind) {
  switch (kind) {
    case TokenKind::Name: case TokenKind::Number: case TokenKind::String: case TokenKind::LeftParen:
    case TokenKind::LeftBracket: case TokenKind::LeftBrace: case TokenKind::Minus: case TokenKind::Plus:
    case TokenKind::Tilde: case TokenKind::Not: case TokenKind::Lambda: case TokenKind::Await:
    case TokenKind::None: case TokenKind::True: case TokenKind::False: case TokenKind::Ellipsis:
    case TokenKind::Star:
      return true;
    default:
      return false;
  }
}

std::string_view describe(const Expr* expr) {
  switch (expr->kind) {
    case NodeKind::Call: return "function call";
    case NodeKind::BoolOp: case NodeKind::BinOp: case NodeKind::UnaryOp: return "expression";
    case NodeKind::Lambda: return "lambda";
    case NodeKind::IfExp: return "conditional expression";
    case NodeKind::NamedExpr: return "named expression";
    case NodeKind::Dict: return "dict literal";
    case NodeKind::Set: return "set display";
    case NodeKind::ListComp: return "list comprehension";
    case NodeKind::SetComp: return "set comprehension";
    case NodeKind::DictComp: return "dict comprehension";
    case NodeKind::GeneratorExp: return "generator expression";
    case NodeKind::Await: return "await expression";
    case NodeKind::Yield: case NodeKind::YieldFrom: return "yield expression";
    case NodeKind::Compare: return "comparison";
    case NodeKind::JoinedStr: case NodeKind::TemplateStr: return "f-string expression";
    case NodeKind::Constant: {
      const auto& value = static_cast<const Constant*>(expr)->value;
      if (value.kind == ConstantValue::Kind::None) return "None";
      if (value.kind == ConstantValue::Kind::True) return "True";
      if (value.kind == ConstantValue::Kind::False) return "False";
      if (value.kind == ConstantValue::Kind::Ellipsis) return "ellipsis";
      return "literal";
    }
    default: return "expression";
  }
}

}  // namespace

struct ParserImpl::Guard {
  explicit Guard(ParserImpl& parser) : parser_(parser) {
    if (++parser_.depth_ > kMaxDepth) parser_.fail_at(parser_.cur().start, "too many nested parentheses");
    parser_.stats_.max_depth = std::max(parser_.stats_.max_depth, parser_.depth_);
  }
  ~Guard() { --parser_.depth_; }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ParserImpl& parser_;
};

ParserImpl::ParserImpl(ParseResult& result, const ParseOptions& options, std::span<const Token> tokens, int depth)
    : result_(result), options_(options), src_(result.source_), toks_(tokens), depth_(depth) {
  seek(significant(0));
}

void ParserImpl::fail_at(std::uint32_t offset, std::string message) {
  if (result_.errors_.empty()) {
    SyntaxError error;
    error.message = std::move(message);
    error.offset = offset;
    error.line = 0;  // filled from the offset by finish_error()
    result_.errors_.push_back(std::move(error));
  }
  throw Failure{};
}

void ParserImpl::invalid_syntax() {
  if (at(TokenKind::Indent)) fail_at(cur().start, "unexpected indent");
  if (at(TokenKind::EndOfFile)) fail_at(cur().start, "unexpected EOF while parsing");
  fail_at(cur().start, "invalid syntax");
}

void ParserImpl::expect(TokenKind k) {
  if (!accept(k)) {
    if (k == TokenKind::Colon && !at(TokenKind::Indent)) fail_at(cur().start, "expected ':'");
    invalid_syntax();
  }
}

Identifier ParserImpl::identifier(std::string_view spelling) {
  if (ascii_source_) return spelling;
  for (char c : spelling) {
    if (static_cast<unsigned char>(c) >= 0x80) return result_.arena_->copy(normalize_identifier(spelling));
  }
  return spelling;
}

Identifier ParserImpl::name() {
  if (!at(TokenKind::Name)) invalid_syntax();
  const Identifier id = identifier(text(cur()));
  advance();
  return id;
}

template <typename T>
NodeList<T> ParserImpl::finish(std::size_t mark) {
  const std::size_t count = scratch_.size() - mark;
  if (count == 0) return {};
  auto** data = static_cast<T**>(result_.arena_->allocate(sizeof(T*) * count, alignof(T*)));
  for (std::size_t i = 0; i < count; ++i) data[i] = static_cast<T*>(scratch_[mark + i]);
  scratch_.resize(mark);
  return {data, count};
}

std::span<const Identifier> ParserImpl::finish_names(std::size_t mark) {
  const std::span<const Identifier> names(name_scratch_.data() + mark, name_scratch_.size() - mark);
  auto copied = result_.arena_->copy(names);
  name_scratch_.resize(mark);
  return copied;
}

// ---------------------------------------------------------------------------------------------
// Statements

Module* ParserImpl::parse_module() {
  auto* module = make<Module>(0);
  const std::size_t mark = scratch_.size();
  try {
    statements_until(TokenKind::EndOfFile, mark);
  } catch (const Failure&) {
    module->body = finish<Stmt>(mark);
    throw;
  }
  module->body = finish<Stmt>(mark);
  return module;
}

void ParserImpl::statements_until(TokenKind end, std::size_t mark) {
  (void)mark;
  while (!at(end)) {
    if (at(TokenKind::EndOfFile)) invalid_syntax();
    statement();
  }
}

void ParserImpl::statement() {
  if (Stmt* compound = compound_statement()) {
    scratch_.push_back(compound);
    return;
  }
  simple_statements();
}

void ParserImpl::simple_statements() {
  while (true) {
    scratch_.push_back(simple_statement());
    if (accept(TokenKind::Semicolon)) {
      if (at(TokenKind::Newline)) break;
      continue;
    }
    break;
  }
  if (!accept(TokenKind::Newline)) invalid_syntax();
}

Stmt* ParserImpl::simple_statement() {
  const std::uint32_t start = cur().start;
  switch (kind()) {
    case TokenKind::Pass: advance(); return make<Pass>(start);
    case TokenKind::Break: advance(); return make<Break>(start);
    case TokenKind::Continue: advance(); return make<Continue>(start);
    case TokenKind::Return: {
      advance();
      Expr* value = nullptr;
      if (!at(TokenKind::Newline) && !at(TokenKind::Semicolon)) value = star_expressions();
      auto* node = make<Return>(start);
      node->value = value;
      return node;
    }
    case TokenKind::Raise: {
      advance();
      auto* node = make<Raise>(start);
      if (!at(TokenKind::Newline) && !at(TokenKind::Semicolon)) {
        node->exc = expression();
        if (accept(TokenKind::From)) node->cause = expression();
      }
      node->end = prev_end_;
      return node;
    }
    case TokenKind::Global:
    case TokenKind::Nonlocal: {
      const bool global = at(TokenKind::Global);
      advance();
      const std::size_t mark = name_scratch_.size();
      do {
        name_scratch_.push_back(name());
      } while (accept(TokenKind::Comma));
      if (global) {
        auto* node = make<Global>(start);
        node->names = finish_names(mark);
        return node;
      }
      auto* node = make<Nonlocal>(start);
      node->names = finish_names(mark);
      return node;
    }
    case TokenKind::Del: {
      advance();
      const std::size_t mark = scratch_.size();
      do {
        if (at(TokenKind::Newline) || at(TokenKind::Semicolon)) break;
        Guard guard(*this);
        Expr* target = bitwise(1);
        if (at(TokenKind::Comma) || at(TokenKind::Newline) || at(TokenKind::Semicolon)) {
          set_context(target, ExprContext::Del, "delete");
        } else {
          invalid_syntax();
        }
        scratch_.push_back(target);
      } while (accept(TokenKind::Comma));
      auto* node = make<Delete>(start);
      node->targets = finish<Expr>(mark);
      if (node->targets.empty()) invalid_syntax();
      return node;
    }
    case TokenKind::Assert: {
      advance();
      auto* node = make<Assert>(start);
      node->test = expression();
      if (accept(TokenKind::Comma)) node->msg = expression();
      node->end = prev_end_;
      return node;
    }
    case TokenKind::Import: return import_statement();
    case TokenKind::From: return from_import();
    default: break;
  }
  if (at_soft("type") && peek() == TokenKind::Name && (peek(2) == TokenKind::Equal || peek(2) == TokenKind::LeftBracket) &&
      options_.target >= PythonVersion::Py312) {
    return type_alias();
  }
  return assignment_or_expression();
}

Stmt* ParserImpl::assignment_or_expression() {
  const std::uint32_t start = cur().start;
  const bool starts_with_paren = at(TokenKind::LeftParen);
  Expr* first = at(TokenKind::Yield) ? yield_expression() : star_expressions();
  if (at(TokenKind::Colon)) {
    // Annotated assignment.
    advance();
    if (first->kind != NodeKind::Name && first->kind != NodeKind::Attribute && first->kind != NodeKind::Subscript) {
      if (first->kind == NodeKind::Tuple) fail_at(first->start, "only single target (not tuple) can be annotated");
      if (first->kind == NodeKind::List) fail_at(first->start, "only single target (not list) can be annotated");
      fail_at(first->start, "illegal target for annotation");
    }
    set_context(first, ExprContext::Store, "assign to");
    auto* node = make<AnnAssign>(start);
    node->target = first;
    node->annotation = expression();
    if (accept(TokenKind::Equal)) node->value = at(TokenKind::Yield) ? yield_expression() : star_expressions();
    node->simple = first->kind == NodeKind::Name && !starts_with_paren ? 1 : 0;
    node->end = prev_end_;
    return node;
  }
  if (at(TokenKind::Equal)) {
    const std::size_t mark = scratch_.size();
    scratch_.push_back(first);
    Expr* value = nullptr;
    while (accept(TokenKind::Equal)) {
      value = at(TokenKind::Yield) ? yield_expression() : star_expressions();
      scratch_.push_back(value);
    }
    scratch_.pop_back();
    for (std::size_t i = mark; i < scratch_.size(); ++i) set_context(static_cast<Expr*>(scratch_[i]), ExprContext::Store, "assign to");
    auto* node = make<Assign>(start);
    node->targets = finish<Expr>(mark);
    node->value = value;
    return node;
  }
  if (auto op = augmented_operator(kind())) {
    if (first->kind != NodeKind::Name && first->kind != NodeKind::Attribute && first->kind != NodeKind::Subscript) {
      fail_at(first->start, "'" + std::string(describe(first)) + "' is an illegal expression for augmented assignment");
    }
    advance();
    set_context(first, ExprContext::Store, "assign to");
    auto* node = make<AugAssign>(start);
    node->target = first;
    node->op = *op;
    node->value = at(TokenKind::Yield) ? yield_expression() : star_expressions();
    node->end = prev_end_;
    return node;
  }
  if (first->kind == NodeKind::Starred) fail_at(first->start, "can't use starred expression here");
  auto* node = make<ExprStmt>(start);
  node->value = first;
  return node;
}

Stmt* ParserImpl::type_alias() {
  const std::uint32_t start = cur().start;
  advance();  // type
  const std::uint32_t name_start = cur().start;
  const Identifier id = name();
  auto* target = make<Name>(name_start);
  target->id = id;
  target->ctx = ExprContext::Store;
  auto* node = make<TypeAlias>(start);
  node->name = target;
  if (at(TokenKind::LeftBracket)) node->type_params = type_params();
  expect(TokenKind::Equal);
  node->value = expression();
  node->end = prev_end_;
  return node;
}

Identifier ParserImpl::dotted_name() {
  const std::uint32_t start = cur().start;
  name();
  bool spaced = false;
  while (at(TokenKind::Dot)) {
    if (cur().start != prev_end_) spaced = true;
    advance();
    if (!at(TokenKind::Name)) invalid_syntax();
    if (cur().start != prev_end_) spaced = true;
    name();
  }
  if (!spaced) return identifier(src_.substr(start, prev_end_ - start));
  std::string joined;
  for (char c : src_.substr(start, prev_end_ - start)) {
    if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\\') joined += c;
  }
  return identifier(result_.arena_->copy(joined));
}

Stmt* ParserImpl::import_statement() {
  const std::uint32_t start = cur().start;
  advance();
  const std::size_t mark = scratch_.size();
  do {
    const std::uint32_t alias_start = cur().start;
    const Identifier module = dotted_name();
    Identifier asname;
    if (accept(TokenKind::As)) asname = name();
    auto* alias = make<Alias>(alias_start);
    alias->name = module;
    alias->asname = asname;
    scratch_.push_back(alias);
  } while (accept(TokenKind::Comma));
  auto* node = make<Import>(start);
  node->names = finish<Alias>(mark);
  return node;
}

Stmt* ParserImpl::from_import() {
  const std::uint32_t start = cur().start;
  advance();
  int level = 0;
  while (at(TokenKind::Dot) || at(TokenKind::Ellipsis)) {
    level += at(TokenKind::Dot) ? 1 : 3;
    advance();
  }
  Identifier module;
  if (at(TokenKind::Name)) module = dotted_name();
  if (level == 0 && module.data() == nullptr) invalid_syntax();
  expect(TokenKind::Import);
  const std::size_t mark = scratch_.size();
  if (at(TokenKind::Star)) {
    const std::uint32_t star = cur().start;
    advance();
    auto* alias = make<Alias>(star);
    alias->name = "*";
    scratch_.push_back(alias);
  } else {
    const bool paren = accept(TokenKind::LeftParen);
    do {
      if (paren && at(TokenKind::RightParen) && scratch_.size() > mark) break;
      const std::uint32_t alias_start = cur().start;
      const Identifier imported = name();
      Identifier asname;
      if (accept(TokenKind::As)) asname = name();
      auto* alias = make<Alias>(alias_start);
      alias->name = imported;
      alias->asname = asname;
      scratch_.push_back(alias);
    } while (accept(TokenKind::Comma));
    if (paren) {
      expect(TokenKind::RightParen);
    } else if (src_[prev_end_ - 1] == ',') {
      fail_at(prev_end_ - 1, "trailing comma not allowed without surrounding parentheses");
    }
  }
  auto* node = make<ImportFrom>(start);
  node->module = module;
  node->names = finish<Alias>(mark);
  node->level = level;
  return node;
}

NodeList<Stmt> ParserImpl::block(std::string_view what, std::uint32_t header_start) {
  expect(TokenKind::Colon);
  const std::size_t mark = scratch_.size();
  if (accept(TokenKind::Newline)) {
    if (!accept(TokenKind::Indent)) {
      const auto line = result_.lines_.position(header_start).line;
      fail_at(cur().start, "expected an indented block after " + std::string(what) + " on line " + std::to_string(line));
    }
    Guard guard(*this);
    statements_until(TokenKind::Dedent, mark);
    advance();
  } else {
    simple_statements();
  }
  return finish<Stmt>(mark);
}

bool ParserImpl::looks_like_match() const {
  // `match` is a soft keyword: a match statement is `match SUBJECT:` NEWLINE INDENT `case`.
  const TokenKind next = peek();
  if (!starts_expression(next)) return false;
  int depth = 0;
  TokenKind previous = TokenKind::Name;
  for (std::size_t i = significant(pos_ + 1); i < toks_.size(); i = significant(i + 1)) {
    const TokenKind k = toks_[i].kind;
    if (k == TokenKind::LeftParen || k == TokenKind::LeftBracket || k == TokenKind::LeftBrace) ++depth;
    if (k == TokenKind::RightParen || k == TokenKind::RightBracket || k == TokenKind::RightBrace) --depth;
    if (k == TokenKind::Newline || k == TokenKind::EndOfFile) {
      const std::size_t indent = significant(i + 1);
      const std::size_t keyword = significant(indent + 1);
      return previous == TokenKind::Colon && keyword < toks_.size() && toks_[indent].kind == TokenKind::Indent &&
             toks_[keyword].kind == TokenKind::Name && text(toks_[keyword]) == "case";
    }
    if (depth < 0) return false;
    previous = k;
  }
  return false;
}

Stmt* ParserImpl::compound_statement() {
  const std::uint32_t start = cur().start;
  switch (kind()) {
    case TokenKind::If: return if_statement(false);
    case TokenKind::While: return while_statement();
    case TokenKind::For: return for_statement(start, false);
    case TokenKind::With: return with_statement(start, false);
    case TokenKind::Try: return try_statement();
    case TokenKind::Def: return function_def(start, false, {});
    case TokenKind::Class: return class_def({});
    case TokenKind::At: return decorated();
    case TokenKind::Async:
      advance();
      if (at(TokenKind::Def)) return function_def(start, true, {});
      if (at(TokenKind::For)) return for_statement(start, true);
      if (at(TokenKind::With)) return with_statement(start, true);
      invalid_syntax();
    case TokenKind::Name:
      if (text(cur()) == "match" && looks_like_match()) return match_statement();
      return nullptr;
    default:
      return nullptr;
  }
}

Stmt* ParserImpl::if_statement(bool is_elif) {
  const std::uint32_t start = cur().start;
  advance();
  Guard guard(*this);
  Expr* test = named_expression();
  NodeList<Stmt> body = block(is_elif ? "'elif' statement" : "'if' statement", start);
  NodeList<Stmt> orelse;
  if (at(TokenKind::Elif)) {
    const std::size_t mark = scratch_.size();
    scratch_.push_back(if_statement(true));
    orelse = finish<Stmt>(mark);
  } else if (at(TokenKind::Else)) {
    const std::uint32_t else_start = cur().start;
    advance();
    orelse = block("'else' statement", else_start);
  }
  auto* node = make<If>(start);
  node->test = test;
  node->body = body;
  node->orelse = orelse;
  return node;
}

Stmt* ParserImpl::while_statement() {
  const std::uint32_t start = cur().start;
  advance();
  Expr* test = named_expression();
  NodeList<Stmt> body = block("'while' statement", start);
  NodeList<Stmt> orelse;
  if (at(TokenKind::Else)) {
    const std::uint32_t else_start = cur().start;
    advance();
    orelse = block("'else' statement", else_start);
  }
  auto* node = make<While>(start);
  node->test = test;
  node->body = body;
  node->orelse = orelse;
  return node;
}

Expr* ParserImpl::star_targets_for() {
  // star_targets: like star_expressions but stops before `in`.
  const std::uint32_t start = cur().start;
  const std::size_t mark = scratch_.size();
  auto one = [&]() -> Expr* {
    if (at(TokenKind::Star)) {
      const std::uint32_t star = cur().start;
      advance();
      Expr* value = bitwise(1);
      auto* starred = make<Starred>(star);
      starred->value = value;
      return starred;
    }
    return bitwise(1);
  };
  Expr* first = one();
  if (!at(TokenKind::Comma)) {
    set_context(first, ExprContext::Store, "assign to");
    return first;
  }
  scratch_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::In)) break;
    scratch_.push_back(one());
  }
  auto* tuple = make<Tuple>(start);
  tuple->elts = finish<Expr>(mark);
  set_context(tuple, ExprContext::Store, "assign to");
  return tuple;
}

Stmt* ParserImpl::for_statement(std::uint32_t start, bool is_async) {
  advance();  // for
  Guard guard(*this);
  Expr* target = star_targets_for();
  expect(TokenKind::In);
  Expr* iter = star_expressions();
  NodeList<Stmt> body = block("'for' statement", start);
  NodeList<Stmt> orelse;
  if (at(TokenKind::Else)) {
    const std::uint32_t else_start = cur().start;
    advance();
    orelse = block("'else' statement", else_start);
  }
  if (is_async) {
    auto* node = make<AsyncFor>(start);
    node->target = target;
    node->iter = iter;
    node->body = body;
    node->orelse = orelse;
    return node;
  }
  auto* node = make<For>(start);
  node->target = target;
  node->iter = iter;
  node->body = body;
  node->orelse = orelse;
  return node;
}

Stmt* ParserImpl::with_statement(std::uint32_t start, bool is_async) {
  advance();  // with
  Guard guard(*this);
  const std::size_t mark = scratch_.size();
  auto item = [&](bool in_parens) {
    auto* with_item = result_.arena_->make<WithItem>();
    with_item->kind = NodeKind::WithItem;
    with_item->start = cur().start;
    with_item->context_expr = expression();
    if (accept(TokenKind::As)) {
      Expr* target = star_expression();
      set_context(target, ExprContext::Store, "assign to");
      if (!(at(TokenKind::Comma) || at(TokenKind::Colon) || (in_parens && at(TokenKind::RightParen)))) invalid_syntax();
      with_item->optional_vars = target;
    }
    with_item->end = prev_end_;
    scratch_.push_back(with_item);
  };
  bool parsed = false;
  if (at(TokenKind::LeftParen)) {
    // `with (a as b, c):` -- try the parenthesized form, fall back to an expression.
    const std::size_t saved_pos = pos_;
    const std::uint32_t saved_end = prev_end_;
    const std::size_t saved_errors = result_.errors_.size();
    try {
      advance();
      do {
        if (at(TokenKind::RightParen) && scratch_.size() > mark) break;
        item(true);
      } while (accept(TokenKind::Comma));
      expect(TokenKind::RightParen);
      if (!at(TokenKind::Colon)) throw Failure{};
      parsed = true;
    } catch (const Failure&) {
      result_.errors_.resize(saved_errors);
      scratch_.resize(mark);
      seek(saved_pos);
      prev_end_ = saved_end;
    }
  }
  if (!parsed) {
    do {
      item(false);
    } while (accept(TokenKind::Comma));
  }
  NodeList<WithItem> items = finish<WithItem>(mark);
  NodeList<Stmt> body = block(is_async ? "'async with' statement" : "'with' statement", start);
  if (is_async) {
    auto* node = make<AsyncWith>(start);
    node->items = items;
    node->body = body;
    return node;
  }
  auto* node = make<With>(start);
  node->items = items;
  node->body = body;
  return node;
}

Stmt* ParserImpl::try_statement() {
  const std::uint32_t start = cur().start;
  advance();
  Guard guard(*this);
  NodeList<Stmt> body = block("'try' statement", start);
  const std::size_t mark = scratch_.size();
  int star = -1;
  while (at(TokenKind::Except)) {
    const std::uint32_t handler_start = cur().start;
    advance();
    const bool is_star = accept(TokenKind::Star);
    if (star >= 0 && star != static_cast<int>(is_star)) {
      fail_at(handler_start, "cannot have both 'except' and 'except*' on the same 'try'");
    }
    star = is_star ? 1 : 0;
    Expr* type = nullptr;
    Identifier handler_name;
    if (!at(TokenKind::Colon)) {
      const std::uint32_t type_start = cur().start;
      type = expression();
      if (at(TokenKind::Comma)) {
        if (options_.target < PythonVersion::Py314) {
          fail_at(type_start, "multiple exception types must be parenthesized");
        }
        const std::size_t elts = scratch_.size();
        scratch_.push_back(type);
        while (accept(TokenKind::Comma)) scratch_.push_back(expression());
        auto* tuple = make<Tuple>(type_start);
        tuple->elts = finish<Expr>(elts);
        type = tuple;
        if (at(TokenKind::As)) fail_at(cur().start, "multiple exception types must be parenthesized when using 'as'");
      }
      if (accept(TokenKind::As)) handler_name = name();
    } else if (is_star) {
      fail_at(cur().start, "expected one or more exception types");
    }
    NodeList<Stmt> handler_body = block(is_star ? "'except*' statement" : "'except' statement", handler_start);
    auto* handler = make<ExceptHandler>(handler_start);
    handler->type = type;
    handler->name = handler_name;
    handler->body = handler_body;
    scratch_.push_back(handler);
  }
  NodeList<ExceptHandler> handlers = finish<ExceptHandler>(mark);
  NodeList<Stmt> orelse;
  NodeList<Stmt> finalbody;
  if (at(TokenKind::Else)) {
    if (handlers.empty()) invalid_syntax();
    const std::uint32_t else_start = cur().start;
    advance();
    orelse = block("'else' statement", else_start);
  }
  if (at(TokenKind::Finally)) {
    const std::uint32_t finally_start = cur().start;
    advance();
    finalbody = block("'finally' statement", finally_start);
  }
  if (handlers.empty() && finalbody.empty()) fail_at(cur().start, "expected 'except' or 'finally' block");
  if (star == 1) {
    auto* node = make<TryStar>(start);
    node->body = body;
    node->handlers = handlers;
    node->orelse = orelse;
    node->finalbody = finalbody;
    return node;
  }
  auto* node = make<Try>(start);
  node->body = body;
  node->handlers = handlers;
  node->orelse = orelse;
  node->finalbody = finalbody;
  return node;
}

Stmt* ParserImpl::decorated() {
  const std::size_t mark = scratch_.size();
  while (accept(TokenKind::At)) {
    scratch_.push_back(named_expression());
    if (!accept(TokenKind::Newline)) invalid_syntax();
  }
  NodeList<Expr> decorators = finish<Expr>(mark);
  const std::uint32_t start = cur().start;
  if (at(TokenKind::Def)) return function_def(start, false, decorators);
  if (at(TokenKind::Async) && peek() == TokenKind::Def) {
    advance();
    return function_def(start, true, decorators);
  }
  if (at(TokenKind::Class)) return class_def(decorators);
  invalid_syntax();
}

NodeList<TypeParam> ParserImpl::type_params() {
  const std::uint32_t open = cur().start;
  if (options_.target < PythonVersion::Py312) fail_at(open, "invalid syntax");
  advance();  // [
  const std::size_t mark = scratch_.size();
  do {
    if (at(TokenKind::RightBracket) && scratch_.size() > mark) break;
    const std::uint32_t start = cur().start;
    if (accept(TokenKind::Star)) {
      auto* param = make<TypeVarTuple>(start);
      param->name = name();
      if (accept(TokenKind::Equal)) param->default_value = at(TokenKind::Star) ? star_expression() : expression();
      param->end = prev_end_;
      scratch_.push_back(param);
    } else if (accept(TokenKind::DoubleStar)) {
      auto* param = make<ParamSpec>(start);
      param->name = name();
      if (accept(TokenKind::Equal)) param->default_value = expression();
      param->end = prev_end_;
      scratch_.push_back(param);
    } else {
      auto* param = make<TypeVar>(start);
      param->name = name();
      if (accept(TokenKind::Colon)) param->bound = expression();
      if (accept(TokenKind::Equal)) {
        if (options_.target < PythonVersion::Py313) fail_at(prev_end_ - 1, "invalid syntax");
        param->default_value = expression();
      }
      param->end = prev_end_;
      scratch_.push_back(param);
    }
  } while (accept(TokenKind::Comma));
  expect(TokenKind::RightBracket);
  NodeList<TypeParam> params = finish<TypeParam>(mark);
  if (params.empty()) fail_at(open, "Type parameter list cannot be empty");
  return params;
}

Arg* ParserImpl::parameter(bool annotations, bool star_annotation) {
  const std::uint32_t start = cur().start;
  auto* param = make<Arg>(start);
  if (options_.patterns && at(TokenKind::Ellipsis)) {
    advance();
    param->arg = "...";
  } else {
    param->arg = name();
  }
  if (annotations && accept(TokenKind::Colon)) {
    param->annotation = star_annotation && at(TokenKind::Star) ? star_expression() : expression();
  }
  param->end = prev_end_;
  return param;
}

Arguments* ParserImpl::parameters(TokenKind closer, bool annotations) {
  auto* args = result_.arena_->make<Arguments>();
  args->kind = NodeKind::Arguments;
  args->start = cur().start;
  std::vector<Arg*> positional;
  std::vector<Expr*> defaults;
  std::vector<Arg*> kwonly;
  std::vector<Expr*> kw_defaults;
  std::size_t posonly_count = 0;
  bool seen_slash = false;
  bool seen_star = false;
  bool bare_star = false;
  while (!at(closer)) {
    if (at(TokenKind::Slash)) {
      if (seen_slash) fail_at(cur().start, "/ may appear only once");
      if (seen_star) fail_at(cur().start, "/ must be ahead of *");
      if (positional.empty()) fail_at(cur().start, "at least one argument must precede /");
      seen_slash = true;
      posonly_count = positional.size();
      advance();
    } else if (at(TokenKind::Star)) {
      if (seen_star) fail_at(cur().start, "* argument may appear only once");
      seen_star = true;
      advance();
      if (at(TokenKind::Comma) || at(closer)) {
        bare_star = true;
        if (at(closer)) fail_at(cur().start, "named arguments must follow bare *");
      } else {
        args->vararg = parameter(annotations, true);
        if (at(TokenKind::Equal)) fail_at(cur().start, "var-positional argument cannot have default value");
      }
    } else if (at(TokenKind::DoubleStar)) {
      advance();
      args->kwarg = parameter(annotations, false);
      if (at(TokenKind::Equal)) fail_at(cur().start, "var-keyword argument cannot have default value");
      accept(TokenKind::Comma);
      if (!at(closer)) fail_at(cur().start, "arguments cannot follow var-keyword argument");
      break;
    } else {
      Arg* param = parameter(annotations, false);
      Expr* default_value = nullptr;
      if (accept(TokenKind::Equal)) default_value = expression();
      if (seen_star) {
        kwonly.push_back(param);
        kw_defaults.push_back(default_value);
      } else {
        if (default_value != nullptr) {
          defaults.push_back(default_value);
        } else if (!defaults.empty() && !(options_.patterns && param->arg == "...")) {
          fail_at(param->start, options_.target >= PythonVersion::Py312 ? "parameter without a default follows parameter with a default"
                                                                       : "non-default argument follows default argument");
        }
        positional.push_back(param);
      }
    }
    if (!accept(TokenKind::Comma)) break;
  }
  if (bare_star && kwonly.empty() && args->kwarg == nullptr) fail_at(cur().start, "named arguments must follow bare *");
  auto copy_args = [&](std::span<Arg* const> list) {
    return result_.arena_->copy(std::span<Arg* const>(list));
  };
  args->posonlyargs = copy_args(std::span<Arg* const>(positional.data(), posonly_count));
  args->args = copy_args(std::span<Arg* const>(positional.data() + posonly_count, positional.size() - posonly_count));
  args->kwonlyargs = copy_args(kwonly);
  args->defaults = result_.arena_->copy(std::span<Expr* const>(defaults));
  args->kw_defaults = result_.arena_->copy(std::span<Expr* const>(kw_defaults));
  args->end = prev_end_;
  return args;
}

Stmt* ParserImpl::function_def(std::uint32_t start, bool is_async, NodeList<Expr> decorators) {
  advance();  // def
  Guard guard(*this);
  const Identifier function_name = options_.patterns && at(TokenKind::Name) && text(cur()).starts_with("$") ? name() : name();
  NodeList<TypeParam> params;
  if (at(TokenKind::LeftBracket)) params = type_params();
  expect(TokenKind::LeftParen);
  Arguments* args = parameters(TokenKind::RightParen, true);
  expect(TokenKind::RightParen);
  Expr* returns = nullptr;
  if (accept(TokenKind::Rarrow)) returns = expression();
  NodeList<Stmt> body = block("function definition", start);
  if (is_async) {
    auto* node = make<AsyncFunctionDef>(start);
    node->name = function_name;
    node->args = args;
    node->body = body;
    node->decorator_list = decorators;
    node->returns = returns;
    node->type_params = params;
    return node;
  }
  auto* node = make<FunctionDef>(start);
  node->name = function_name;
  node->args = args;
  node->body = body;
  node->decorator_list = decorators;
  node->returns = returns;
  node->type_params = params;
  return node;
}

Stmt* ParserImpl::class_def(NodeList<Expr> decorators) {
  const std::uint32_t start = cur().start;
  advance();  // class
  Guard guard(*this);
  const Identifier class_name = name();
  NodeList<TypeParam> params;
  if (at(TokenKind::LeftBracket)) params = type_params();
  NodeList<Expr> bases;
  NodeList<Keyword> keywords;
  if (at(TokenKind::LeftParen)) {
    auto* call_node = static_cast<Call*>(call(nullptr, start));
    bases = call_node->args;
    keywords = call_node->keywords;
  }
  NodeList<Stmt> body = block("class definition", start);
  auto* node = make<ClassDef>(start);
  node->name = class_name;
  node->bases = bases;
  node->keywords = keywords;
  node->body = body;
  node->decorator_list = decorators;
  node->type_params = params;
  return node;
}

// ---------------------------------------------------------------------------------------------
// match statement

Stmt* ParserImpl::match_statement() {
  const std::uint32_t start = cur().start;
  advance();  // match
  Guard guard(*this);
  Expr* subject = nullptr;
  {
    const std::uint32_t subject_start = cur().start;
    Expr* first = star_named_expression();
    if (at(TokenKind::Comma)) {
      const std::size_t mark = scratch_.size();
      scratch_.push_back(first);
      while (accept(TokenKind::Comma)) {
        if (at(TokenKind::Colon)) break;
        scratch_.push_back(star_named_expression());
      }
      auto* tuple = make<Tuple>(subject_start);
      tuple->elts = finish<Expr>(mark);
      subject = tuple;
    } else {
      if (first->kind == NodeKind::Starred) invalid_syntax();
      subject = first;
    }
  }
  expect(TokenKind::Colon);
  expect(TokenKind::Newline);
  expect(TokenKind::Indent);
  const std::size_t mark = scratch_.size();
  while (!at(TokenKind::Dedent)) {
    if (!at_soft("case")) invalid_syntax();
    const std::uint32_t case_start = cur().start;
    advance();
    auto* match_case = result_.arena_->make<MatchCase>();
    match_case->kind = NodeKind::MatchCase;
    match_case->start = case_start;
    match_case->pattern = patterns();
    if (accept(TokenKind::If)) match_case->guard = named_expression();
    match_case->body = block("'case' statement", case_start);
    match_case->end = prev_end_;
    scratch_.push_back(match_case);
  }
  advance();  // dedent
  auto* node = make<Match>(start);
  node->subject = subject;
  node->cases = finish<MatchCase>(mark);
  return node;
}

Pattern* ParserImpl::patterns() {
  const std::uint32_t start = cur().start;
  Pattern* first = star_or_pattern();
  if (!at(TokenKind::Comma)) {
    if (first->kind == NodeKind::MatchStar) invalid_syntax();
    return first;
  }
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::Colon) || at(TokenKind::If)) break;
    scratch_.push_back(star_or_pattern());
  }
  auto* node = make<MatchSequence>(start);
  node->patterns = finish<Pattern>(mark);
  return node;
}

Pattern* ParserImpl::star_or_pattern() {
  if (at(TokenKind::Star)) {
    const std::uint32_t start = cur().start;
    advance();
    const Identifier id = name();
    auto* node = make<MatchStar>(start);
    if (id != "_") node->name = id;
    return node;
  }
  return pattern();
}

Pattern* ParserImpl::pattern() {
  Guard guard(*this);
  const std::uint32_t start = cur().start;
  Pattern* alternatives = or_pattern();
  if (accept(TokenKind::As)) {
    const std::uint32_t name_start = cur().start;
    const Identifier id = name();
    if (id == "_") fail_at(name_start, "cannot use '_' as a target");
    auto* node = make<MatchAs>(start);
    node->pattern = alternatives;
    node->name = id;
    return node;
  }
  return alternatives;
}

Pattern* ParserImpl::or_pattern() {
  const std::uint32_t start = cur().start;
  Pattern* first = closed_pattern();
  if (!at(TokenKind::VerticalBar)) return first;
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::VerticalBar)) scratch_.push_back(closed_pattern());
  auto* node = make<MatchOr>(start);
  node->patterns = finish<Pattern>(mark);
  return node;
}

Expr* ParserImpl::signed_number() {
  const std::uint32_t start = cur().start;
  if (accept(TokenKind::Minus)) {
    if (!at(TokenKind::Number)) invalid_syntax();
    Expr* operand = number();
    auto* node = make<UnaryOp>(start);
    node->op = UnaryOperator::USub;
    node->operand = operand;
    return node;
  }
  if (!at(TokenKind::Number)) invalid_syntax();
  return number();
}

Expr* ParserImpl::literal_expression(bool for_pattern) {
  (void)for_pattern;
  const std::uint32_t start = cur().start;
  if (at(TokenKind::String)) return strings();
  Expr* real = signed_number();
  if (at(TokenKind::Plus) || at(TokenKind::Minus)) {
    const Operator op = at(TokenKind::Plus) ? Operator::Add : Operator::Sub;
    advance();
    if (!at(TokenKind::Number)) invalid_syntax();
    Expr* imaginary = number();
    auto* node = make<BinOp>(start);
    node->left = real;
    node->op = op;
    node->right = imaginary;
    return node;
  }
  return real;
}

Pattern* ParserImpl::closed_pattern() {
  Guard guard(*this);
  const std::uint32_t start = cur().start;
  switch (kind()) {
    case TokenKind::Number: case TokenKind::Minus: case TokenKind::String: {
      Expr* value = literal_expression(true);
      auto* node = make<MatchValue>(start);
      node->value = value;
      return node;
    }
    case TokenKind::None: case TokenKind::True: case TokenKind::False: {
      auto* node = make<MatchSingleton>(start);
      node->value.kind = at(TokenKind::None) ? ConstantValue::Kind::None
                         : at(TokenKind::True) ? ConstantValue::Kind::True : ConstantValue::Kind::False;
      advance();
      node->end = prev_end_;
      return node;
    }
    case TokenKind::LeftParen: case TokenKind::LeftBracket: {
      const bool paren = at(TokenKind::LeftParen);
      const TokenKind closer = paren ? TokenKind::RightParen : TokenKind::RightBracket;
      advance();
      const std::size_t mark = scratch_.size();
      bool comma = false;
      while (!at(closer)) {
        scratch_.push_back(star_or_pattern());
        if (!accept(TokenKind::Comma)) break;
        comma = true;
      }
      expect(closer);
      if (paren && !comma && scratch_.size() == mark + 1 &&
          static_cast<Pattern*>(scratch_.back())->kind != NodeKind::MatchStar) {
        Pattern* inner = static_cast<Pattern*>(scratch_.back());
        scratch_.pop_back();
        return inner;  // group pattern
      }
      auto* node = make<MatchSequence>(start);
      node->patterns = finish<Pattern>(mark);
      return node;
    }
    case TokenKind::LeftBrace: {
      advance();
      const std::size_t key_mark = scratch_.size();
      std::vector<Pattern*> values;
      Identifier rest;
      while (!at(TokenKind::RightBrace)) {
        if (accept(TokenKind::DoubleStar)) {
          rest = name();
          accept(TokenKind::Comma);
          break;
        }
        Expr* key = nullptr;
        if (at(TokenKind::Name)) {
          const std::uint32_t key_start = cur().start;
          auto* base = make<Name>(key_start);
          base->id = name();
          base->end = prev_end_;
          Expr* value = base;
          if (!at(TokenKind::Dot)) invalid_syntax();
          while (accept(TokenKind::Dot)) {
            auto* attribute = make<Attribute>(key_start);
            attribute->value = value;
            attribute->attr = name();
            attribute->end = prev_end_;
            value = attribute;
          }
          key = value;
        } else if (at(TokenKind::None) || at(TokenKind::True) || at(TokenKind::False)) {
          key = atom();
        } else {
          key = literal_expression(true);
        }
        scratch_.push_back(key);
        expect(TokenKind::Colon);
        values.push_back(pattern());
        if (!accept(TokenKind::Comma)) break;
      }
      expect(TokenKind::RightBrace);
      auto* node = make<MatchMapping>(start);
      node->keys = finish<Expr>(key_mark);
      node->patterns = result_.arena_->copy(std::span<Pattern* const>(values));
      node->rest = rest;
      return node;
    }
    case TokenKind::Name: {
      const Identifier first = name();
      auto* base = make<Name>(start);
      base->id = first;
      Expr* value = base;
      bool dotted = false;
      while (accept(TokenKind::Dot)) {
        dotted = true;
        auto* attribute = make<Attribute>(start);
        attribute->value = value;
        attribute->attr = name();
        attribute->end = prev_end_;
        value = attribute;
      }
      if (at(TokenKind::LeftParen)) {
        advance();
        const std::size_t mark = scratch_.size();
        const std::size_t names_mark = name_scratch_.size();
        std::vector<Pattern*> keyword_patterns;
        while (!at(TokenKind::RightParen)) {
          if (at(TokenKind::Name) && peek() == TokenKind::Equal) {
            name_scratch_.push_back(name());
            advance();
            keyword_patterns.push_back(pattern());
          } else {
            if (!keyword_patterns.empty()) fail_at(cur().start, "positional patterns follow keyword patterns");
            scratch_.push_back(pattern());
          }
          if (!accept(TokenKind::Comma)) break;
        }
        expect(TokenKind::RightParen);
        auto* node = make<MatchClass>(start);
        node->cls = value;
        node->patterns = finish<Pattern>(mark);
        node->kwd_attrs = finish_names(names_mark);
        node->kwd_patterns = result_.arena_->copy(std::span<Pattern* const>(keyword_patterns));
        return node;
      }
      if (dotted) {
        auto* node = make<MatchValue>(start);
        node->value = value;
        return node;
      }
      auto* node = make<MatchAs>(start);
      if (first != "_") node->name = first;
      return node;
    }
    default:
      invalid_syntax();
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

Expr* ParserImpl::star_expressions() {
  const std::uint32_t start = cur().start;
  Expr* first = star_expression();
  if (!at(TokenKind::Comma)) return first;
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (!starts_expression(kind())) break;
    scratch_.push_back(star_expression());
  }
  auto* tuple = make<Tuple>(start);
  tuple->elts = finish<Expr>(mark);
  return tuple;
}

Expr* ParserImpl::star_expression() {
  if (at(TokenKind::Star)) {
    const std::uint32_t start = cur().start;
    advance();
    Expr* value = bitwise(1);
    auto* node = make<Starred>(start);
    node->value = value;
    return node;
  }
  return expression();
}

Expr* ParserImpl::star_named_expression() {
  if (at(TokenKind::Star)) return star_expression();
  return named_expression();
}

Expr* ParserImpl::named_expression() {
  if (at(TokenKind::Name) && peek() == TokenKind::ColonEqual) {
    const std::uint32_t start = cur().start;
    auto* target = make<Name>(start);
    target->id = name();
    target->end = prev_end_;
    target->ctx = ExprContext::Store;
    advance();  // :=
    Expr* value = expression();
    auto* node = make<NamedExpr>(start);
    node->target = target;
    node->value = value;
    return node;
  }
  Expr* value = expression();
  if (at(TokenKind::ColonEqual)) fail_at(value->start, "cannot use assignment expressions with " + std::string(describe(value)));
  return value;
}

Expr* ParserImpl::expression() {
  Guard guard(*this);
  if (at(TokenKind::Lambda)) return lambda();
  const std::uint32_t start = cur().start;
  Expr* body;
  if (starts_with_primary(kind())) {
    Expr* first = primary();
    if (!continues_expression(kind())) return first;  // most names, calls and literals
    body = disjunction(first, start);
  } else {
    body = disjunction();
  }
  if (!at(TokenKind::If)) return body;
  advance();
  Expr* test = disjunction();
  if (!accept(TokenKind::Else)) fail_at(cur().start, "expected 'else' after 'if' expression");
  Expr* orelse = expression();
  auto* node = make<IfExp>(start);
  node->test = test;
  node->body = body;
  node->orelse = orelse;
  return node;
}

Expr* ParserImpl::lambda() {
  const std::uint32_t start = cur().start;
  advance();
  Arguments* args = parameters(TokenKind::Colon, false);
  expect(TokenKind::Colon);
  Expr* body = expression();
  auto* node = make<Lambda>(start);
  node->args = args;
  node->body = body;
  return node;
}

Expr* ParserImpl::disjunction(Expr* primed, std::uint32_t primed_start) {
  const std::uint32_t start = primed != nullptr ? primed_start : cur().start;
  Expr* first = conjunction(primed, start);
  if (!at(TokenKind::Or)) return first;
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::Or)) scratch_.push_back(conjunction());
  auto* node = make<BoolOp>(start);
  node->op = BoolOperator::Or;
  node->values = finish<Expr>(mark);
  return node;
}

Expr* ParserImpl::conjunction(Expr* primed, std::uint32_t primed_start) {
  const std::uint32_t start = primed != nullptr ? primed_start : cur().start;
  Expr* first = inversion(primed, start);
  if (!at(TokenKind::And)) return first;
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::And)) scratch_.push_back(inversion());
  auto* node = make<BoolOp>(start);
  node->op = BoolOperator::And;
  node->values = finish<Expr>(mark);
  return node;
}

Expr* ParserImpl::inversion(Expr* primed, std::uint32_t primed_start) {
  if (primed != nullptr) return comparison(primed, primed_start);
  if (at(TokenKind::Not)) {
    Guard guard(*this);
    const std::uint32_t start = cur().start;
    advance();
    Expr* operand = inversion();
    auto* node = make<UnaryOp>(start);
    node->op = UnaryOperator::Not;
    node->operand = operand;
    return node;
  }
  return comparison();
}

Expr* ParserImpl::comparison(Expr* primed, std::uint32_t primed_start) {
  const std::uint32_t start = primed != nullptr ? primed_start : cur().start;
  Expr* left = bitwise(1, primed, start);
  const std::size_t ops_mark = compare_scratch_.size();
  const std::size_t mark = scratch_.size();
  while (true) {
    CmpOp op;
    switch (kind()) {
      case TokenKind::EqEqual: op = CmpOp::Eq; break;
      case TokenKind::NotEqual: op = CmpOp::NotEq; break;
      case TokenKind::Less: op = CmpOp::Lt; break;
      case TokenKind::LessEqual: op = CmpOp::LtE; break;
      case TokenKind::Greater: op = CmpOp::Gt; break;
      case TokenKind::GreaterEqual: op = CmpOp::GtE; break;
      case TokenKind::In: op = CmpOp::In; break;
      case TokenKind::Is:
        op = peek() == TokenKind::Not ? CmpOp::IsNot : CmpOp::Is;
        if (op == CmpOp::IsNot) advance();
        break;
      case TokenKind::Not:
        if (peek() != TokenKind::In) goto done;
        advance();
        op = CmpOp::NotIn;
        break;
      default: goto done;
    }
    advance();
    compare_scratch_.push_back(op);
    scratch_.push_back(bitwise(1));
  }
done:
  if (compare_scratch_.size() == ops_mark) return left;
  auto* node = make<Compare>(start);
  node->left = left;
  node->ops = result_.arena_->copy(std::span<const CmpOp>(compare_scratch_).subspan(ops_mark));
  compare_scratch_.resize(ops_mark);
  node->comparators = finish<Expr>(mark);
  return node;
}

Expr* ParserImpl::bitwise(int min_level, Expr* primed, std::uint32_t primed_start) {
  const std::uint32_t start = primed != nullptr ? primed_start : cur().start;
  Expr* left = factor(primed, start);
  int chain = 0;
  while (auto op = binary_operator(kind())) {
    if (op->level < min_level) break;
    if (++chain > kMaxTreeDepth) fail_at(cur().start, "expression too complex");
    advance();
    Expr* right = op->level < 6 ? bitwise(op->level + 1) : factor();
    auto* node = make<BinOp>(start);
    node->left = left;
    node->op = op->op;
    node->right = right;
    left = node;
  }
  stats_.max_chain = std::max(stats_.max_chain, chain);
  return left;
}

Expr* ParserImpl::factor(Expr* primed, std::uint32_t primed_start) {
  if (primed != nullptr) return power(primed, primed_start);
  const std::uint32_t start = cur().start;
  UnaryOperator op;
  switch (kind()) {
    case TokenKind::Plus: op = UnaryOperator::UAdd; break;
    case TokenKind::Minus: op = UnaryOperator::USub; break;
    case TokenKind::Tilde: op = UnaryOperator::Invert; break;
    default: return power();
  }
  Guard guard(*this);
  advance();
  Expr* operand = factor();
  auto* node = make<UnaryOp>(start);
  node->op = op;
  node->operand = operand;
  return node;
}

Expr* ParserImpl::power(Expr* primed, std::uint32_t primed_start) {
  const std::uint32_t start = primed != nullptr ? primed_start : cur().start;
  Expr* base;
  if (primed != nullptr) {
    base = primed;
  } else if (at(TokenKind::Await)) {
    advance();
    Expr* value = primary();
    auto* node = make<Await>(start);
    node->value = value;
    base = node;
  } else {
    base = primary();
  }
  if (!at(TokenKind::DoubleStar)) return base;
  advance();
  Guard guard(*this);
  Expr* exponent = factor();
  auto* node = make<BinOp>(start);
  node->left = base;
  node->op = Operator::Pow;
  node->right = exponent;
  return node;
}

Expr* ParserImpl::primary() {
  const std::uint32_t start = cur().start;
  Expr* value = atom();
  int chain = 0;
  while (true) {
    if (at(TokenKind::Dot)) {
      advance();
      auto* node = make<Attribute>(start);
      node->value = value;
      node->attr = name();
      node->end = prev_end_;
      value = node;
    } else if (at(TokenKind::LeftParen)) {
      value = call(value, start);
    } else if (at(TokenKind::LeftBracket)) {
      advance();
      Guard guard(*this);
      Expr* index = slices();
      expect(TokenKind::RightBracket);
      auto* node = make<Subscript>(start);
      node->value = value;
      node->slice = index;
      value = node;
    } else {
      stats_.max_chain = std::max(stats_.max_chain, chain);
      return value;
    }
    if (++chain > kMaxTreeDepth) fail_at(cur().start, "expression too complex");
  }
}

Expr* ParserImpl::slices() {
  const std::uint32_t start = cur().start;
  Expr* first = slice();
  if (!at(TokenKind::Comma) && first->kind != NodeKind::Starred) return first;
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RightBracket)) break;
    scratch_.push_back(slice());
  }
  auto* tuple = make<Tuple>(start);
  tuple->elts = finish<Expr>(mark);
  return tuple;
}

Expr* ParserImpl::slice() {
  const std::uint32_t start = cur().start;
  if (at(TokenKind::Star)) return star_expression();
  Expr* lower = nullptr;
  if (!at(TokenKind::Colon)) {
    lower = named_expression();
    if (!at(TokenKind::Colon)) return lower;
  }
  advance();  // :
  auto* node = make<Slice>(start);
  node->lower = lower;
  if (!at(TokenKind::Colon) && !at(TokenKind::Comma) && !at(TokenKind::RightBracket)) node->upper = expression();
  if (accept(TokenKind::Colon)) {
    if (!at(TokenKind::Comma) && !at(TokenKind::RightBracket)) node->step = expression();
  }
  node->end = prev_end_;
  return node;
}

Expr* ParserImpl::call(Expr* func, std::uint32_t start) {
  const std::uint32_t open = cur().start;
  advance();  // (
  Guard guard(*this);
  const std::size_t args_mark = scratch_.size();
  const std::size_t keywords_mark = keyword_scratch_.size();
  bool seen_double_star = false;
  bool generator = false;
  while (!at(TokenKind::RightParen)) {
    const std::uint32_t arg_start = cur().start;
    if (at(TokenKind::Star)) {
      advance();
      Expr* value = expression();
      if (seen_double_star) fail_at(arg_start, "iterable argument unpacking follows keyword argument unpacking");
      auto* starred = make<Starred>(arg_start);
      starred->value = value;
      scratch_.push_back(starred);
    } else if (at(TokenKind::DoubleStar)) {
      advance();
      Expr* value = expression();
      auto* keyword = make<Keyword>(arg_start);
      keyword->value = value;
      keyword_scratch_.push_back(keyword);
      seen_double_star = true;
    } else if (at(TokenKind::Name) && peek() == TokenKind::Equal) {
      const Identifier id = name();
      advance();  // =
      Expr* value = expression();
      auto* keyword = make<Keyword>(arg_start);
      keyword->arg = id;
      keyword->value = value;
      keyword_scratch_.push_back(keyword);
    } else {
      Expr* value = named_expression();
      if (at(TokenKind::Equal)) {
        if (value->kind == NodeKind::Constant) fail_at(value->start, "cannot assign to " + std::string(describe(value)));
        fail_at(value->start, "expression cannot contain assignment, perhaps you meant \"==\"?");
      }
      if (at(TokenKind::For) || at(TokenKind::Async)) {
        NodeList<Comprehension> generators = comprehension_clauses();
        auto* genexp = make<GeneratorExp>(arg_start);
        genexp->elt = value;
        genexp->generators = generators;
        value = genexp;
        generator = true;
      }
      if (keyword_scratch_.size() > keywords_mark && !options_.patterns && !options_.lenient_arguments) {
        fail_at(value->start, seen_double_star ? "positional argument follows keyword argument unpacking"
                                               : "positional argument follows keyword argument");
      }
      scratch_.push_back(value);
    }
    if (!accept(TokenKind::Comma)) break;
  }
  expect(TokenKind::RightParen);
  auto* node = make<Call>(start);
  node->func = func;
  node->args = finish<Expr>(args_mark);
  node->keywords = result_.arena_->copy(std::span<Keyword* const>(keyword_scratch_).subspan(keywords_mark));
  keyword_scratch_.resize(keywords_mark);
  if (generator) {
    if (node->args.size() != 1 || !node->keywords.empty() || src_[prev_end_ - 2] == ',') {
      for (Expr* arg : node->args) {
        if (arg->kind == NodeKind::GeneratorExp && arg->start != open) {
          fail_at(arg->start, "Generator expression must be parenthesized");
        }
      }
    }
    if (node->args.size() == 1 && node->keywords.empty()) {
      // The generator expression takes the call's parentheses.
      node->args[0]->start = open;
      node->args[0]->end = prev_end_;
    }
  }
  return node;
}

NodeList<Comprehension> ParserImpl::comprehension_clauses() {
  const std::size_t mark = scratch_.size();
  while (at(TokenKind::For) || (at(TokenKind::Async) && peek() == TokenKind::For)) {
    auto* clause = result_.arena_->make<Comprehension>();
    clause->kind = NodeKind::Comprehension;
    clause->start = cur().start;
    if (accept(TokenKind::Async)) clause->is_async = 1;
    advance();  // for
    clause->target = star_targets_for();
    expect(TokenKind::In);
    clause->iter = disjunction();
    const std::size_t ifs_mark = scratch_.size();
    while (accept(TokenKind::If)) scratch_.push_back(disjunction());
    clause->ifs = finish<Expr>(ifs_mark);
    clause->end = prev_end_;
    scratch_.push_back(clause);
  }
  return finish<Comprehension>(mark);
}

Expr* ParserImpl::yield_expression() {
  const std::uint32_t start = cur().start;
  advance();  // yield
  if (accept(TokenKind::From)) {
    Expr* value = expression();
    auto* node = make<YieldFrom>(start);
    node->value = value;
    return node;
  }
  Expr* value = nullptr;
  if (starts_expression(kind())) value = star_expressions();
  auto* node = make<Yield>(start);
  node->value = value;
  return node;
}

Expr* ParserImpl::atom() {
  const std::uint32_t start = cur().start;
  switch (kind()) {
    case TokenKind::Name: {
      auto* node = make<Name>(start);
      node->id = identifier(text(cur()));
      advance();
      node->end = prev_end_;
      return node;
    }
    case TokenKind::Number: return number();
    case TokenKind::String: return strings();
    case TokenKind::None: case TokenKind::True: case TokenKind::False: case TokenKind::Ellipsis: {
      const TokenKind k = kind();
      advance();
      auto* node = make<Constant>(start);
      node->value.kind = k == TokenKind::None ? ConstantValue::Kind::None
                         : k == TokenKind::True ? ConstantValue::Kind::True
                         : k == TokenKind::False ? ConstantValue::Kind::False : ConstantValue::Kind::Ellipsis;
      return node;
    }
    case TokenKind::LeftParen: return parenthesized();
    case TokenKind::LeftBracket: return bracketed();
    case TokenKind::LeftBrace: return braced();
    case TokenKind::Less:
      if (options_.patterns && peek() == TokenKind::Ellipsis) {
        advance();
        advance();
        Expr* value = expression();
        expect(TokenKind::Ellipsis);
        expect(TokenKind::Greater);
        auto* node = make<DeepEllipsis>(start);
        node->value = value;
        return node;
      }
      invalid_syntax();
    default:
      invalid_syntax();
  }
}

Expr* ParserImpl::number() {
  const std::uint32_t start = cur().start;
  const std::string_view token = text(cur());
  advance();
  auto* node = make<Constant>(start);
  // Fast path: a plain decimal integer that fits 64 bits is its own decimal text.
  if (token.size() < 19 && (token[0] != '0' || token.size() == 1) &&
      std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::uint64_t value = 0;
    for (char c : token) value = value * 10 + static_cast<std::uint64_t>(c - '0');
    node->value.kind = ConstantValue::Kind::Int;
    node->value.text = token;
    node->value.number = static_cast<double>(value);
    return node;
  }
  std::string digits;
  node->value = parse_number(token, digits);
  if (node->value.kind == ConstantValue::Kind::Int) node->value.text = result_.arena_->copy(digits);
  return node;
}

Expr* ParserImpl::parenthesized() {
  const std::uint32_t start = cur().start;
  advance();  // (
  Guard guard(*this);
  if (accept(TokenKind::RightParen)) {
    auto* tuple = make<Tuple>(start);
    return tuple;
  }
  if (at(TokenKind::Yield)) {
    Expr* value = yield_expression();
    expect(TokenKind::RightParen);
    return value;
  }
  Expr* first = star_named_expression();
  if (at(TokenKind::For) || (at(TokenKind::Async) && peek() == TokenKind::For)) {
    if (first->kind == NodeKind::Starred) fail_at(first->start, "iterable unpacking cannot be used in comprehension");
    NodeList<Comprehension> generators = comprehension_clauses();
    expect(TokenKind::RightParen);
    auto* node = make<GeneratorExp>(start);
    node->elt = first;
    node->generators = generators;
    return node;
  }
  if (accept(TokenKind::RightParen)) {
    if (first->kind == NodeKind::Starred) fail_at(first->start, "cannot use starred expression here");
    return first;
  }
  if (!at(TokenKind::Comma)) invalid_syntax();
  const std::size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RightParen)) break;
    scratch_.push_back(star_named_expression());
  }
  expect(TokenKind::RightParen);
  auto* tuple = make<Tuple>(start);
  tuple->elts = finish<Expr>(mark);
  return tuple;
}

Expr* ParserImpl::bracketed() {
  const std::uint32_t start = cur().start;
  advance();  // [
  Guard guard(*this);
  const std::size_t mark = scratch_.size();
  if (!at(TokenKind::RightBracket)) {
    Expr* first = star_named_expression();
    if (at(TokenKind::For) || (at(TokenKind::Async) && peek() == TokenKind::For)) {
      if (first->kind == NodeKind::Starred) fail_at(first->start, "iterable unpacking cannot be used in comprehension");
      NodeList<Comprehension> generators = comprehension_clauses();
      expect(TokenKind::RightBracket);
      auto* node = make<ListComp>(start);
      node->elt = first;
      node->generators = generators;
      return node;
    }
    scratch_.push_back(first);
    while (accept(TokenKind::Comma)) {
      if (at(TokenKind::RightBracket)) break;
      scratch_.push_back(star_named_expression());
    }
  }
  expect(TokenKind::RightBracket);
  auto* list = make<List>(start);
  list->elts = finish<Expr>(mark);
  return list;
}

Expr* ParserImpl::braced() {
  const std::uint32_t start = cur().start;
  advance();  // {
  Guard guard(*this);
  if (accept(TokenKind::RightBrace)) return make<Dict>(start);
  const std::size_t mark = scratch_.size();
  // A dict starts with `**x` or `key:`; a set with anything else.
  Expr* first_key = nullptr;
  Expr* first_value = nullptr;
  if (accept(TokenKind::DoubleStar)) {
    first_value = bitwise(1);
  } else {
    Expr* first = star_named_expression();
    if (!accept(TokenKind::Colon)) {
      if (at(TokenKind::For) || (at(TokenKind::Async) && peek() == TokenKind::For)) {
        if (first->kind == NodeKind::Starred) fail_at(first->start, "iterable unpacking cannot be used in comprehension");
        NodeList<Comprehension> generators = comprehension_clauses();
        expect(TokenKind::RightBrace);
        auto* node = make<SetComp>(start);
        node->elt = first;
        node->generators = generators;
        return node;
      }
      scratch_.push_back(first);
      while (accept(TokenKind::Comma)) {
        if (at(TokenKind::RightBrace)) break;
        scratch_.push_back(star_named_expression());
      }
      expect(TokenKind::RightBrace);
      auto* set = make<Set>(start);
      set->elts = finish<Expr>(mark);
      return set;
    }
    if (first->kind == NodeKind::Starred) invalid_syntax();
    first_key = first;
    first_value = expression();
    if (at(TokenKind::For) || (at(TokenKind::Async) && peek() == TokenKind::For)) {
      NodeList<Comprehension> generators = comprehension_clauses();
      expect(TokenKind::RightBrace);
      auto* node = make<DictComp>(start);
      node->key = first_key;
      node->value = first_value;
      node->generators = generators;
      return node;
    }
  }
  std::vector<Expr*> values;
  scratch_.push_back(first_key);
  values.push_back(first_value);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RightBrace)) break;
    if (accept(TokenKind::DoubleStar)) {
      scratch_.push_back(nullptr);
      values.push_back(bitwise(1));
    } else {
      scratch_.push_back(expression());
      expect(TokenKind::Colon);
      values.push_back(expression());
    }
  }
  expect(TokenKind::RightBrace);
  auto* dict = make<Dict>(start);
  dict->keys = finish<Expr>(mark);
  dict->values = result_.arena_->copy(std::span<Expr* const>(values));
  return dict;
}

// ---------------------------------------------------------------------------------------------
// Targets

void ParserImpl::set_context(Expr* expr, ExprContext ctx, std::string_view verb) { check_target(expr, ctx, verb, true); }

void ParserImpl::check_target(Expr* expr, ExprContext ctx, std::string_view verb, bool top) {
  switch (expr->kind) {
    case NodeKind::Name: {
      auto* name_node = static_cast<Name*>(expr);
      if (ctx == ExprContext::Store && name_node->id == "__debug__") fail_at(expr->start, "cannot assign to __debug__");
      name_node->ctx = ctx;
      return;
    }
    case NodeKind::Attribute: static_cast<Attribute*>(expr)->ctx = ctx; return;
    case NodeKind::Subscript: static_cast<Subscript*>(expr)->ctx = ctx; return;
    case NodeKind::Starred:
      if (ctx == ExprContext::Del) fail_at(expr->start, "cannot delete starred");
      if (top) fail_at(expr->start, "starred assignment target must be in a list or tuple");
      static_cast<Starred*>(expr)->ctx = ctx;
      check_target(static_cast<Starred*>(expr)->value, ctx, verb, false);
      return;
    case NodeKind::Tuple:
      static_cast<Tuple*>(expr)->ctx = ctx;
      for (Expr* element : static_cast<Tuple*>(expr)->elts) check_target(element, ctx, verb, false);
      return;
    case NodeKind::List:
      static_cast<List*>(expr)->ctx = ctx;
      for (Expr* element : static_cast<List*>(expr)->elts) check_target(element, ctx, verb, false);
      return;
    case NodeKind::Constant:
      // A pattern's `... = f()` or `with x as ...`: any target.
      if (options_.patterns && static_cast<Constant*>(expr)->value.kind == ConstantValue::Kind::Ellipsis) return;
      [[fallthrough]];
    default:
      // Semgrep's tolerance of code CPython rejects also covers targets like `f() = x`.
      if (ctx == ExprContext::Store && options_.lenient_arguments) return;
      fail_at(expr->start, "cannot " + std::string(verb) + " " + std::string(describe(expr)));
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

Expr* ParserImpl::parse_single_expression() {
  Expr* value = star_expressions();
  while (accept(TokenKind::Newline)) {
  }
  if (!at(TokenKind::EndOfFile)) invalid_syntax();
  return value;
}

Expr* ParserImpl::parse_fstring_field() {
  Expr* value = parenthesized();
  if (!at(TokenKind::EndOfFile)) invalid_syntax();
  return value;
}

SourcePosition ParseResult::position(const Node& node) const {
  const auto begin = lines_.position(node.start);
  const auto end = lines_.position(node.end);
  return {begin.line, begin.column, end.line, end.column};
}

std::vector<std::string_view> ParseResult::comments_on_line(std::uint32_t line) const {
  std::vector<std::string_view> comments;
  if (line == 0 || line > lines_.line_count()) return comments;
  const std::uint32_t begin = lines_.line_start(line);
  const std::uint32_t end = line < lines_.line_count() ? lines_.line_start(line + 1) : static_cast<std::uint32_t>(source_.size());
  auto it = std::lower_bound(comment_indexes_.begin(), comment_indexes_.end(), begin,
                             [&](std::uint32_t index, std::uint32_t offset) { return tokens_[index].start < offset; });
  for (; it != comment_indexes_.end() && tokens_[*it].start < end; ++it) comments.push_back(text(tokens_[*it]));
  return comments;
}

namespace {

void finish_error(ParseResult& result, SyntaxError& error) {
  if (error.line == 0) {
    const auto where = result.lines().position(std::min<std::uint32_t>(error.offset, static_cast<std::uint32_t>(result.source().size())));
    error.line = where.line;
    error.column = where.column + 1;
  }
}

bool is_ascii(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t high_bits = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    high_bits |= word;
  }
  for (; i < text.size(); ++i) high_bits |= static_cast<unsigned char>(text[i]);
  return (high_bits & 0x8080808080808080ull) == 0;
}

LexOptions lex_options(const ParseOptions& options) {
  LexOptions lex;
  lex.nested_fstring_quotes = options.target >= PythonVersion::Py312;
  lex.template_strings = options.target >= PythonVersion::Py314;
  lex.metavariables = options.patterns;
  return lex;
}

/// Tree depth check: consumers may recurse over the tree, so it is bounded.
bool tree_too_deep(const Node& root) {
  std::vector<std::pair<const Node*, int>> stack{{&root, 1}};
  while (!stack.empty()) {
    const Node* node = stack.back().first;
    const int depth = stack.back().second;
    stack.pop_back();
    if (depth > kMaxTreeDepth) return true;
    for_each_child(*node, [&](const Node& child) { stack.emplace_back(&child, depth + 1); });
  }
  return false;
}

}  // namespace

ParseResult parse(std::string_view source_bytes, const ParseOptions& options) {
  ParseResult result;
  bool ascii = false;
  const std::optional<std::string_view> in_place = decoded_in_place(source_bytes, ascii);
  DecodedSource decoded;
  if (in_place && options.bytes_outlive_result) {
    result.source_ = *in_place;
  } else {
    if (in_place) {
      decoded.text.assign(*in_place);
    } else {
      decoded = decode_python_source(source_bytes);
      ascii = is_ascii(decoded.text);
    }
    result.source_text_ = std::make_unique<std::string>(std::move(decoded.text));
    result.source_ = *result.source_text_;
  }
  if (result.source_.size() > kMaxSource) {
    result.source_text_ = std::make_unique<std::string>();
    result.source_ = *result.source_text_;
    ascii = true;
    decoded.error = SourceError{"source too large", 1, 1};
  }
  result.lines_ = LineIndex(result.source_);
  result.module_ = result.arena_->make<Module>();
  result.module_->kind = NodeKind::Module;
  if (decoded.error) {
    result.errors_.push_back(SyntaxError{decoded.error->message, decoded.error->line, decoded.error->column, 0});
    return result;
  }
  std::vector<Token> tokens;
  tokens.reserve(result.source_.size() / 3 + 16);  // a token per 5.4 bytes in the median stdlib file, 3.7 at the 90th percentile
  // CPython's tokenizer is lazy: a syntax error the parser meets before the point where the
  // lexer failed wins. Parse the tokens before a lexical error, then decide which to report.
  std::optional<SyntaxError> lex_error =
      lex(result.source_, 0, static_cast<std::uint32_t>(result.source_.size()), lex_options(options), tokens,
          &result.comment_indexes_);
  std::uint32_t detected_at = 0;
  if (lex_error) {
    detected_at = std::max(lex_error->offset, tokens.empty() ? 0u : tokens.back().end);
    if (lex_error->message.ends_with("was never closed")) detected_at = static_cast<std::uint32_t>(result.source_.size());
    tokens.push_back({TokenKind::ErrorToken, detected_at, detected_at});
    tokens.push_back({TokenKind::EndOfFile, detected_at, detected_at});
  }
  result.tokens_ = std::move(tokens);
  ParserImpl parser(result, options, result.tokens_, 0);
  parser.set_ascii_source(ascii);
  try {
    result.module_ = parser.parse_module();
    // Between two nesting guards the grammar adds a bounded number of levels plus the chains
    // (a.b.c, a + b + c); walk the tree only when that bound does not already prove it shallow.
    const ParserImpl::Stats stats = parser.stats();
    const long bound = static_cast<long>(stats.max_depth + 1) * (16 + 8L * stats.max_chain);
    if (bound > kMaxTreeDepth && tree_too_deep(*result.module_)) {
      result.errors_.push_back(SyntaxError{"too many nested expressions", 1, 1, 0});
    }
  } catch (const ParserImpl::Failure&) {
  }
  if (lex_error && (result.errors_.empty() || result.errors_.front().offset >= detected_at)) {
    result.errors_.assign(1, *lex_error);
  }
  if (lex_error) result.tokens_.resize(result.tokens_.size() - 2);
  for (auto& error : result.errors_) finish_error(result, error);
  return result;
}

ParseResult parse_pattern(std::string_view pattern, const ParseOptions& options) {
  ParseOptions pattern_options = options;
  pattern_options.patterns = true;
  ParseResult result = parse(pattern, pattern_options);
  if (result.ok() && result.module().body.size() == 1 && result.module().body[0]->kind == NodeKind::ExprStmt) {
    result.expression_ = static_cast<const ExprStmt*>(result.module().body[0])->value;
  }
  return result;
}

}  // namespace moat::python
