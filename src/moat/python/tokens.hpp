#pragma once
// Tokens of Python source. The lexer keeps every token, comments and non-logical newlines
// included, so later passes (`# nosec`, pattern matching) never lex again.
#include <cstdint>
#include <string_view>

namespace moat::python {

#define MOAT_PYTHON_TOKENS(X)                                                                   \
  X(EndOfFile, "") X(Name, "") X(Number, "") X(String, "") X(Newline, "") X(NonLogicalNewline, "") \
  X(Indent, "") X(Dedent, "") X(Comment, "")                                                   \
  X(LeftParen, "(") X(RightParen, ")") X(LeftBracket, "[") X(RightBracket, "]")                \
  X(LeftBrace, "{") X(RightBrace, "}") X(Colon, ":") X(Comma, ",") X(Semicolon, ";")           \
  X(Plus, "+") X(Minus, "-") X(Star, "*") X(Slash, "/") X(VerticalBar, "|") X(Ampersand, "&")  \
  X(Less, "<") X(Greater, ">") X(Equal, "=") X(Dot, ".") X(Percent, "%") X(EqEqual, "==")      \
  X(NotEqual, "!=") X(LessEqual, "<=") X(GreaterEqual, ">=") X(Tilde, "~")                     \
  X(CircumFlex, "^") X(LeftShift, "<<") X(RightShift, ">>") X(DoubleStar, "**")                \
  X(PlusEqual, "+=") X(MinEqual, "-=") X(StarEqual, "*=") X(SlashEqual, "/=")                  \
  X(PercentEqual, "%=") X(AmperEqual, "&=") X(VbarEqual, "|=") X(CircumflexEqual, "^=")        \
  X(LeftShiftEqual, "<<=") X(RightShiftEqual, ">>=") X(DoubleStarEqual, "**=")                 \
  X(DoubleSlash, "//") X(DoubleSlashEqual, "//=") X(At, "@") X(AtEqual, "@=") X(Rarrow, "->")  \
  X(Ellipsis, "...") X(ColonEqual, ":=") X(Exclamation, "!")                                   \
  X(False, "False") X(None, "None") X(True, "True") X(And, "and") X(As, "as")                  \
  X(Assert, "assert") X(Async, "async") X(Await, "await") X(Break, "break") X(Class, "class")  \
  X(Continue, "continue") X(Def, "def") X(Del, "del") X(Elif, "elif") X(Else, "else")          \
  X(Except, "except") X(Finally, "finally") X(For, "for") X(From, "from") X(Global, "global")  \
  X(If, "if") X(Import, "import") X(In, "in") X(Is, "is") X(Lambda, "lambda")                  \
  X(Nonlocal, "nonlocal") X(Not, "not") X(Or, "or") X(Pass, "pass") X(Raise, "raise")          \
  X(Return, "return") X(Try, "try") X(While, "while") X(With, "with") X(Yield, "yield")        \
  X(ErrorToken, "")

enum class TokenKind : std::uint8_t {
#define MOAT_TOKEN_ENUM(name, text) name,
  MOAT_PYTHON_TOKENS(MOAT_TOKEN_ENUM)
#undef MOAT_TOKEN_ENUM
};

/// The fixed spelling of an operator or keyword token, empty for the others.
std::string_view token_text(TokenKind kind);
/// The enum name ("LeftParen", "Name", ...).
std::string_view token_name(TokenKind kind);

/// Soft keywords (`match`, `case`, `type`, `_`) are Name tokens; the parser decides.
struct Token {
  TokenKind kind;
  std::uint32_t start;  // byte range in ParseResult::source()
  std::uint32_t end;
};

}  // namespace moat::python
