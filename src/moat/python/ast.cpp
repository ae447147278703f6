#include "moat/python/ast.hpp"

#include <array>

#include "moat/python/tokens.hpp"

namespace moat::python {

std::string_view python_name(NodeKind kind) {
  static constexpr std::array kNames{
#define MOAT_AST_KINDS
#define MOAT_AST_KIND(cpp_name, python_name, base) std::string_view(python_name),
#include "moat/python/ast_nodes.inc"
#undef MOAT_AST_KIND
  };
  return kNames[static_cast<std::size_t>(kind)];
}

namespace {
template <typename Base>
constexpr bool kind_in_group(NodeKind kind) {
  switch (kind) {
#define MOAT_AST_KINDS
#define MOAT_AST_KIND(cpp_name, python_name, base) \
  case NodeKind::cpp_name:                         \
    return std::is_same_v<Base, base>;
#include "moat/python/ast_nodes.inc"
#undef MOAT_AST_KIND
  }
  return false;
}
}  // namespace

bool is_stmt(NodeKind kind) { return kind_in_group<Stmt>(kind); }
bool is_expr(NodeKind kind) { return kind_in_group<Expr>(kind); }
bool is_pattern(NodeKind kind) { return kind_in_group<Pattern>(kind); }

std::string_view name_of(ExprContext value) {
  static constexpr std::array<std::string_view, 3> kNames{"Load", "Store", "Del"};
  return kNames[static_cast<std::size_t>(value)];
}
std::string_view name_of(BoolOperator value) { return value == BoolOperator::And ? "And" : "Or"; }
std::string_view name_of(Operator value) {
  static constexpr std::array<std::string_view, 13> kNames{"Add",    "Sub",    "Mult",  "MatMult", "Div",
                                                           "Mod",    "Pow",    "LShift", "RShift", "BitOr",
                                                           "BitXor", "BitAnd", "FloorDiv"};
  return kNames[static_cast<std::size_t>(value)];
}
std::string_view name_of(UnaryOperator value) {
  static constexpr std::array<std::string_view, 4> kNames{"Invert", "Not", "UAdd", "USub"};
  return kNames[static_cast<std::size_t>(value)];
}
std::string_view name_of(CmpOp value) {
  static constexpr std::array<std::string_view, 10> kNames{"Eq", "NotEq", "Lt", "LtE", "Gt",
                                                           "GtE", "Is", "IsNot", "In", "NotIn"};
  return kNames[static_cast<std::size_t>(value)];
}

std::string_view token_text(TokenKind kind) {
  static constexpr std::array kTexts{
#define MOAT_TOKEN_TEXT(name, text) std::string_view(text),
      MOAT_PYTHON_TOKENS(MOAT_TOKEN_TEXT)
#undef MOAT_TOKEN_TEXT
  };
  return kTexts[static_cast<std::size_t>(kind)];
}

std::string_view token_name(TokenKind kind) {
  static constexpr std::array kNames{
#define MOAT_TOKEN_NAME(name, text) std::string_view(#name),
      MOAT_PYTHON_TOKENS(MOAT_TOKEN_NAME)
#undef MOAT_TOKEN_NAME
  };
  return kNames[static_cast<std::size_t>(kind)];
}

}  // namespace moat::python
