#include "moat/python/parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "moat/python/visitor.hpp"

namespace moat::python {
namespace {

ParseOptions for_version(PythonVersion target) {
  ParseOptions options;
  options.target = target;
  return options;
}

std::string dump_of(std::string_view source, PythonVersion target = PythonVersion::Py314, bool attributes = false) {
  const ParseResult parsed = parse(source, for_version(target));
  if (!parsed.ok()) return "error: " + parsed.errors().front().message;
  return dump(parsed, attributes);
}

bool accepted(std::string_view source, PythonVersion target) { return parse(source, for_version(target)).ok(); }

TEST(Parser, DumpsLikeCPython) {
  EXPECT_EQ(dump_of("x = 1\n", PythonVersion::Py311, true),
            "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, "
            "end_col_offset=1)], value=Constant(value=1, lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), "
            "lineno=1, col_offset=0, end_lineno=1, end_col_offset=5)], type_ignores=[])");
  EXPECT_EQ(dump_of("f(a, *b, c=1, **d)\n"),
            "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load()), "
            "Starred(value=Name(id='b', ctx=Load()), ctx=Load())], keywords=[keyword(arg='c', value=Constant(value=1)), "
            "keyword(value=Name(id='d', ctx=Load()))]))], type_ignores=[])");
}

TEST(Parser, ConstantReprs) {
  EXPECT_EQ(dump_of("1e16, 0.1, 1j, 2.5j, 0xFFFFFFFFFFFFFFFFFFFF, b'\\x00\\'', 'a\"b', u'x', ...\n"),
            "Module(body=[Expr(value=Tuple(elts=[Constant(value=1e+16), Constant(value=0.1), Constant(value=1j), "
            "Constant(value=2.5j), Constant(value=1208925819614629174706175), Constant(value=b\"\\x00'\"), "
            "Constant(value='a\"b'), Constant(value='x', kind='u'), Constant(value=Ellipsis)], ctx=Load()))], "
            "type_ignores=[])");
  EXPECT_EQ(dump_of("'\\N{BULLET}\\u00e9\\x7f'\n"), "Module(body=[Expr(value=Constant(value='\xE2\x80\xA2\xC3\xA9\\x7f'))], type_ignores=[])");
}

TEST(Parser, FStringsFollowCPython311Positions) {
  EXPECT_EQ(dump_of("f'a{x!r:>{w}}'\n", PythonVersion::Py311, true),
            "Module(body=[Expr(value=JoinedStr(values=[Constant(value='a', lineno=1, col_offset=0, end_lineno=1, "
            "end_col_offset=14), FormattedValue(value=Name(id='x', ctx=Load(), lineno=1, col_offset=4, end_lineno=1, "
            "end_col_offset=5), conversion=114, format_spec=JoinedStr(values=[Constant(value='>', lineno=1, "
            "col_offset=0, end_lineno=1, end_col_offset=14), FormattedValue(value=Name(id='w', ctx=Load(), lineno=1, "
            "col_offset=10, end_lineno=1, end_col_offset=11), conversion=-1, lineno=1, col_offset=0, end_lineno=1, "
            "end_col_offset=14)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=14), lineno=1, col_offset=0, "
            "end_lineno=1, end_col_offset=14)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=14), lineno=1, "
            "col_offset=0, end_lineno=1, end_col_offset=14)], type_ignores=[])");
}

TEST(Parser, Python312Syntax) {
  const std::string type_alias = "type Point[T: int = str] = tuple[T, T]\n";
  EXPECT_FALSE(accepted(type_alias, PythonVersion::Py311));
  EXPECT_FALSE(accepted(type_alias, PythonVersion::Py312));  // defaults are 3.13
  EXPECT_TRUE(accepted(type_alias, PythonVersion::Py313));
  EXPECT_EQ(dump_of("type A[*Ts, **P] = int\n"),
            "Module(body=[TypeAlias(name=Name(id='A', ctx=Store()), type_params=[TypeVarTuple(name='Ts'), "
            "ParamSpec(name='P')], value=Name(id='int', ctx=Load()))], type_ignores=[])");
  EXPECT_EQ(dump_of("def f[T](x: T) -> T: pass\nclass C[T](B): pass\n"),
            "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='x', "
            "annotation=Name(id='T', ctx=Load()))], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Pass()], "
            "decorator_list=[], returns=Name(id='T', ctx=Load()), type_params=[TypeVar(name='T')]), ClassDef(name='C', "
            "bases=[Name(id='B', ctx=Load())], keywords=[], body=[Pass()], decorator_list=[], "
            "type_params=[TypeVar(name='T')])], type_ignores=[])");
  const std::string nested_quotes = "f\"{'a' + f\"{x}\"}\"\n";
  EXPECT_FALSE(accepted(nested_quotes, PythonVersion::Py311));
  EXPECT_TRUE(accepted(nested_quotes, PythonVersion::Py312));
  EXPECT_TRUE(accepted("f'{x\n+ y}'\n", PythonVersion::Py312));
  EXPECT_FALSE(accepted("f'{\"\\n\".join(x)}'\n", PythonVersion::Py311));
  EXPECT_TRUE(accepted("f'{\"\\n\".join(x)}'\n", PythonVersion::Py312));
  EXPECT_TRUE(accepted("type = 1\ntype(x)\nmatch = 2\n", PythonVersion::Py314));
}

TEST(Parser, Python314Syntax) {
  EXPECT_FALSE(accepted("t'{x}'\n", PythonVersion::Py313));
  EXPECT_EQ(dump_of("t'a{x!r}'\n"),
            "Module(body=[Expr(value=TemplateStr(values=[Constant(value='a'), Interpolation(value=Name(id='x', "
            "ctx=Load()), str='x', conversion=114)]))], type_ignores=[])");
  EXPECT_FALSE(accepted("t'{x}' 'y'\n", PythonVersion::Py314));
  const std::string except_list = "try:\n    pass\nexcept A, B:\n    pass\n";
  EXPECT_FALSE(accepted(except_list, PythonVersion::Py313));
  EXPECT_TRUE(accepted(except_list, PythonVersion::Py314));
  EXPECT_FALSE(accepted("try:\n    pass\nexcept A, B as e:\n    pass\n", PythonVersion::Py314));
}

TEST(Parser, MatchStatement) {
  EXPECT_EQ(dump_of("match x:\n    case [1, *rest] | {'k': _, **kw} if rest:\n        pass\n    case P(a, b=c) as d:\n        pass\n"),
            "Module(body=[Match(subject=Name(id='x', ctx=Load()), cases=[match_case(pattern=MatchOr(patterns=["
            "MatchSequence(patterns=[MatchValue(value=Constant(value=1)), MatchStar(name='rest')]), "
            "MatchMapping(keys=[Constant(value='k')], patterns=[MatchAs()], rest='kw')]), guard=Name(id='rest', "
            "ctx=Load()), body=[Pass()]), match_case(pattern=MatchAs(pattern=MatchClass(cls=Name(id='P', ctx=Load()), "
            "patterns=[MatchAs(name='a')], kwd_attrs=['b'], kwd_patterns=[MatchAs(name='c')]), name='d'), "
            "body=[Pass()])])], type_ignores=[])");
}

TEST(Parser, SyntaxErrorsAreReportedWithPositions) {
  struct Case {
    const char* source;
    const char* message;
    unsigned line;
  };
  const Case cases[] = {
      {"if x:\n    a\n  b\n", "unindent does not match any outer indentation level", 3},
      {"x = 'abc\n", "unterminated string literal (detected at line 1)", 1},
      {"x = (1,\n", "'(' was never closed", 1},
      {"if x:\n\ty\n        z\n", "inconsistent use of tabs and spaces in indentation", 3},
      {"def f(a=1, b): pass\n", "parameter without a default follows parameter with a default", 1},
      {"f() = 1\n", "cannot assign to function call", 1},
      {"x = 1 +\n", "invalid syntax", 1},
      {"a = 0777\n", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1},
      {"print 'x'\n", "invalid syntax", 1},
      {"if x:\npass\n", "expected an indented block after 'if' statement on line 1", 2},
  };
  for (const Case& c : cases) {
    const ParseResult parsed = parse(c.source);
    ASSERT_FALSE(parsed.ok()) << c.source;
    EXPECT_EQ(parsed.errors().front().message, c.message) << c.source;
    EXPECT_EQ(parsed.errors().front().line, c.line) << c.source;
  }
}

// Expressions parse their leading primary once and then climb the precedence levels with it; the
// positions of nodes that start at a parenthesised primary must still start at the parenthesis.
TEST(Parser, OperatorsAfterALeadingPrimary) {
  EXPECT_EQ(dump_of("(a).b + c * -d ** 2 if x else y\n", PythonVersion::Py311, true),
            "Module(body=[Expr(value=IfExp(test=Name(id='x', ctx=Load(), lineno=1, col_offset=23, end_lineno=1, "
            "end_col_offset=24), body=BinOp(left=Attribute(value=Name(id='a', ctx=Load(), lineno=1, "
            "col_offset=1, end_lineno=1, end_col_offset=2), attr='b', ctx=Load(), lineno=1, col_offset=0, "
            "end_lineno=1, end_col_offset=5), op=Add(), right=BinOp(left=Name(id='c', ctx=Load(), lineno=1, "
            "col_offset=8, end_lineno=1, end_col_offset=9), op=Mult(), right=UnaryOp(op=USub(), "
            "operand=BinOp(left=Name(id='d', ctx=Load(), lineno=1, col_offset=13, end_lineno=1, "
            "end_col_offset=14), op=Pow(), right=Constant(value=2, lineno=1, col_offset=18, end_lineno=1, "
            "end_col_offset=19), lineno=1, col_offset=13, end_lineno=1, end_col_offset=19), lineno=1, "
            "col_offset=12, end_lineno=1, end_col_offset=19), lineno=1, col_offset=8, end_lineno=1, "
            "end_col_offset=19), lineno=1, col_offset=0, end_lineno=1, end_col_offset=19), orelse=Name(id='y', "
            "ctx=Load(), lineno=1, col_offset=30, end_lineno=1, end_col_offset=31), lineno=1, col_offset=0, "
            "end_lineno=1, end_col_offset=31), lineno=1, col_offset=0, end_lineno=1, end_col_offset=31)], "
            "type_ignores=[])");
  EXPECT_EQ(dump_of("f(x)[1].y(z=2) not in w and not v or await_ is None\n"),
            "Module(body=[Expr(value=BoolOp(op=Or(), values=[BoolOp(op=And(), values=[Compare(left=Call("
            "func=Attribute(value=Subscript(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='x', "
            "ctx=Load())], keywords=[]), slice=Constant(value=1), ctx=Load()), attr='y', ctx=Load()), args=[], "
            "keywords=[keyword(arg='z', value=Constant(value=2))]), ops=[NotIn()], comparators=[Name(id='w', "
            "ctx=Load())]), UnaryOp(op=Not(), operand=Name(id='v', ctx=Load()))]), Compare(left=Name(id='await_', "
            "ctx=Load()), ops=[Is()], comparators=[Constant(value=None)])]))], type_ignores=[])");
}

// Identifiers and string bodies are scanned 16 bytes at a time: names and strings longer than a
// block, a non-ASCII letter past the first block, escapes next to a block's end, and a string
// whose last byte is a backslash at the end of the file.
TEST(Parser, LongNamesAndStringsLexAcrossBlocks) {
  EXPECT_EQ(dump_of("abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJ = xyzabcdefghijklmnop\xC3\xA9 + "
                    "'abcdefghijklmnop\\'q\\\\' + \"\"\"0123456789abcdef\\n\\\"\"\"\"\n"),
            "Module(body=[Assign(targets=[Name(id='abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJ', ctx=Store())], "
            "value=BinOp(left=BinOp(left=Name(id='xyzabcdefghijklmnop\xC3\xA9', ctx=Load()), op=Add(), "
            "right=Constant(value=\"abcdefghijklmnop'q\\\\\")), op=Add(), "
            "right=Constant(value='0123456789abcdef\\n\"')))], type_ignores=[])");
  EXPECT_EQ(dump_of("'abcdefghijklmnopqrstu\\"), "error: unterminated string literal (detected at line 1)");
  EXPECT_EQ(dump_of("x = 'abcdefghijklmnopqrstuvwxyz\n'\n"), "error: unterminated string literal (detected at line 1)");
  EXPECT_EQ(dump_of("\"\"\"abcdefghijklmnopqrstuvwxyz\\\"\"\""),
            "error: unterminated triple-quoted string literal (detected at line 1)");
}

TEST(Parser, DecodingErrorsAreSyntaxErrors) {
  EXPECT_FALSE(parse(std::string_view("x = 1\0\n", 7)).ok());
  EXPECT_FALSE(parse("x = '\xC3'\n").ok());
  EXPECT_TRUE(parse("# coding: latin-1\nx = '\xE9'\n").ok());
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  for (const char* open : {"(", "[", "{", "-", "not ", "lambda: ", "f(", "x if y else "}) {
    std::string source;
    for (int i = 0; i < 100000; ++i) source += open;
    source += "x\n";
    const ParseResult parsed = parse(source);
    EXPECT_FALSE(parsed.ok()) << open;
  }
  std::string chain = "x";
  for (int i = 0; i < 100000; ++i) chain += ".a";
  EXPECT_FALSE(parse(chain + "\n").ok());
  std::string indented;
  for (int i = 0; i < 1000; ++i) indented += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
  EXPECT_FALSE(parse(indented).ok());
}

TEST(Parser, KeepsCommentsAndTokens) {
  const ParseResult parsed = parse("import os  # nosec B404\n\n# plain\nos.system(x)  # nosec\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed.comments_on_line(1).size(), 1u);
  EXPECT_EQ(parsed.comments_on_line(1)[0], "# nosec B404");
  EXPECT_TRUE(parsed.comments_on_line(2).empty());
  EXPECT_EQ(parsed.comments_on_line(4)[0], "# nosec");
  EXPECT_EQ(parsed.tokens().back().kind, TokenKind::EndOfFile);
}

// comment_indexes() lists exactly the comment tokens: after code, alone on a line, inside brackets,
// indented before a dedent, at the end without a newline, and in a file with a lexical error.
TEST(Parser, IndexesEveryCommentToken) {
  for (const char* source : {"x = [1,  # one\n     2]  # two\n# three\nif x:\n    y  # four\n  # five\nz # six",
                             "f(  # open\n  'a',\n)\n", "no_comments = 1\n", "# only\n", "s = 'unterminated  # no comment\n# after\n"}) {
    const ParseResult parsed = parse(source);
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 0; i < parsed.tokens().size(); ++i)
      if (parsed.tokens()[i].kind == TokenKind::Comment) expected.push_back(i);
    EXPECT_EQ(std::vector<std::uint32_t>(parsed.comment_indexes().begin(), parsed.comment_indexes().end()), expected) << source;
  }
  const ParseResult parsed = parse("x = [1,  # one\n     2]  # two\n");
  EXPECT_EQ(parsed.comment_indexes().size(), 2u);
  EXPECT_EQ(parsed.comments_on_line(2)[0], "# two");
}

TEST(Parser, GivesConsumersCallsKeywordsAndPositions) {
  const ParseResult parsed = parse("import subprocess\nsubprocess.run(cmd, shell=True)\n");
  ASSERT_TRUE(parsed.ok());
  const Call* found = nullptr;
  walk(parsed.module(), [&](const Node& node) {
    if (const auto* call = dyn_cast<Call>(&node)) found = call;
    return true;
  });
  ASSERT_NE(found, nullptr);
  const auto* attribute = dyn_cast<Attribute>(found->func);
  ASSERT_NE(attribute, nullptr);
  EXPECT_EQ(attribute->attr, "run");
  ASSERT_EQ(found->keywords.size(), 1u);
  EXPECT_EQ(found->keywords[0]->arg, "shell");
  const auto* value = dyn_cast<Constant>(found->keywords[0]->value);
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->value.kind, ConstantValue::Kind::True);
  const SourcePosition where = parsed.position(*found);
  EXPECT_EQ(where.lineno, 2u);
  EXPECT_EQ(where.col_offset, 0u);
  EXPECT_EQ(where.end_col_offset, 31u);
  EXPECT_EQ(parsed.text(*found), "subprocess.run(cmd, shell=True)");
}

TEST(Parser, PatternSyntax) {
  const ParseResult call = parse_pattern("subprocess.call($CMD, ..., shell=True)");
  ASSERT_TRUE(call.ok()) << call.errors().front().message;
  ASSERT_NE(call.expression(), nullptr);
  EXPECT_EQ(dump(call, false),
            "Call(func=Attribute(value=Name(id='subprocess', ctx=Load()), attr='call', ctx=Load()), "
            "args=[Name(id='$CMD', ctx=Load()), Constant(value=Ellipsis)], keywords=[keyword(arg='shell', "
            "value=Constant(value=True))])");
  const ParseResult deep = parse_pattern("<... eval($X) ...>");
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep.expression()->kind, NodeKind::DeepEllipsis);
  const ParseResult statements = parse_pattern("def $F(...):\n    ...\n    return $...ARGS\n");
  ASSERT_TRUE(statements.ok()) << statements.errors().front().message;
  EXPECT_EQ(statements.expression(), nullptr);
  EXPECT_FALSE(parse("$X = 1\n").ok());
}

// Arena blocks of destroyed results are reused by later parses; live results must not share them,
// and values that point into the source (plain strings, small ints) must survive a move.
TEST(Parser, ResultsStayValidWhileOtherParsesReuseMemory) {
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "value_" + std::to_string(i) + " = call(" + std::to_string(i) + ", 'text', b'x\\n')\n";
  ParseResult kept = parse(big, for_version(PythonVersion::Py311));
  ASSERT_TRUE(kept.ok());
  const std::string expected = dump(kept, true);
  for (int round = 0; round < 3; ++round) {
    const ParseResult other = parse(big + "other = [" + std::to_string(round) + "]\n", for_version(PythonVersion::Py311));
    ASSERT_TRUE(other.ok());
  }
  Arena::release_thread_cache();
  const ParseResult after_release = parse(big, for_version(PythonVersion::Py311));
  ParseResult moved = std::move(kept);
  EXPECT_EQ(dump(moved, true), expected);
  EXPECT_EQ(dump(after_release, true), expected);
  const auto* assign = dyn_cast<Assign>(moved.module().body[1999]);
  ASSERT_NE(assign, nullptr);
  const auto* call = dyn_cast<Call>(assign->value);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(dyn_cast<Constant>(call->args[0])->value.text, "1999");
  EXPECT_EQ(dyn_cast<Constant>(call->args[1])->value.text, "text");
  EXPECT_EQ(dyn_cast<Constant>(call->args[2])->value.text, "x\n");
}

}  // namespace
}  // namespace moat::python
