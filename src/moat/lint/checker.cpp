#include "moat/lint/checker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "moat/python/visitor.hpp"

namespace moat::lint {

namespace {

bool has_position(py::NodeKind kind) {
  switch (kind) {
    case py::NodeKind::ExceptHandler:
    case py::NodeKind::Arg:
    case py::NodeKind::Keyword:
    case py::NodeKind::Alias:
    case py::NodeKind::TypeVar:
    case py::NodeKind::ParamSpec:
    case py::NodeKind::TypeVarTuple: return true;
    default: return py::is_stmt(kind) || py::is_expr(kind) || py::is_pattern(kind);
  }
}

/// Bandit's linerange(node): lineno..end_lineno, or for nodes without positions (arguments,
/// comprehension, withitem, match_case) the span of the start lines of their children, bodies
/// excluded; [0, 1] when there is none.
LineRange bandit_line_range(const py::ParseResult& parsed, const py::Node& node) {
  if (has_position(node.kind)) {
    const auto position = parsed.position(node);
    return {static_cast<int>(position.lineno), static_cast<int>(position.end_lineno)};
  }
  int first = 0;
  int last = -1;
  const auto extend = [&](const py::Node& child) {
    py::walk(child, [&](const py::Node& descendant) {
      if (has_position(descendant.kind)) {
        const int line = static_cast<int>(parsed.position(descendant).lineno);
        first = last < 0 ? line : std::min(first, line);
        last = std::max(last, line);
      }
      return true;
    });
  };
  if (const auto* match_case = py::dyn_cast<py::MatchCase>(&node)) {
    extend(*match_case->pattern);
    if (match_case->guard != nullptr) extend(*match_case->guard);
  } else {
    py::for_each_child(node, [&](const py::Node& child) { extend(child); });
  }
  if (last < 0) return {0, 1};
  return {first, last};
}

}  // namespace

ArgValue arg_value(const py::Expr& expr) {
  ArgValue value;
  value.node = &expr;
  if (const auto* attribute = py::dyn_cast<py::Attribute>(&expr)) {
    value.kind = ArgValue::Kind::text;
    value.text = attribute->attr;
    return value;
  }
  if (const auto* name = py::dyn_cast<py::Name>(&expr)) {
    value.kind = ArgValue::Kind::text;
    value.text = name->id;
    return value;
  }
  switch (expr.kind) {
    case py::NodeKind::List: value.kind = ArgValue::Kind::list; return value;
    case py::NodeKind::Tuple: value.kind = ArgValue::Kind::tuple; return value;
    case py::NodeKind::Set: value.kind = ArgValue::Kind::set; return value;
    case py::NodeKind::Dict: value.kind = ArgValue::Kind::dict; return value;
    default: break;
  }
  const auto* constant = py::dyn_cast<py::Constant>(&expr);
  if (constant == nullptr) return value;
  using K = py::ConstantValue::Kind;
  switch (constant->value.kind) {
    case K::Str: value.kind = ArgValue::Kind::text; value.text = constant->value.text; break;
    case K::True: value.kind = ArgValue::Kind::text; value.text = "True"; break;
    case K::False: value.kind = ArgValue::Kind::text; value.text = "False"; break;
    case K::None: value.kind = ArgValue::Kind::text; value.text = "None"; break;
    case K::Int:
      value.kind = ArgValue::Kind::integer;
      value.text = constant->value.text;
      value.number = constant->value.number;
      break;
    case K::Float: value.kind = ArgValue::Kind::number; value.number = constant->value.number; break;
    case K::Bytes: value.kind = ArgValue::Kind::bytes; value.text = constant->value.text; break;
    case K::Complex:
    case K::Ellipsis: value.kind = ArgValue::Kind::number; value.number = 1; break;
  }
  return value;
}

std::string python_str(const ArgValue& value) {
  switch (value.kind) {
    case ArgValue::Kind::text:
    case ArgValue::Kind::integer: return std::string(value.text);
    case ArgValue::Kind::number: {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.17g", value.number);
      std::string text(buffer);
      if (text.find_first_of(".en") == std::string::npos) text += ".0";
      return text;
    }
    case ArgValue::Kind::bytes: {
      std::string text = "b'";
      for (const char c : value.text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\'' || c == '\\') {
          text += '\\';
          text += c;
        } else if (byte >= 0x20 && byte < 0x7f) {
          text += c;
        } else if (c == '\n') {
          text += "\\n";
        } else if (c == '\t') {
          text += "\\t";
        } else if (c == '\r') {
          text += "\\r";
        } else {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
          text += buffer;
        }
      }
      return text + "'";
    }
    default: return "None";
  }
}

Checker::Checker(const py::ParseResult& parsed, std::string_view filename, const LintOptions& options,
                 const semantic::SemanticModel* model)
    : parsed_(parsed), filename_(filename), options_(options), model_(model) {}

const py::Node* Checker::parent(std::size_t up) const {
  if (up > ancestors_.size()) return nullptr;
  return ancestors_[ancestors_.size() - up];
}

void Checker::set_bandit_qualname(const py::Expr& func) {
  bandit_qualname_into(func, qualname_);
  qualname_changed();
}

void Checker::set_qualname(std::string qualname) {
  qualname_ = std::move(qualname);
  qualname_changed();
}

void Checker::qualname_changed() {
  current_process_lists_.reset();
  const std::string_view qual = qualname_;
  const auto dot = qual.rfind('.');
  call_name_ = dot == std::string_view::npos ? qual : qual.substr(dot + 1);
}

Checker::CachedAnswer& Checker::cached_answer(const char* question, bool exact) const {
  // Linear probing; the checks ask a few dozen distinct literals, far fewer than the slots.
  const std::size_t home = (reinterpret_cast<std::uintptr_t>(question) * 0x9E3779B97F4A7C15ULL) >> 57;
  for (std::size_t probe = 0; probe < import_answers_.size(); ++probe) {
    CachedAnswer& entry = import_answers_[(home + probe) % import_answers_.size()];
    if (entry.generation != answers_generation_ || (entry.question == question && entry.exact == exact)) return entry;
  }
  import_answers_[home].generation = 0;  // full: give up the home slot, recomputed by the caller
  return import_answers_[home];
}

bool Checker::imported_exact(ImportQuestion module) const {
  const std::string_view text = module.text();
  CachedAnswer& cached = cached_answer(text.data(), true);
  if (cached.generation != answers_generation_) {
    const bool answer = import_set_.contains(text) || (!compat() && model_ != nullptr && model_->imports_module(text));
    cached = {text.data(), answers_generation_, true, answer};
  }
  return cached.answer;
}

bool Checker::imported_like(ImportQuestion fragment) const {
  const std::string_view text = fragment.text();
  CachedAnswer& cached = cached_answer(text.data(), false);
  if (cached.generation != answers_generation_) {
    const bool answer =
        std::ranges::any_of(imports_, [&](const std::string& imported) { return imported.find(text) != std::string::npos; }) ||
        (!compat() && model_ != nullptr && model_->imports_like(text));
    cached = {text.data(), answers_generation_, false, answer};
  }
  return cached.answer;
}

std::string Checker::bandit_qualname(const py::Expr& expr) const {
  std::string qualified;
  bandit_qualname_into(expr, qualified);
  return qualified;
}

void Checker::bandit_qualname_into(const py::Expr& expr, std::string& out) const {
  // Iterative: attribute chains can be arbitrarily long.
  std::vector<std::string_view>& attributes = attribute_chain_;
  attributes.clear();
  const py::Expr* head = &expr;
  while (const auto* attribute = py::dyn_cast<py::Attribute>(head)) {
    attributes.push_back(attribute->attr);
    head = attribute->value;
  }
  out.clear();
  if (const auto* name = py::dyn_cast<py::Name>(head)) {
    const auto alias = alias_shapes_.may_contain(name->id) ? aliases_.find(name->id) : aliases_.end();
    out.assign(alias != aliases_.end() ? std::string_view(alias->second) : std::string_view(name->id));
  } else if (attributes.empty()) {
    return;
  }
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    out += '.';
    out += *it;
    // Imports bind plain names, so a dotted prefix only matches when some alias key has a dot.
    if (!dotted_alias_keys_) continue;
    if (!alias_shapes_.may_contain(out)) continue;
    if (const auto alias = aliases_.find(out); alias != aliases_.end()) out.assign(alias->second);
  }
}

const py::Keyword* Checker::keyword(std::string_view name) const {
  const py::Keyword* found = nullptr;
  for (const py::Keyword* candidate : call().keywords)
    if (candidate->arg == name && !candidate->arg.empty()) found = candidate;
  return found;
}

ArgValue Checker::keyword_value(std::string_view name) const {
  const py::Keyword* found = keyword(name);
  return found != nullptr ? arg_value(*found->value) : ArgValue{};
}

Checker::ProcessLists Checker::process_lists() const {
  if (current_process_lists_) return *current_process_lists_;
  if (!process_lists_built_) {
    const PluginOptions& plugins = options_.plugins;
    for (const auto& [list, bit] : {std::pair{&plugins.subprocess, 1}, {&plugins.shell, 2}, {&plugins.no_shell, 4}}) {
      for (const std::string& name : *list) {
        process_lists_[name] |= static_cast<std::uint8_t>(bit);
        process_list_shapes_.add(name);
      }
    }
    process_lists_built_ = true;
  }
  std::uint8_t bits = 0;
  if (process_list_shapes_.may_contain(qualname_)) {
    const auto found = process_lists_.find(qualname_);
    if (found != process_lists_.end()) bits = found->second;
  }
  current_process_lists_ = ProcessLists{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0};
  return *current_process_lists_;
}

int Checker::keyword_line(std::string_view name) const {
  // Bandit returns the first keyword with that name.
  for (const py::Keyword* candidate : call().keywords)
    if (candidate->arg == name) return line_of(*candidate->value);
  return 0;
}

ArgValue Checker::positional(std::size_t position) const {
  const auto& args = call().args;
  return position < args.size() ? arg_value(*args[position]) : ArgValue{};
}

void Checker::report(Check check, Severity severity, Confidence confidence, std::string text, int line) {
  const py::SourcePosition position = parsed_.position(*node_);
  Issue issue;
  issue.check = check;
  issue.severity = severity;
  issue.confidence = confidence;
  issue.text = std::move(text);
  issue.line = line != 0 ? line : static_cast<int>(position.lineno);
  issue.column = static_cast<int>(position.col_offset);
  issue.end_column = static_cast<int>(position.end_col_offset);
  issue.end_line = static_cast<int>(position.end_lineno);
  // Computed here rather than per visited node: most nodes report nothing.
  const LineRange range = context_node_ != nullptr ? bandit_line_range(parsed_, *context_node_) : LineRange{0, 1};
  issue.line_range = range;
  issue.nosec_range = range;
  issue.plugin_line = line;
  issues_.push_back(std::move(issue));
}

void Checker::report(Check check, std::string text, int line) {
  const CheckInfo& checked = info(check);
  report(check, checked.severity, checked.confidence, std::move(text), line);
}

void Checker::enter(const py::Node& node, std::span<const py::Node* const> ancestors) {
  node_ = &node;
  ancestors_ = ancestors;
}

void Checker::note_alias(std::string_view local_name, std::string qualified) {
  dotted_alias_keys_ = dotted_alias_keys_ || local_name.find('.') != std::string_view::npos;
  alias_shapes_.add(local_name);
  aliases_[std::string(local_name)] = std::move(qualified);
}

void Checker::note_import(const py::Node& node) {
  ++answers_generation_;
  // Bandit's visit_Import / visit_ImportFrom: one flat alias map and import set per file.
  if (const auto* from = py::dyn_cast<py::ImportFrom>(&node); from != nullptr && !from->module.empty()) {
    const std::string module(from->module);
    for (const py::Alias* alias : from->names) {
      const std::string qualified = module + "." + std::string(alias->name);
      note_alias(alias->asname.empty() ? alias->name : alias->asname, qualified);
      if (import_set_.insert(qualified).second) imports_.push_back(qualified);
    }
    return;
  }
  const auto names = node.kind == py::NodeKind::Import ? static_cast<const py::Import&>(node).names
                                                       : static_cast<const py::ImportFrom&>(node).names;
  for (const py::Alias* alias : names) {
    if (!alias->asname.empty()) note_alias(alias->asname, std::string(alias->name));
    if (import_set_.insert(std::string(alias->name)).second) imports_.emplace_back(alias->name);
  }
}

}  // namespace moat::lint
