#pragma once
// The Python syntax tree: the node types, fields and field order of CPython's `ast` module
// (3.14 grammar: 3.11 plus TypeAlias, type parameters and template strings), generated into
// ast_nodes.inc by scripts/gen_ast.py.
//
// Every node records the byte range [start, end) it covers in the decoded source of its parse
// (ParseResult::source()); ParseResult::position() turns it into CPython's lineno, col_offset
// (UTF-8 bytes), end_lineno and end_col_offset. Nodes live in the parse's arena: pointers and
// spans stay valid while the ParseResult lives. Optional children are null pointers; lists are
// spans of non-null pointers except Dict::keys (null for `**mapping`) and
// Arguments::kw_defaults (null for a keyword-only parameter without default).
#include <cstdint>
#include <span>
#include <string_view>

namespace moat::python {

enum class NodeKind : std::uint8_t {
#define MOAT_AST_KINDS
#define MOAT_AST_KIND(cpp_name, python_name, base) cpp_name,
#include "moat/python/ast_nodes.inc"
#undef MOAT_AST_KIND
};

/// CPython's class name of a node kind ("FunctionDef", "arg", "Expr", ...).
std::string_view python_name(NodeKind kind);

struct Node {
  NodeKind kind;
  std::uint32_t start = 0;  // byte offsets into ParseResult::source()
  std::uint32_t end = 0;
};

/// Node groups of the grammar; the concrete node types below derive from one of them.
struct Mod : Node {};
struct Stmt : Node {};
struct Expr : Node {};
struct Pattern : Node {};
struct TypeParam : Node {};

bool is_stmt(NodeKind kind);
bool is_expr(NodeKind kind);
bool is_pattern(NodeKind kind);

template <typename T>
using NodeList = std::span<T* const>;

/// A name as written (after NFKC normalisation, as CPython does). Empty means "absent" for
/// optional identifiers.
using Identifier = std::string_view;

enum class ExprContext : std::uint8_t { Load, Store, Del };
enum class BoolOperator : std::uint8_t { And, Or };
enum class Operator : std::uint8_t {
  Add, Sub, Mult, MatMult, Div, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd, FloorDiv
};
enum class UnaryOperator : std::uint8_t { Invert, Not, UAdd, USub };
enum class CmpOp : std::uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };

std::string_view name_of(ExprContext value);
std::string_view name_of(BoolOperator value);
std::string_view name_of(Operator value);
std::string_view name_of(UnaryOperator value);
std::string_view name_of(CmpOp value);

/// The value of a Constant or MatchSingleton.
struct ConstantValue {
  enum class Kind : std::uint8_t { None, True, False, Ellipsis, Str, Bytes, Int, Float, Complex };
  Kind kind = Kind::None;
  /// Str: the decoded text as UTF-8 (lone surrogates from escapes are encoded like UTF-8, 3 bytes).
  /// Bytes: the decoded bytes. Int: the value in decimal digits (any size).
  std::string_view text;
  /// Float: the value; Complex: the imaginary part; Int: the value as a double (may be rounded).
  double number = 0;

  [[nodiscard]] bool is_string() const { return kind == Kind::Str; }
  [[nodiscard]] bool is_bytes() const { return kind == Kind::Bytes; }
};

#define MOAT_AST_STRUCTS
#include "moat/python/ast_nodes.inc"

/// Checked downcast: the node as T when it has T's kind, else null.
template <typename T>
[[nodiscard]] T* dyn_cast(Node* node) {
  return node != nullptr && node->kind == T::kKind ? static_cast<T*>(node) : nullptr;
}
template <typename T>
[[nodiscard]] const T* dyn_cast(const Node* node) {
  return node != nullptr && node->kind == T::kKind ? static_cast<const T*>(node) : nullptr;
}

}  // namespace moat::python
