#!/usr/bin/env python3
"""Generates src/moat/python/ast_nodes.inc from the node table below (CPython's Python.asdl, 3.14).

Field order and names follow CPython's ast module. Fields added after 3.11 are listed in NEW_FIELDS:
the CPython-3.11 dump leaves them out while they are empty. Run: python3 scripts/gen_ast.py
"""
import pathlib
import re

ASDL = """
mod Module(stmt* body, type_ignore* type_ignores)
mod Interactive(stmt* body)
mod Expression(expr body)
mod FunctionType(expr* argtypes, expr returns)
stmt FunctionDef(identifier name, arguments args, stmt* body, expr* decorator_list, expr? returns, string? type_comment, type_param* type_params)
stmt AsyncFunctionDef(identifier name, arguments args, stmt* body, expr* decorator_list, expr? returns, string? type_comment, type_param* type_params)
stmt ClassDef(identifier name, expr* bases, keyword* keywords, stmt* body, expr* decorator_list, type_param* type_params)
stmt Return(expr? value)
stmt Delete(expr* targets)
stmt Assign(expr* targets, expr value, string? type_comment)
stmt TypeAlias(expr name, type_param* type_params, expr value)
stmt AugAssign(expr target, operator op, expr value)
stmt AnnAssign(expr target, expr annotation, expr? value, int simple)
stmt For(expr target, expr iter, stmt* body, stmt* orelse, string? type_comment)
stmt AsyncFor(expr target, expr iter, stmt* body, stmt* orelse, string? type_comment)
stmt While(expr test, stmt* body, stmt* orelse)
stmt If(expr test, stmt* body, stmt* orelse)
stmt With(withitem* items, stmt* body, string? type_comment)
stmt AsyncWith(withitem* items, stmt* body, string? type_comment)
stmt Match(expr subject, match_case* cases)
stmt Raise(expr? exc, expr? cause)
stmt Try(stmt* body, excepthandler* handlers, stmt* orelse, stmt* finalbody)
stmt TryStar(stmt* body, excepthandler* handlers, stmt* orelse, stmt* finalbody)
stmt Assert(expr test, expr? msg)
stmt Import(alias* names)
stmt ImportFrom(identifier? module, alias* names, int? level)
stmt Global(identifier* names)
stmt Nonlocal(identifier* names)
stmt Expr(expr value)
stmt Pass()
stmt Break()
stmt Continue()
expr BoolOp(boolop op, expr* values)
expr NamedExpr(expr target, expr value)
expr BinOp(expr left, operator op, expr right)
expr UnaryOp(unaryop op, expr operand)
expr Lambda(arguments args, expr body)
expr IfExp(expr test, expr body, expr orelse)
expr Dict(expr* keys, expr* values)
expr Set(expr* elts)
expr ListComp(expr elt, comprehension* generators)
expr SetComp(expr elt, comprehension* generators)
expr DictComp(expr key, expr value, comprehension* generators)
expr GeneratorExp(expr elt, comprehension* generators)
expr Await(expr value)
expr Yield(expr? value)
expr YieldFrom(expr value)
expr Compare(expr left, cmpop* ops, expr* comparators)
expr Call(expr func, expr* args, keyword* keywords)
expr FormattedValue(expr value, int conversion, expr? format_spec)
expr Interpolation(expr value, constant str, int conversion, expr? format_spec)
expr JoinedStr(expr* values)
expr TemplateStr(expr* values)
expr Constant(constant value, string? kind)
expr Attribute(expr value, identifier attr, expr_context ctx)
expr Subscript(expr value, expr slice, expr_context ctx)
expr Starred(expr value, expr_context ctx)
expr Name(identifier id, expr_context ctx)
expr List(expr* elts, expr_context ctx)
expr Tuple(expr* elts, expr_context ctx)
expr Slice(expr? lower, expr? upper, expr? step)
expr DeepEllipsis(expr value)
excepthandler ExceptHandler(expr? type, identifier? name, stmt* body)
node arguments(arg* posonlyargs, arg* args, arg? vararg, arg* kwonlyargs, expr* kw_defaults, arg? kwarg, expr* defaults)
node arg(identifier arg, expr? annotation, string? type_comment)
node keyword(identifier? arg, expr value)
node alias(identifier name, identifier? asname)
node withitem(expr context_expr, expr? optional_vars)
node comprehension(expr target, expr iter, expr* ifs, int is_async)
node match_case(pattern pattern, expr? guard, stmt* body)
pattern MatchValue(expr value)
pattern MatchSingleton(constant value)
pattern MatchSequence(pattern* patterns)
pattern MatchMapping(expr* keys, pattern* patterns, identifier? rest)
pattern MatchClass(expr cls, pattern* patterns, identifier* kwd_attrs, pattern* kwd_patterns)
pattern MatchStar(identifier? name)
pattern MatchAs(pattern? pattern, identifier? name)
pattern MatchOr(pattern* patterns)
type_ignore TypeIgnore(int lineno, string tag)
type_param TypeVar(identifier name, expr? bound, expr? default_value)
type_param ParamSpec(identifier name, expr? default_value)
type_param TypeVarTuple(identifier name, expr? default_value)
"""
# Fields CPython 3.11 does not have: hidden by the 3.11 dump while empty.
NEW_FIELDS = {"type_params", "default_value"}
# Nodes with positions (CPython's _attributes).
WITH_POSITION = {"stmt", "expr", "excepthandler", "pattern", "type_param"}
WITH_POSITION_NODES = {"arg", "keyword", "alias"}
CPP_NAMES = {"Expr": "ExprStmt", "arguments": "Arguments", "arg": "Arg", "keyword": "Keyword", "alias": "Alias",
             "withitem": "WithItem", "comprehension": "Comprehension", "match_case": "MatchCase"}
GROUP_BASE = {"mod": "Mod", "stmt": "Stmt", "expr": "Expr", "excepthandler": "Node", "node": "Node",
              "pattern": "Pattern", "type_ignore": "Node", "type_param": "TypeParam"}
CPP_FIELD = {"kind": "string_kind"}  # Node::kind is the node kind


def cpp_class(name):
    return CPP_NAMES.get(name, name)


def list_type(t):
    if t in ("expr", "stmt", "pattern", "type_param"):
        return "NodeList<%s>" % GROUP_BASE[t]
    if t == "excepthandler":
        return "NodeList<ExceptHandler>"
    if t == "type_ignore":
        return "NodeList<TypeIgnore>"
    if t == "identifier":
        return "std::span<const Identifier>"
    if t == "cmpop":
        return "std::span<const CmpOp>"
    return "NodeList<%s>" % cpp_class(t)


def scalar_type(t):
    return {"expr": "Expr*", "stmt": "Stmt*", "pattern": "Pattern*", "identifier": "Identifier",
            "string": "std::string_view", "int": "int", "constant": "ConstantValue",
            "expr_context": "ExprContext", "boolop": "BoolOperator", "operator": "Operator",
            "unaryop": "UnaryOperator"}.get(t, cpp_class(t) + "*")


def main():
    nodes = []
    for line in ASDL.strip().splitlines():
        m = re.match(r"(\w+) (\w+)\((.*)\)$", line)
        group, name, args = m.groups()
        fields = []
        for part in filter(None, (a.strip() for a in args.split(","))):
            typ, fname = part.split()
            card = ""
            if typ[-1] in "*?":
                typ, card = typ[:-1], typ[-1]
            fields.append((typ, card, fname))
        nodes.append((group, name, fields))

    out = ["// Generated by scripts/gen_ast.py from CPython's Python.asdl (3.14); do not edit.",
           "// clang-format off", "#ifdef MOAT_AST_KINDS"]
    for group, name, _ in nodes:
        out.append("MOAT_AST_KIND(%s, \"%s\", %s)" % (cpp_class(name), name, GROUP_BASE[group]))
    out.append("#undef MOAT_AST_KINDS\n#endif")

    out.append("#ifdef MOAT_AST_STRUCTS")
    for group, name, fields in nodes:
        out.append("struct %s;" % cpp_class(name))
    for group, name, fields in nodes:
        cls = cpp_class(name)
        out.append("struct %s final : %s {" % (cls, GROUP_BASE[group]))
        out.append("  static constexpr NodeKind kKind = NodeKind::%s;" % cls)
        for typ, card, fname in fields:
            ctype = list_type(typ) if card == "*" else scalar_type(typ)
            init = ""
            if ctype.endswith("*"):
                init = " = nullptr"
            elif ctype == "int":
                init = " = 0"
            elif typ == "expr_context":
                init = " = ExprContext::Load"
            out.append("  %s %s%s;%s" % (ctype, CPP_FIELD.get(fname, fname), init,
                                          "  // may be null" if card == "?" and ctype.endswith("*") else ""))
        out.append("};")
    out.append("#undef MOAT_AST_STRUCTS\n#endif")

    # Children in field order: used by the generic walker.
    out.append("#ifdef MOAT_AST_CHILDREN")
    for group, name, fields in nodes:
        cls = cpp_class(name)
        node_fields = [(t, c, f) for t, c, f in fields
                       if t not in ("identifier", "string", "int", "constant", "expr_context", "boolop",
                                    "operator", "unaryop", "cmpop")]
        out.append("case NodeKind::%s: {" % cls)
        if node_fields:
            out.append("  const auto& n = static_cast<const %s&>(node);" % cls)
        for typ, card, fname in node_fields:
            f = CPP_FIELD.get(fname, fname)
            if card == "*":
                out.append("  for (auto* child : n.%s) if (child != nullptr) visit(*child);" % f)
            else:
                out.append("  if (n.%s != nullptr) visit(*n.%s);" % (f, f))
        out.append("  return;\n}")
    out.append("#undef MOAT_AST_CHILDREN\n#endif")

    # Dump in CPython's ast.dump format.
    out.append("#ifdef MOAT_AST_DUMP")
    for group, name, fields in nodes:
        cls = cpp_class(name)
        out.append("case NodeKind::%s: {" % cls)
        if fields:
            out.append("  const auto& n = static_cast<const %s&>(node);" % cls)
        out.append("  begin(\"%s\");" % name)
        for typ, card, fname in fields:
            f = CPP_FIELD.get(fname, fname)
            hide_empty = "true" if fname in NEW_FIELDS else "false"
            if card == "*":
                fn = {"identifier": "identifier_list", "cmpop": "cmpop_list"}.get(typ, "node_list")
                out.append("  %s(\"%s\", n.%s, %s);" % (fn, fname, f, hide_empty))
            elif typ == "identifier":
                out.append("  identifier(\"%s\", n.%s, %s);" % (fname, f, "true" if card == "?" else "false"))
            elif typ == "string":
                out.append("  string_field(\"%s\", n.%s, %s);" % (fname, f, "true" if card == "?" else "false"))
            elif typ in ("int",):
                out.append("  int_field(\"%s\", n.%s);" % (fname, f))
            elif typ == "constant":
                out.append("  constant(\"%s\", n.%s);" % (fname, f))
            elif typ in ("expr_context", "boolop", "operator", "unaryop"):
                out.append("  enum_field(\"%s\", name_of(n.%s));" % (fname, f))
            else:
                out.append("  node_field(\"%s\", n.%s, %s, %s);" % (fname, f, "true" if card == "?" else "false",
                                                                 hide_empty))
        has_pos = group in WITH_POSITION or name in WITH_POSITION_NODES
        out.append("  end(node, %s);" % ("true" if has_pos else "false"))
        out.append("  return;\n}")
    out.append("#undef MOAT_AST_DUMP\n#endif")
    path = pathlib.Path(__file__).resolve().parent.parent / "src/moat/python/ast_nodes.inc"
    path.write_text("\n".join(out) + "\n")


main()
