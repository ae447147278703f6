// ast.dump() in CPython 3.11's format: one line, fields in order, None-valued optional fields
// left out, positions last when include_attributes is set.
#include <string>

#include "moat/python/literals.hpp"
#include "moat/python/parser.hpp"

namespace moat::python {
namespace {

class Dumper {
 public:
  Dumper(const ParseResult& parsed, bool attributes, std::string& out)
      : parsed_(parsed), attributes_(attributes), out_(out) {}

  void node(const Node* value) {
    if (value == nullptr) {
      out_ += "None";
      return;
    }
    dump_node(*value);
  }

 private:
  void dump_node(const Node& node) {
    switch (node.kind) {
#define MOAT_AST_DUMP
#include "moat/python/ast_nodes.inc"
    }
  }

  void begin(std::string_view name) {
    out_ += name;
    out_ += '(';
    first_ = true;
  }
  void field(std::string_view name) {
    if (!first_) out_ += ", ";
    first_ = false;
    out_ += name;
    out_ += '=';
  }
  template <typename T>
  void node_list(std::string_view name, NodeList<T> list, bool hide_empty) {
    if (hide_empty && list.empty()) return;
    field(name);
    out_ += '[';
    bool first = true;
    for (const T* item : list) {
      if (!first) out_ += ", ";
      first = false;
      node(item);
    }
    out_ += ']';
    first_ = false;
  }
  void identifier_list(std::string_view name, std::span<const Identifier> list, bool hide_empty) {
    if (hide_empty && list.empty()) return;
    field(name);
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_ += ", ";
      out_ += repr_str(list[i]);
    }
    out_ += ']';
  }
  void cmpop_list(std::string_view name, std::span<const CmpOp> list, bool /*hide_empty*/) {
    field(name);
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_ += ", ";
      out_ += name_of(list[i]);
      out_ += "()";
    }
    out_ += ']';
  }
  void identifier(std::string_view name, Identifier value, bool optional) {
    if (optional && value.data() == nullptr) return;
    field(name);
    out_ += repr_str(value);
  }
  void string_field(std::string_view name, std::string_view value, bool optional) {
    if (optional && value.data() == nullptr) return;
    field(name);
    out_ += repr_str(value);
  }
  void int_field(std::string_view name, int value) {
    field(name);
    out_ += std::to_string(value);
  }
  void constant(std::string_view name, const ConstantValue& value) {
    field(name);
    out_ += repr_constant(value);
  }
  void enum_field(std::string_view name, std::string_view value) {
    field(name);
    out_ += value;
    out_ += "()";
  }
  void node_field(std::string_view name, const Node* value, bool optional, bool hide_empty) {
    if ((optional || hide_empty) && value == nullptr) return;
    field(name);
    const bool saved = first_;
    node(value);
    first_ = saved;
  }
  void end(const Node& node, bool has_position) {
    if (attributes_ && has_position) {
      const SourcePosition p = parsed_.position(node);
      if (!first_) out_ += ", ";
      out_ += "lineno=" + std::to_string(p.lineno) + ", col_offset=" + std::to_string(p.col_offset) +
              ", end_lineno=" + std::to_string(p.end_lineno) + ", end_col_offset=" + std::to_string(p.end_col_offset);
    }
    out_ += ')';
    first_ = false;
  }

  const ParseResult& parsed_;
  bool attributes_;
  std::string& out_;
  bool first_ = true;
};

}  // namespace

std::string dump(const ParseResult& parsed, bool include_attributes) {
  std::string out;
  out.reserve(parsed.source().size() * 8);
  Dumper dumper(parsed, include_attributes, out);
  if (parsed.expression() != nullptr) {
    dumper.node(parsed.expression());
  } else {
    dumper.node(&parsed.module());
  }
  return out;
}

}  // namespace moat::python
