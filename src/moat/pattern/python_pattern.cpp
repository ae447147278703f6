#include "moat/pattern/python_pattern.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <numeric>
#include <unordered_set>

#include "moat/python/visitor.hpp"

namespace moat::pattern {

using namespace moat::python;

namespace {

// A non-owning callable reference for continuations: matching is written in continuation-passing
// style so that every alternative (which argument `...` absorbs, which keyword matches) is tried.
// A continuation returns true to stop the search.
class Continuation {
 public:
  template <typename F>
  Continuation(const F& function)  // NOLINT: implicit by design, like std::function_ref
      : object_(&function), call_([](const void* object) { return (*static_cast<const F*>(object))(); }) {}
  bool operator()() const { return call_(object_); }

 private:
  const void* object_;
  bool (*call_)(const void*);
};

constexpr std::size_t kMaxMatchesPerPattern = 20'000;
// Stands for `. ...` (any chain of accesses) after pattern preprocessing; not a Python identifier
// anyone writes.
constexpr std::string_view kChainMarker = "__moat_chain__";
constexpr int kMaxDepth = 400;

bool is_metavariable(std::string_view name) {
  if (name.size() < 2 || name[0] != '$') return false;
  std::size_t i = name.substr(1).starts_with("...") ? 4 : 1;
  if (i >= name.size()) return false;
  for (; i < name.size(); ++i) {
    const char c = name[i];
    if (!(std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  }
  return true;
}

bool is_ellipsis_metavariable(std::string_view name) { return name.starts_with("$...") && is_metavariable(name); }

const Name* metavariable(const Node* node) {
  const auto* name = dyn_cast<Name>(node);
  return name != nullptr && is_metavariable(name->id) ? name : nullptr;
}

// The callee of a call pattern whose arguments are just `...` (`f(...)`), else null.
const Expr* bare_callee(const Expr* pattern) {
  const auto* call = dyn_cast<Call>(pattern);
  if (call == nullptr || call->args.size() != 1 || !call->keywords.empty()) return nullptr;
  const auto* argument = dyn_cast<Constant>(call->args[0]);
  return argument != nullptr && argument->value.kind == ConstantValue::Kind::Ellipsis ? call->func : nullptr;
}

// Stands for a `...` the parser cannot take where it stands (after keyword arguments, inside dict
// displays, as a loop target), after pattern preprocessing.
constexpr std::string_view kEllipsisMarker = "__moat_ellipsis__";

bool is_ellipsis(const Node* node) {
  if (const auto* name = dyn_cast<Name>(node)) return name->id == kEllipsisMarker;
  const auto* constant = dyn_cast<Constant>(node);
  return constant != nullptr && constant->value.kind == ConstantValue::Kind::Ellipsis;
}

bool is_ellipsis_statement(const Stmt* stmt) {
  const auto* expression = dyn_cast<ExprStmt>(stmt);
  return expression != nullptr && is_ellipsis(expression->value);
}

// "The string content between the quotes" for a single, unprefixed-or-prefixed literal; nullopt for
// implicit concatenations and anything unusual.
std::optional<std::string_view> raw_string_content(std::string_view literal) {
  std::size_t prefix = 0;
  while (prefix < literal.size() && prefix < 3 && std::isalpha(static_cast<unsigned char>(literal[prefix]))) ++prefix;
  std::string_view rest = literal.substr(prefix);
  if (rest.size() < 2) return std::nullopt;
  const char quote = rest.front();
  if ((quote != '"' && quote != '\'') || rest.back() != quote) return std::nullopt;
  const std::size_t width = rest.size() >= 6 && rest[1] == quote && rest[2] == quote ? 3 : 1;
  std::string_view content = rest.substr(width, rest.size() - 2 * width);
  // An implicit concatenation ("a" "b") has the quote inside, unescaped.
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\\') ++i;
    else if (width == 1 && content[i] == quote) return std::nullopt;
  }
  return content;
}

template <typename TryStatement>
void visit_try_blocks(const TryStatement& node, const std::function<void(NodeList<Stmt>)>& visit) {
  visit(node.body);
  for (const ExceptHandler* handler : node.handlers) visit(handler->body);
  visit(node.orelse);
  visit(node.finalbody);
}

void for_each_child_block(const Stmt& stmt, const std::function<void(NodeList<Stmt>)>& visit) {
  switch (stmt.kind) {
    case NodeKind::FunctionDef: visit(static_cast<const FunctionDef&>(stmt).body); break;
    case NodeKind::AsyncFunctionDef: visit(static_cast<const AsyncFunctionDef&>(stmt).body); break;
    case NodeKind::ClassDef: visit(static_cast<const ClassDef&>(stmt).body); break;
    case NodeKind::For: visit(static_cast<const For&>(stmt).body); visit(static_cast<const For&>(stmt).orelse); break;
    case NodeKind::AsyncFor:
      visit(static_cast<const AsyncFor&>(stmt).body);
      visit(static_cast<const AsyncFor&>(stmt).orelse);
      break;
    case NodeKind::While: visit(static_cast<const While&>(stmt).body); visit(static_cast<const While&>(stmt).orelse); break;
    case NodeKind::If: visit(static_cast<const If&>(stmt).body); visit(static_cast<const If&>(stmt).orelse); break;
    case NodeKind::With: visit(static_cast<const With&>(stmt).body); break;
    case NodeKind::AsyncWith: visit(static_cast<const AsyncWith&>(stmt).body); break;
    case NodeKind::Match:
      for (const MatchCase* match_case : static_cast<const Match&>(stmt).cases) visit(match_case->body);
      break;
    case NodeKind::Try: visit_try_blocks(static_cast<const Try&>(stmt), visit); break;
    case NodeKind::TryStar: visit_try_blocks(static_cast<const TryStar&>(stmt), visit); break;
    default: break;
  }
}

// Every block nested (at any depth) inside a statement.
void for_each_descendant_block(const Stmt& stmt, const std::function<void(NodeList<Stmt>)>& visit, int depth = 0) {
  if (depth > kMaxDepth) return;
  for_each_child_block(stmt, [&](NodeList<Stmt> block) {
    if (block.empty()) return;
    visit(block);
    for (const Stmt* inner : block) for_each_descendant_block(*inner, visit, depth + 1);
  });
}

// True when `module` is `package` or one of its submodules.
bool within_module(std::string_view package, std::string_view module) {
  return module == package || (module.starts_with(package) && module.size() > package.size() &&
                               module[package.size()] == '.');
}

// The dotted segments of a Name/Attribute chain, or empty when it is not one.
bool dotted_segments(const Node* node, std::vector<std::string_view>& segments) {
  segments.clear();
  while (const auto* attribute = dyn_cast<Attribute>(node)) {
    segments.push_back(attribute->attr);
    node = attribute->value;
  }
  const auto* name = dyn_cast<Name>(node);
  if (name == nullptr) return false;
  segments.push_back(name->id);
  std::ranges::reverse(segments);
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// FileContext

FileContext::FileContext(std::string path, std::string_view source_bytes)
    // lenient_arguments: Semgrep matches such files (`f(k=1, x)`, `f() = x`); CPython rejects them.
    : FileContext(path, std::make_unique<ParseResult>(parse(source_bytes, {.path = path, .lenient_arguments = true}))) {}

FileContext::FileContext(std::string path, std::unique_ptr<python::ParseResult> parsed)
    : path_(std::move(path)), parsed_(std::move(parsed)) {
  source_ = parsed_->source();
  trigrams_ = TrigramSet(source_);
  if (!parsed_->ok()) {
    const auto& error = parsed_->errors().front();
    parse_error_ = "syntax error at line " + std::to_string(error.line) + ", column " + std::to_string(error.column) +
                   ": " + error.message;
  }
}

std::unique_ptr<FileContext> FileContext::text_only(std::string path, std::string text) {
  std::unique_ptr<FileContext> file(new FileContext());
  file->path_ = std::move(path);
  file->text_storage_ = std::move(text);
  file->source_ = file->text_storage_;
  return file;
}

std::pair<int, int> FileContext::line_column(std::size_t offset) const {
  index_lines();
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), static_cast<std::uint32_t>(offset));
  const auto line = static_cast<int>(it - line_starts_.begin());
  return {line, static_cast<int>(offset - line_starts_[static_cast<std::size_t>(line - 1)])};
}

const std::vector<const Node*>& FileContext::nodes_of(NodeKind kind) const {
  static const std::vector<const Node*> kNone;
  index_nodes();
  const auto index = static_cast<std::size_t>(kind);
  return index < by_kind_.size() ? by_kind_[index] : kNone;
}

void FileContext::index_lines() const {
  if (!line_starts_.empty()) return;
  line_starts_.assign(1, 0);
  for (std::size_t newline = source_.find('\n'); newline != std::string_view::npos; newline = source_.find('\n', newline + 1))
    line_starts_.push_back(static_cast<std::uint32_t>(newline + 1));
}

void FileContext::index_nodes() const {
  if (nodes_indexed_ || !parsed_) return;
  nodes_indexed_ = true;
  const Module& module = parsed_->module();
  blocks_.push_back(module.body);
  const auto add_import = [&](std::string_view local, std::uint32_t at, std::string qualified) {
    imports_[local].push_back({at, std::move(qualified)});
  };
  walk(module, [&](const Node& node) {
    const auto kind = static_cast<std::size_t>(node.kind);
    if (by_kind_.size() <= kind) by_kind_.resize(kind + 1);
    by_kind_[kind].push_back(&node);
    if (is_expr(node.kind)) expressions_.push_back(&node);
    if (is_stmt(node.kind)) {
      statements_.push_back(&node);
      for_each_child_block(static_cast<const Stmt&>(node), [&](NodeList<Stmt> block) {
        if (!block.empty()) blocks_.push_back(block);
      });
    }
    if (const auto* import = dyn_cast<Import>(&node)) {
      for (const Alias* alias : import->names)
        if (!alias->asname.empty()) add_import(alias->asname, node.start, std::string(alias->name));
        else if (alias->name.find('.') == std::string_view::npos)
          add_import(alias->name, node.start, std::string(alias->name));  // may shadow an alias
    } else if (const auto* import_from = dyn_cast<ImportFrom>(&node)) {
      if (import_from->level == 0 && !import_from->module.empty())
        for (const Alias* alias : import_from->names) {
          if (alias->name == "*") continue;
          add_import(alias->asname.empty() ? alias->name : alias->asname, node.start,
                     std::string(import_from->module) + "." + std::string(alias->name));
        }
    }
    return true;
  });
  if (imports_.empty()) return;
  std::vector<std::string_view> segments;
  for (const Node* node : expressions_) {
    if (!dotted_segments(node, segments)) continue;
    auto found = imports_.find(segments.front());
    if (found == imports_.end()) continue;
    // The import in force, as Semgrep sees it: the last one written before the use (in any scope).
    const ImportBinding* in_force = nullptr;
    for (const auto& import : found->second)
      if (import.at < node->start) in_force = &import;
    if (in_force == nullptr || in_force->qualified == segments.front()) continue;
    std::string resolved = in_force->qualified;
    for (std::size_t i = 1; i < segments.size(); ++i) {
      resolved += '.';
      resolved += segments[i];
    }
    resolved_.emplace(node, std::move(resolved));
    const std::size_t bit = resolved_filter_bit(node);
    resolved_filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
}

std::span<const Node* const> FileContext::nodes_within(const std::vector<const Node*>& nodes, Span window,
                                                       std::vector<const Node*>& scratch) const {
  if (window.start == 0 && window.end >= source_.size()) return nodes;
  auto& order = by_start_[&nodes];
  if (order.size() != nodes.size()) {
    order.resize(nodes.size());
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    std::ranges::stable_sort(order, {}, [&](std::uint32_t i) { return nodes[i]->start; });
  }
  std::vector<std::uint32_t> found;
  auto it = std::ranges::lower_bound(order, window.start, {}, [&](std::uint32_t i) { return std::size_t{nodes[i]->start}; });
  for (; it != order.end() && nodes[*it]->start <= window.end; ++it)
    if (nodes[*it]->end <= window.end) found.push_back(*it);
  std::ranges::sort(found);
  scratch.clear();
  for (const std::uint32_t i : found) scratch.push_back(nodes[i]);
  return scratch;
}

namespace {

// Literal hits kept per regex and file: a bound on memory whatever the file and the rule set; a
// regex with more hits checks each window's text instead.
constexpr std::size_t kMaxLiteralHits = 1024;

}  // namespace

bool FileContext::regex_may_match(const Regex& regex) const {
  auto [site, fresh] = regex_sites_.try_emplace(regex.identity());
  if (fresh) site->second.possible = regex.may_match(trigrams_) && regex.may_match_runs_of(source_);
  return site->second.possible;
}

const std::vector<Span>* FileContext::regex_literal_hits(const Regex& regex) const {
  static const std::vector<Span> kNone;
  if (!regex_may_match(regex)) return &kNone;
  RegexSite& site = regex_sites_.find(regex.identity())->second;
  if (!site.indexed) {
    site.hits = regex.literal_hits(source_, kMaxLiteralHits);
    site.indexed = true;
  }
  return site.hits ? &*site.hits : nullptr;
}

bool FileContext::regex_may_match_within(const Regex& regex, Span window) const {
  if (!regex_may_match(regex)) return false;
  // The whole file is searched once per regex: no index needed.
  if (window.start == 0 && window.end >= source_.size()) return regex.may_occur_in(source_);
  const std::vector<Span>* indexed = regex_literal_hits(regex);
  if (indexed == nullptr) return regex.may_occur_in(text(window));
  const auto& hits = *indexed;
  for (auto hit = std::ranges::lower_bound(hits, window.start, {}, &Span::start);
       hit != hits.end() && hit->start <= window.end; ++hit)
    if (hit->end <= window.end) return true;
  return false;
}

const std::string* FileContext::resolve_import(const Node& expression) const {
  index_nodes();
  const std::size_t bit = resolved_filter_bit(&expression);
  if ((resolved_filter_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) return nullptr;
  auto found = resolved_.find(&expression);
  return found == resolved_.end() ? nullptr : &found->second;
}

namespace {

// The literals constant propagation follows: strings, numbers and booleans.
bool is_propagated(const ConstantValue& value) {
  using Kind = ConstantValue::Kind;
  return value.is_string() || value.kind == Kind::Int || value.kind == Kind::Float || value.kind == Kind::True ||
         value.kind == Kind::False;
}

}  // namespace

// Constant propagation, scope by scope (the module, each function and lambda): a name assigned
// only literals in its scope, and not a parameter there, is that constant after the assignment
// (several assignments: when all are statements of the scope's own list, flow-sensitively); a
// name a function never binds falls back to the module's constant.
void FileContext::index_constants() const {
  if (constants_indexed_ || !parsed_) return;
  constants_indexed_ = true;
  std::vector<const Node*> roots{&parsed_->module()};
  scope_parents_.assign(1, 0);
  scope_of_.reserve(nodes_of(NodeKind::Name).size());
  // Per scope, reused (cleared) from one scope to the next.
  std::unordered_map<std::string_view, int> stores;
  std::unordered_map<std::string_view, std::vector<ScopedConstant>> candidates;
  std::unordered_map<std::string_view, bool> nested;  // some literal assignment is not a top-level statement
  for (std::size_t scope = 0; scope < roots.size(); ++scope) {
    stores.clear();
    candidates.clear();
    nested.clear();
    NodeList<Stmt> top_level;
    if (const auto* module = dyn_cast<Module>(roots[scope])) top_level = module->body;
    else if (const auto* def = dyn_cast<FunctionDef>(roots[scope])) top_level = def->body;
    else if (const auto* async_def = dyn_cast<AsyncFunctionDef>(roots[scope])) top_level = async_def->body;
    auto& bound = scope_names_.emplace_back();
    walk(*roots[scope], [&](const Node& node) {
      const bool function = node.kind == NodeKind::FunctionDef || node.kind == NodeKind::AsyncFunctionDef ||
                            node.kind == NodeKind::Lambda;
      if (function && &node != roots[scope]) {
        roots.push_back(&node);
        scope_parents_.push_back(static_cast<std::uint32_t>(scope));
        if (const auto* def = dyn_cast<FunctionDef>(&node)) ++stores[def->name];
        if (const auto* def = dyn_cast<AsyncFunctionDef>(&node)) ++stores[def->name];
        return false;
      }
      if (const auto* arg = dyn_cast<Arg>(&node)) {
        stores[arg->arg] += 2;  // a parameter is never a constant
      } else if (const auto* name = dyn_cast<Name>(&node)) {
        if (name->ctx == ExprContext::Store || name->ctx == ExprContext::Del) ++stores[name->id];
        if (scope != 0) scope_of_.emplace_back(&node, static_cast<std::uint32_t>(scope));
      } else if (const auto* assign = dyn_cast<Assign>(&node)) {
        if (assign->targets.size() == 1)
          if (const auto* target = dyn_cast<Name>(assign->targets[0]))
            if (const auto* value = dyn_cast<Constant>(assign->value); value != nullptr && is_propagated(value->value)) {
              candidates[target->id].push_back({value, assign->end});
              // A statement of the scope's own list, found by its start (the list is in source order).
              const auto at = std::ranges::lower_bound(top_level, assign->start, {}, [](const Stmt* statement) {
                return statement->start;
              });
              if (at == top_level.end() || *at != assign) nested[target->id] = true;
            }
      }
      return true;
    });
    bound.reserve(stores.size());
    for (const auto& [name, count] : stores) bound.insert(name);
    for (auto& [name, values] : candidates)
      if (stores[name] == static_cast<int>(values.size()) && (values.size() == 1 || !nested[name]))
        constants_[{static_cast<std::uint32_t>(scope), name}] = std::move(values);
  }
  std::ranges::sort(scope_of_, {}, &std::pair<const Node*, std::uint32_t>::first);  // by address, for scope_at()
}

std::uint32_t FileContext::scope_at(const Name& use) const {
  const auto found = std::ranges::lower_bound(scope_of_, &use, {}, &std::pair<const Node*, std::uint32_t>::first);
  return found != scope_of_.end() && found->first == &use ? found->second : 0;
}

const Constant* FileContext::constant_of(const Name& use) const {
  index_constants();
  const std::uint32_t use_scope = scope_at(use);
  const std::uint32_t scope = use_scope != 0 && !scope_names_[use_scope].contains(use.id) ? 0 : use_scope;
  auto found = constants_.find({scope, use.id});
  if (found == constants_.end()) return nullptr;
  const auto& values = found->second;
  if (values.size() == 1) {
    // Within a function the assignment must come first; module constants are set before functions run.
    if (scope != 0 && values.front().ready_at > use.start) return nullptr;
    return values.front().value;
  }
  // Several assignments, all statements of the scope's own list, run in order: the last one
  // before the use holds. A function reading such a module name cannot tell which.
  if (use_scope != scope) return nullptr;
  const Constant* value = nullptr;
  for (const auto& assignment : values)
    if (assignment.ready_at <= use.start) value = assignment.value;
  return value;
}

std::uint32_t FileContext::variable_scope(const Name& use) const {
  index_constants();
  std::uint32_t scope = scope_at(use);
  while (scope != 0 && !scope_names_[scope].contains(use.id)) scope = scope_parents_[scope];
  return scope;
}

// ---------------------------------------------------------------------------------------------
// Compiled pattern

struct CompiledPattern::Impl {
  ParseResult parsed;
  const Expr* expression = nullptr;         // an expression pattern
  std::vector<Stmt*> statements;            // a statement-sequence pattern (leading `...` dropped)
  bool leading_ellipsis = false;
  bool any_statement = false;               // the pattern `...`
  std::vector<std::string> required_words;  // identifiers any match needs in the file text
  std::unordered_map<const Node*, Regex> string_regexes;  // "=~/re/" and "a...$X..." string patterns
  std::unordered_map<const Node*, std::string> metavariable_types;  // `$X: int` -> "int"
};

namespace {

// Turns a string pattern with `...` and `$X` inside into an anchored regex over the content.
std::optional<std::string> string_template_regex(std::string_view content) {
  if (content.find("...") == std::string_view::npos && content.find('$') == std::string_view::npos) return std::nullopt;
  std::string regex = "^";
  bool special = false;
  for (std::size_t i = 0; i < content.size();) {
    if (content.substr(i).starts_with("...")) {
      regex += ".*";
      i += 3;
      special = true;
      continue;
    }
    if (content[i] == '$') {
      std::size_t end = i + 1;
      while (end < content.size() && (std::isupper(static_cast<unsigned char>(content[end])) ||
                                      std::isdigit(static_cast<unsigned char>(content[end])) || content[end] == '_'))
        ++end;
      if (end > i + 1 && is_metavariable(content.substr(i, end - i))) {
        regex += ".+?";
        i = end;
        special = true;
        continue;
      }
    }
    const char c = content[i++];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || static_cast<unsigned char>(c) >= 0x80)
      regex += c;
    else {
      regex += '\\';
      regex += c;
    }
  }
  if (!special) return std::nullopt;
  return "(?s)" + regex + "$";
}

class Matcher {
 public:
  Matcher(const CompiledPattern::Impl& pattern, const FileContext& file) : pattern_(pattern), file_(file) {}

  Bindings env;

  // ---- bindings
  bool bind(std::string_view name, Binding binding, Continuation k) {
    if (name == "$_") return k();
    if (const Binding* existing = find_binding(env, name))
      return same_code(*existing, binding) && same_variable(*existing, binding) ? k() : false;
    env.emplace_back(std::string(name), binding);
    const bool stop = k();
    env.pop_back();
    return stop;
  }
  // Two bindings of one name are the same variable only when it resolves to the same scope (a
  // function's local `url` is not the module's `url`), as Semgrep compares resolved names.
  bool same_variable(const Binding& a, const Binding& b) const {
    const auto* x = dyn_cast<Name>(a.node);
    const auto* y = dyn_cast<Name>(b.node);
    return x == nullptr || y == nullptr || file_.variable_scope(*x) == file_.variable_scope(*y);
  }
  Binding binding_of(const Node& node) const {
    Binding binding{{node.start, node.end}, file_.text({node.start, node.end}), &node, std::nullopt};
    if (const auto* name = dyn_cast<Name>(&node))
      if (const Constant* constant = file_.constant_of(*name); constant != nullptr && constant->value.is_string())
        binding.constant = std::string(constant->value.text);
    return binding;
  }
  // `"$X"` binds the string's content, without prefix and quotes.
  Binding content_binding(const Expr& c) const {
    Binding binding = binding_of(c);
    if (const auto content = raw_string_content(binding.text)) {
      const auto start = static_cast<std::size_t>(content->data() - file_.source().data());
      binding.span = {start, start + content->size()};
      binding.text = *content;
    }
    return binding;
  }
  Binding identifier_binding(std::size_t start, std::string_view name) const {
    return {{start, start + name.size()}, file_.source().substr(start, name.size()), nullptr, std::nullopt};
  }
  // Where `name` is written inside `node` (a def/class name, an attribute, a keyword).
  std::size_t identifier_offset(const Node& node, std::string_view name, std::size_t from) const {
    const std::size_t at = file_.source().substr(0, node.end).find(name, from);
    return at == std::string_view::npos ? node.start : at;
  }
  bool identifier(std::string_view pattern, std::string_view code, std::size_t offset, Continuation k) {
    if (is_metavariable(pattern)) return bind(pattern, identifier_binding(offset, code), k);
    return pattern == code ? k() : false;
  }

  // ---- expressions
  bool expr(const Expr* p, const Expr* c, Continuation k, int depth = 0) {
    // An optional part that is absent (`return`, `raise`, `yield`) matches `...` or nothing.
    if (c == nullptr) return p == nullptr || is_ellipsis(p) ? k() : false;
    if (p == nullptr) return false;
    if (depth > kMaxDepth) return false;
    if (const Name* mv = metavariable(p)) {
      Binding binding = binding_of(*c);
      if (auto typed = pattern_.metavariable_types.find(mv);
          typed != pattern_.metavariable_types.end() && !has_type(binding, typed->second))
        return false;
      return bind(mv->id, std::move(binding), k);
    }
    if (is_ellipsis(p)) return k();
    if (const auto* deep = dyn_cast<DeepEllipsis>(p)) {
      bool stop = false;
      walk(*c, [&](const Node& inner) {
        if (stop) return false;
        if (is_expr(inner.kind) && expr(deep->value, static_cast<const Expr*>(&inner), k, depth + 1)) stop = true;
        return !stop;
      });
      return stop;
    }
    if (const auto* constant = dyn_cast<Constant>(p)) return this->constant(*constant, *c, k);
    if (const auto* joined = dyn_cast<JoinedStr>(p)) {
      const auto* code = dyn_cast<JoinedStr>(c);
      // One f-string is not an implicit concatenation with an f-string in it.
      if (code == nullptr || (pieces(pattern_.parsed, *p) == 1 && pieces(*file_.parsed(), *c) > 1)) return false;
      return fstring(joined->values, 0, code->values, 0, k, depth);
    }
    // Import-alias-aware dotted names: `subprocess.Popen` also matches `sp.Popen` and `Popen`.
    if ((p->kind == NodeKind::Attribute || p->kind == NodeKind::Name) &&
        (c->kind == NodeKind::Attribute || c->kind == NodeKind::Name)) {
      if (dotted_by_import(p, c, k)) return true;
    }
    if (const auto* attribute = dyn_cast<Attribute>(p); attribute != nullptr && attribute->attr == kChainMarker) {
      // `X. ...`: an attribute/call/subscript chain rooted at X.
      for (const Expr* inner = c;;) {
        if (const auto* call = dyn_cast<Call>(inner)) inner = call->func;
        else if (const auto* access = dyn_cast<Attribute>(inner)) inner = access->value;
        else if (const auto* subscript = dyn_cast<Subscript>(inner)) inner = subscript->value;
        else return false;
        if (expr(attribute->value, inner, k, depth + 1)) return true;
      }
    }
    if (const auto* attribute = dyn_cast<Attribute>(p); attribute != nullptr && is_ellipsis(attribute->value)) {
      // `....name`: any chain ending in .name (or the bare name).
      if (const auto* code = dyn_cast<Attribute>(c))
        return identifier(attribute->attr, code->attr, code->end - code->attr.size(), k);
      if (const auto* code = dyn_cast<Name>(c)) return identifier(attribute->attr, code->id, code->start, k);
      return false;
    }
    if (const auto* set = dyn_cast<Set>(p); set != nullptr && c->kind == NodeKind::Dict &&
                                             std::ranges::all_of(set->elts, [](const Expr* e) { return is_ellipsis(e); }))
      return k();  // `{...}` is any dict or set
    if (p->kind != c->kind) return false;
    const auto sub = [&](const Expr* a, const Expr* b, Continuation next) { return expr(a, b, next, depth + 1); };
    switch (p->kind) {
      case NodeKind::Name:
        return static_cast<const Name*>(p)->id == static_cast<const Name*>(c)->id ? k() : false;
      case NodeKind::Attribute: {
        const auto* a = static_cast<const Attribute*>(p);
        const auto* b = static_cast<const Attribute*>(c);
        return identifier(a->attr, b->attr, b->end - b->attr.size(),
                          [&] { return sub(a->value, b->value, k); });
      }
      case NodeKind::Call: {
        const auto* a = static_cast<const Call*>(p);
        const auto* b = static_cast<const Call*>(c);
        return sub(a->func, b->func, [&] { return arguments(*a, *b, k, depth); });
      }
      case NodeKind::BinOp: {
        const auto* a = static_cast<const BinOp*>(p);
        const auto* b = static_cast<const BinOp*>(c);
        if (a->op != b->op) return false;
        return sub(a->left, b->left, [&] { return sub(a->right, b->right, k); });
      }
      case NodeKind::BoolOp: {
        const auto* a = static_cast<const BoolOp*>(p);
        const auto* b = static_cast<const BoolOp*>(c);
        if (a->op != b->op) return false;
        return sequence(a->values, 0, b->values, 0, k, depth);
      }
      case NodeKind::UnaryOp: {
        const auto* a = static_cast<const UnaryOp*>(p);
        const auto* b = static_cast<const UnaryOp*>(c);
        return a->op == b->op ? sub(a->operand, b->operand, k) : false;
      }
      case NodeKind::Compare: {
        const auto* a = static_cast<const Compare*>(p);
        const auto* b = static_cast<const Compare*>(c);
        if (!std::ranges::equal(a->ops, b->ops) || a->comparators.size() != b->comparators.size()) return false;
        return sub(a->left, b->left, [&] { return pairwise(a->comparators, b->comparators, 0, k, depth); });
      }
      case NodeKind::IfExp: {
        const auto* a = static_cast<const IfExp*>(p);
        const auto* b = static_cast<const IfExp*>(c);
        return sub(a->test, b->test, [&] { return sub(a->body, b->body, [&] { return sub(a->orelse, b->orelse, k); }); });
      }
      case NodeKind::Subscript: {
        const auto* a = static_cast<const Subscript*>(p);
        const auto* b = static_cast<const Subscript*>(c);
        return sub(a->value, b->value, [&] { return sub(a->slice, b->slice, k); });
      }
      case NodeKind::Slice: {
        const auto* a = static_cast<const Slice*>(p);
        const auto* b = static_cast<const Slice*>(c);
        return sub(a->lower, b->lower, [&] { return sub(a->upper, b->upper, [&] { return sub(a->step, b->step, k); }); });
      }
      case NodeKind::Starred:
        return sub(static_cast<const Starred*>(p)->value, static_cast<const Starred*>(c)->value, k);
      case NodeKind::Await: return sub(static_cast<const Await*>(p)->value, static_cast<const Await*>(c)->value, k);
      case NodeKind::Yield: return sub(static_cast<const Yield*>(p)->value, static_cast<const Yield*>(c)->value, k);
      case NodeKind::YieldFrom:
        return sub(static_cast<const YieldFrom*>(p)->value, static_cast<const YieldFrom*>(c)->value, k);
      case NodeKind::NamedExpr: {
        const auto* a = static_cast<const NamedExpr*>(p);
        const auto* b = static_cast<const NamedExpr*>(c);
        return sub(a->target, b->target, [&] { return sub(a->value, b->value, k); });
      }
      case NodeKind::List:
        return sequence(static_cast<const List*>(p)->elts, 0, static_cast<const List*>(c)->elts, 0, k, depth);
      case NodeKind::Tuple:
        return sequence(static_cast<const Tuple*>(p)->elts, 0, static_cast<const Tuple*>(c)->elts, 0, k, depth);
      case NodeKind::Set:
        return sequence(static_cast<const Set*>(p)->elts, 0, static_cast<const Set*>(c)->elts, 0, k, depth);
      case NodeKind::Dict: return dict(*static_cast<const Dict*>(p), *static_cast<const Dict*>(c), k, depth);
      case NodeKind::ListComp: {
        const auto* a = static_cast<const ListComp*>(p);
        const auto* b = static_cast<const ListComp*>(c);
        return sub(a->elt, b->elt, [&] { return generators(a->generators, b->generators, 0, k, depth); });
      }
      case NodeKind::SetComp: {
        const auto* a = static_cast<const SetComp*>(p);
        const auto* b = static_cast<const SetComp*>(c);
        return sub(a->elt, b->elt, [&] { return generators(a->generators, b->generators, 0, k, depth); });
      }
      case NodeKind::GeneratorExp: {
        const auto* a = static_cast<const GeneratorExp*>(p);
        const auto* b = static_cast<const GeneratorExp*>(c);
        return sub(a->elt, b->elt, [&] { return generators(a->generators, b->generators, 0, k, depth); });
      }
      case NodeKind::DictComp: {
        const auto* a = static_cast<const DictComp*>(p);
        const auto* b = static_cast<const DictComp*>(c);
        return sub(a->key, b->key, [&] {
          return sub(a->value, b->value, [&] { return generators(a->generators, b->generators, 0, k, depth); });
        });
      }
      case NodeKind::Lambda: {
        const auto* a = static_cast<const Lambda*>(p);
        const auto* b = static_cast<const Lambda*>(c);
        return parameters(*a->args, *b->args, [&] { return sub(a->body, b->body, k); }, depth);
      }
      case NodeKind::FormattedValue:
        return sub(static_cast<const FormattedValue*>(p)->value, static_cast<const FormattedValue*>(c)->value, k);
      default: return false;
    }
  }

  bool dotted_by_import(const Expr* p, const Expr* c, Continuation k) {
    const auto resolved = file_.resolve_import(*c);
    if (!resolved) return false;
    std::vector<std::string_view> pattern_segments;
    if (!dotted_segments(p, pattern_segments)) return false;
    std::vector<std::string_view> segments;
    for (std::size_t start = 0;;) {
      const std::size_t dot = resolved->find('.', start);
      segments.push_back(std::string_view(*resolved).substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (segments.size() != pattern_segments.size()) return false;
    return segments_match(pattern_segments, segments, 0, *c, k);
  }

  // Segment i onwards of a dotted pattern against a resolved name; a metavariable binds the segment.
  bool segments_match(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& code,
                      std::size_t i, const Expr& node, Continuation k) {
    if (i == pattern.size()) return k();
    if (is_metavariable(pattern[i]))
      return bind(pattern[i], Binding{{node.start, node.end}, code[i], nullptr, std::nullopt},
                  [&] { return segments_match(pattern, code, i + 1, node, k); });
    return pattern[i] == code[i] && segments_match(pattern, code, i + 1, node, k);
  }

  bool constant(const Constant& p, const Expr& c, Continuation k) {
    const ConstantValue& value = p.value;
    if (value.is_string() && pieces(pattern_.parsed, p) > 1 && only_ellipsis_pieces(p)) {
      // `"..." "..."`: an implicit concatenation of string literals, f-strings included.
      const bool literal = (c.kind == NodeKind::Constant && static_cast<const Constant&>(c).value.is_string()) ||
                           c.kind == NodeKind::JoinedStr;
      return literal && pieces(*file_.parsed(), c) > 1 ? k() : false;
    }
    if (value.is_string()) {
      const std::string_view pattern_text = pattern_.parsed.text(p);
      const auto pattern_content = raw_string_content(pattern_text).value_or(value.text);
      const auto* code = dyn_cast<Constant>(&c);
      const Constant* constant = code;
      if (constant == nullptr) {
        if (const auto* name = dyn_cast<Name>(&c)) constant = file_.constant_of(*name);
        else if (const auto* joined = dyn_cast<JoinedStr>(&c)) constant = literal_fstring(*joined);
      }
      if (constant == nullptr) return false;
      // `"..."` stands for any string literal, bytes included (one literal kind in Semgrep).
      if (pattern_content == "..." && constant->value.kind == ConstantValue::Kind::Bytes) return k();
      if (!constant->value.is_string()) return false;
      if (pattern_content == "...") return k();
      if (is_metavariable(pattern_content)) return bind(pattern_content, content_binding(c), k);
      if (auto regex = pattern_.string_regexes.find(&p); regex != pattern_.string_regexes.end()) {
        if (!regex->second.search(constant->value.text)) return false;
        return k();
      }
      if (code != nullptr) {
        const auto code_content = raw_string_content(file_.text({code->start, code->end}));
        if (code_content && raw_string_content(pattern_text)) return *code_content == pattern_content ? k() : false;
      }
      return constant->value.text == value.text ? k() : false;
    }
    const auto* code = dyn_cast<Constant>(&c);
    if (code == nullptr)
      if (const auto* name = dyn_cast<Name>(&c)) code = file_.constant_of(*name);
    if (code == nullptr || code->value.kind != value.kind) return false;
    switch (value.kind) {
      case ConstantValue::Kind::Bytes:
      case ConstantValue::Kind::Int: return code->value.text == value.text ? k() : false;
      case ConstantValue::Kind::Float:
      case ConstantValue::Kind::Complex: return code->value.number == value.number ? k() : false;
      default: return k();
    }
  }

  // How many string tokens make up a literal (more than one: an implicit concatenation).
  static std::size_t pieces(const ParseResult& parsed, const Node& literal) {
    const auto tokens = parsed.tokens();
    auto it = std::ranges::lower_bound(tokens, literal.start, {}, &Token::start);
    std::size_t count = 0;
    for (; it != tokens.end() && it->start < literal.end; ++it) count += it->kind == TokenKind::String ? 1 : 0;
    return count;
  }
  bool only_ellipsis_pieces(const Constant& p) const {
    const auto tokens = pattern_.parsed.tokens();
    for (auto it = std::ranges::lower_bound(tokens, p.start, {}, &Token::start); it != tokens.end() && it->start < p.end; ++it)
      if (it->kind == TokenKind::String && raw_string_content(pattern_.parsed.text(*it)) != "...") return false;
    return true;
  }

  // An f-string without replacement fields is a string literal: its one constant part (or an
  // empty string for `f""`).
  static const Constant* literal_fstring(const JoinedStr& joined) {
    static const Constant kEmpty = [] {
      Constant empty{};
      empty.kind = NodeKind::Constant;
      empty.value.kind = ConstantValue::Kind::Str;
      return empty;
    }();
    if (joined.values.empty()) return &kEmpty;
    return joined.values.size() == 1 ? dyn_cast<Constant>(joined.values[0]) : nullptr;
  }

  // f-string parts: constant pieces "..." absorb any run of parts.
  bool fstring(NodeList<Expr> p, std::size_t i, NodeList<Expr> c, std::size_t j, Continuation k, int depth) {
    if (i == p.size()) return j == c.size() ? k() : false;
    const auto* piece = dyn_cast<Constant>(p[i]);
    if (piece != nullptr && piece->value.text == "...") {
      for (std::size_t next = j; next <= c.size(); ++next)
        if (fstring(p, i + 1, c, next, k, depth)) return true;
      return false;
    }
    if (j >= c.size()) return false;
    if (piece != nullptr) {
      const auto* code = dyn_cast<Constant>(c[j]);
      if (code == nullptr) return false;
      const std::string_view text = piece->value.text;
      const bool leading = text.starts_with("..."), trailing = text.ends_with("...") && text.size() >= 6;
      const std::string_view core = text.substr(leading ? 3 : 0, text.size() - (leading ? 3 : 0) - (trailing ? 3 : 0));
      const std::string_view value = code->value.text;
      bool ok = leading && trailing ? value.find(core) != std::string_view::npos
                : leading           ? value.ends_with(core)
                : trailing          ? value.starts_with(core)
                                    : value == core;
      return ok && fstring(p, i + 1, c, j + 1, k, depth);
    }
    return expr(p[i], c[j], [&] { return fstring(p, i + 1, c, j + 1, k, depth); }, depth + 1);
  }

  bool pairwise(NodeList<Expr> p, NodeList<Expr> c, std::size_t i, Continuation k, int depth) {
    if (i == p.size()) return k();
    return expr(p[i], c[i], [&] { return pairwise(p, c, i + 1, k, depth); }, depth + 1);
  }

  // Ordered elements where `...` absorbs any run and `$...X` binds one.
  bool sequence(NodeList<Expr> p, std::size_t i, NodeList<Expr> c, std::size_t j, Continuation k, int depth) {
    if (i == p.size()) return j == c.size() ? k() : false;
    if (is_ellipsis(p[i])) {
      for (std::size_t next = j; next <= c.size(); ++next)
        if (sequence(p, i + 1, c, next, k, depth)) return true;
      return false;
    }
    if (const Name* mv = metavariable(p[i]); mv != nullptr && is_ellipsis_metavariable(mv->id)) {
      for (std::size_t next = j; next <= c.size(); ++next) {
        const bool stop = bind(mv->id, run_binding(c, j, next), [&] { return sequence(p, i + 1, c, next, k, depth); });
        if (stop) return true;
      }
      return false;
    }
    if (j >= c.size()) return false;
    return expr(p[i], c[j], [&] { return sequence(p, i + 1, c, j + 1, k, depth); }, depth + 1);
  }

  template <typename T>
  Binding run_binding(std::span<T* const> items, std::size_t from, std::size_t to) const {
    if (from >= to) return {{0, 0}, {}, nullptr, std::nullopt};
    const Span span{items[from]->start, items[to - 1]->end};
    return {span, file_.text(span), to - from == 1 ? items[from] : nullptr, std::nullopt};
  }

  bool dict(const Dict& p, const Dict& c, Continuation k, int depth) {
    std::vector<std::size_t> entries;
    bool open = false;
    for (std::size_t i = 0; i < p.values.size(); ++i) {
      const bool ellipsis_entry = is_ellipsis(p.values[i]) && (p.keys[i] == nullptr || is_ellipsis(p.keys[i]));
      if (ellipsis_entry) open = true;
      else entries.push_back(i);
    }
    if (!open && entries.size() != c.values.size()) return false;
    std::vector<bool> used(c.values.size(), false);
    return dict_entries(p, c, entries, 0, used, k, depth);
  }
  bool dict_entries(const Dict& p, const Dict& c, const std::vector<std::size_t>& entries, std::size_t n,
                    std::vector<bool>& used, Continuation k, int depth) {
    if (n == entries.size()) return k();
    const std::size_t i = entries[n];
    for (std::size_t j = 0; j < c.values.size(); ++j) {
      if (used[j]) continue;
      if ((p.keys[i] == nullptr) != (c.keys[j] == nullptr)) continue;
      used[j] = true;
      const bool stop = expr(p.keys[i], c.keys[j], [&] {
        return expr(p.values[i], c.values[j], [&] { return dict_entries(p, c, entries, n + 1, used, k, depth); },
                    depth + 1);
      }, depth + 1);
      used[j] = false;
      if (stop) return true;
    }
    return false;
  }

  bool generators(NodeList<Comprehension> p, NodeList<Comprehension> c, std::size_t i, Continuation k, int depth) {
    if (i == p.size()) return i == c.size() ? k() : false;
    if (i >= c.size()) return false;
    const Comprehension& a = *p[i];
    const Comprehension& b = *c[i];
    return expr(a.target, b.target, [&] {
      return expr(a.iter, b.iter, [&] {
        const auto rest = [&] { return generators(p, c, i + 1, k, depth); };
        if (a.ifs.empty()) return rest();
        return sequence(a.ifs, 0, b.ifs, 0, rest, depth);
      }, depth + 1);
    }, depth + 1);
  }

  // ---- call arguments: positional in order, keywords in any order, `...` absorbing the rest.
  struct Argument {
    const Expr* value;
    const Keyword* keyword;  // null for positional arguments
  };
  static std::vector<Argument> ordered_arguments(const Call& call) {
    std::vector<Argument> items;
    for (const Expr* argument : call.args) items.push_back({argument, nullptr});
    for (const Keyword* keyword : call.keywords) items.push_back({keyword->value, keyword});
    std::ranges::stable_sort(items, {}, [](const Argument& a) {
      return a.keyword != nullptr ? a.keyword->start : a.value->start;
    });
    return items;
  }

  bool arguments(const Call& p, const Call& c, Continuation k, int depth) {
    if (p.args.size() == 1 && p.keywords.empty())
      if (const Name* mv = metavariable(p.args[0]); mv != nullptr && is_ellipsis_metavariable(mv->id)) {
        // `f($...ARGS)`: every argument, keywords included.
        const auto items = ordered_arguments(c);
        if (items.empty()) return bind(mv->id, {{0, 0}, {}, nullptr, std::nullopt}, k);
        const Argument& first = items.front();
        const Argument& last = items.back();
        const Span span{first.keyword != nullptr ? first.keyword->start : first.value->start,
                        last.keyword != nullptr ? last.keyword->end : last.value->end};
        const bool single_value = items.size() == 1 && items.front().keyword == nullptr;
        return bind(mv->id, {span, file_.text(span), single_value ? items.front().value : nullptr, std::nullopt}, k);
      }
    bool open = false;  // a `...` or `$...X` lets extra keywords through
    for (const Expr* argument : p.args) {
      const Name* mv = metavariable(argument);
      if (is_ellipsis(argument) || (mv != nullptr && is_ellipsis_metavariable(mv->id))) open = true;
    }
    std::size_t pattern_keywords = 0;
    for (const Keyword* keyword : p.keywords) {
      if (keyword->arg.empty() && is_ellipsis(keyword->value)) open = true;
      else ++pattern_keywords;
    }
    if (!open && pattern_keywords != c.keywords.size()) return false;
    std::vector<bool> used(c.keywords.size(), false);
    return keywords(p, c, 0, used, [&] { return sequence(p.args, 0, c.args, 0, k, depth); }, depth);
  }

  bool keywords(const Call& p, const Call& c, std::size_t i, std::vector<bool>& used, Continuation k, int depth) {
    if (i == p.keywords.size()) return k();
    const Keyword& a = *p.keywords[i];
    if (a.arg.empty() && is_ellipsis(a.value)) return keywords(p, c, i + 1, used, k, depth);
    for (std::size_t j = 0; j < c.keywords.size(); ++j) {
      if (used[j]) continue;
      const Keyword& b = *c.keywords[j];
      if (a.arg.empty() != b.arg.empty()) continue;
      if (!a.arg.empty() && !is_metavariable(a.arg) && a.arg != b.arg) continue;
      used[j] = true;
      const auto value = [&] {
        return expr(a.value, b.value, [&] { return keywords(p, c, i + 1, used, k, depth); }, depth + 1);
      };
      const bool stop = a.arg.empty() ? value() : identifier(a.arg, b.arg, b.start, value);
      used[j] = false;
      if (stop) return true;
    }
    return false;
  }

  // ---- parameters of def/lambda, flattened in source order.
  struct Parameter {
    const Arg* arg;
    const Expr* default_value;
    int kind;  // 0 positional, 1 *args, 2 keyword-only, 3 **kwargs
  };
  static std::vector<Parameter> flatten(const Arguments& arguments) {
    std::vector<Parameter> out;
    std::vector<const Arg*> positional(arguments.posonlyargs.begin(), arguments.posonlyargs.end());
    positional.insert(positional.end(), arguments.args.begin(), arguments.args.end());
    // Each default belongs to the parameter written before it (in a pattern, `...` may follow one).
    for (const Arg* parameter : positional) out.push_back({parameter, nullptr, 0});
    for (const Expr* default_value : arguments.defaults)
      for (auto it = out.rbegin(); it != out.rend(); ++it)
        if (it->arg->start < default_value->start) {
          it->default_value = default_value;
          break;
        }
    if (arguments.vararg != nullptr) out.push_back({arguments.vararg, nullptr, 1});
    for (std::size_t i = 0; i < arguments.kwonlyargs.size(); ++i)
      out.push_back({arguments.kwonlyargs[i], i < arguments.kw_defaults.size() ? arguments.kw_defaults[i] : nullptr, 2});
    if (arguments.kwarg != nullptr) out.push_back({arguments.kwarg, nullptr, 3});
    return out;
  }
  bool parameters(const Arguments& p, const Arguments& c, Continuation k, int depth) {
    const auto ps = flatten(p);
    const auto cs = flatten(c);
    return parameter_sequence(ps, 0, cs, 0, k, depth);
  }
  bool parameter_sequence(const std::vector<Parameter>& p, std::size_t i, const std::vector<Parameter>& c,
                          std::size_t j, Continuation k, int depth) {
    if (i == p.size()) return j == c.size() ? k() : false;
    if (p[i].arg->arg == "...") {
      for (std::size_t next = j; next <= c.size(); ++next)
        if (parameter_sequence(p, i + 1, c, next, k, depth)) return true;
      return false;
    }
    if (j >= c.size()) return false;
    const Parameter& a = p[i];
    const Parameter& b = c[j];
    if (a.kind != b.kind && !(a.kind == 0 && b.kind == 2)) return false;
    return identifier(a.arg->arg, b.arg->arg, b.arg->start, [&] {
      const auto after_default = [&] { return parameter_sequence(p, i + 1, c, j + 1, k, depth); };
      const auto after_annotation = [&] {
        if (a.default_value == nullptr) return after_default();
        return expr(a.default_value, b.default_value, after_default, depth + 1);
      };
      if (a.arg->annotation == nullptr) return after_annotation();
      return expr(a.arg->annotation, b.arg->annotation, after_annotation, depth + 1);
    });
  }

  // A decorator pattern `@f(...)` also matches a bare `@f`.
  bool decorator(const Expr* p, const Expr* c, Continuation k, int depth) {
    if (const Expr* callee = bare_callee(p); callee != nullptr && c->kind != NodeKind::Call)
      return expr(callee, c, k, depth + 1);
    return expr(p, c, k, depth + 1);
  }

  // Every pattern decorator matches a distinct code decorator, in any order.
  bool decorators(NodeList<Expr> p, NodeList<Expr> c, std::size_t i, std::vector<bool>& used, Continuation k,
                  int depth) {
    if (i == p.size()) return k();
    for (std::size_t j = 0; j < c.size(); ++j) {
      if (used[j]) continue;
      used[j] = true;
      const bool stop = decorator(p[i], c[j], [&] { return decorators(p, c, i + 1, used, k, depth); }, depth);
      used[j] = false;
      if (stop) return true;
    }
    return false;
  }

  // ---- statements
  bool body(NodeList<Stmt> p, NodeList<Stmt> c, Continuation k, int depth) {
    if (p.size() == 1 && is_ellipsis_statement(p[0])) return k();
    if (depth > kMaxDepth) return false;
    // The pattern body matches the code body from its start (a leading `...` also reaches into
    // nested blocks); trailing code is allowed.
    return statements(p, 0, c, 0, 0, [&](std::size_t) { return k(); }, depth);
  }

  using EndContinuation = std::function<bool(std::size_t)>;

  // Matches pattern statements p[i..] against the block c from index j; `end` is the end offset of
  // the last statement matched so far. Calls done(end of match).
  bool statements(NodeList<Stmt> p, std::size_t i, NodeList<Stmt> c, std::size_t j, std::size_t end,
                  const EndContinuation& done, int depth) {
    if (i == p.size()) return done(end);
    if (depth > kMaxDepth) return false;
    if (is_ellipsis_statement(p[i])) {
      if (i + 1 == p.size()) return done(c.empty() ? end : std::max<std::size_t>(end, c.back()->end));
      for (std::size_t next = j; next <= c.size(); ++next)
        if (statements(p, i + 1, c, next, end, done, depth + 1)) return true;
      // The statement after `...` may also be found inside a nested block.
      for (std::size_t next = j; next < c.size(); ++next) {
        bool stop = false;
        for_each_descendant_block(*c[next], [&](NodeList<Stmt> nested) {
          for (std::size_t start = 0; !stop && start < nested.size(); ++start)
            stop = statements(p, i + 1, nested, start, end, done, depth + 1);
        });
        if (stop) return true;
      }
      return false;
    }
    if (j >= c.size()) return false;
    return stmt(p[i], c[j], [&] { return statements(p, i + 1, c, j + 1, c[j]->end, done, depth + 1); }, depth);
  }

  bool stmt(const Stmt* p, const Stmt* c, Continuation k, int depth) {
    if (depth > kMaxDepth) return false;
    const auto sub = [&](const Expr* a, const Expr* b, Continuation next) { return expr(a, b, next, depth + 1); };
    const auto block = [&](NodeList<Stmt> a, NodeList<Stmt> b, Continuation next) {
      return body(a, b, next, depth + 1);
    };
    const auto optional_else = [&](NodeList<Stmt> a, NodeList<Stmt> b, Continuation next) {
      return a.empty() ? next() : block(a, b, next);
    };
    if (const auto* expression = dyn_cast<ExprStmt>(p)) {
      if (const Name* mv = metavariable(expression->value); mv != nullptr && c->kind != NodeKind::ExprStmt)
        return bind(mv->id, binding_of(*c), k);
      if (const auto* code = dyn_cast<ExprStmt>(c); code != nullptr && sub(expression->value, code->value, k))
        return true;
      return deep_statement(expression->value, *c, k, depth);
    }
    if (p->kind == NodeKind::Assign && c->kind == NodeKind::AnnAssign) {
      const auto* a = static_cast<const Assign*>(p);
      const auto* b = static_cast<const AnnAssign*>(c);
      if (a->targets.size() != 1 || b->value == nullptr) return false;
      return sub(a->targets[0], b->target, [&] { return sub(a->value, b->value, k); });
    }
    if (p->kind == NodeKind::Import && c->kind == NodeKind::ImportFrom) {
      // `import xml` also matches `from xml.etree import ElementTree`.
      const auto& names = static_cast<const Import*>(p)->names;
      const auto* b = static_cast<const ImportFrom*>(c);
      if (names.size() != 1 || !names[0]->asname.empty() || b->level != 0) return false;
      if (within_module(names[0]->name, b->module)) return k();
      // `import a.b.c` also matches `from a.b import c`.
      const std::string_view wanted = names[0]->name;
      const bool imported = wanted.size() > b->module.size() + 1 && wanted.starts_with(b->module) &&
                            wanted[b->module.size()] == '.' &&
                            std::ranges::any_of(b->names, [&](const Alias* alias) {
                              return alias->name == wanted.substr(b->module.size() + 1);
                            });
      return imported ? k() : false;
    }
    // `def` also matches `async def`; `async def` only itself.
    const bool function_kinds = p->kind == NodeKind::FunctionDef && c->kind == NodeKind::AsyncFunctionDef;
    if (p->kind != c->kind && !function_kinds) return false;
    switch (p->kind) {
      case NodeKind::Assign: {
        const auto* a = static_cast<const Assign*>(p);
        const auto* b = static_cast<const Assign*>(c);
        if (a->targets.size() != b->targets.size()) return false;
        return pairwise(a->targets, b->targets, 0, [&] { return sub(a->value, b->value, k); }, depth);
      }
      case NodeKind::AugAssign: {
        const auto* a = static_cast<const AugAssign*>(p);
        const auto* b = static_cast<const AugAssign*>(c);
        if (a->op != b->op) return false;
        return sub(a->target, b->target, [&] { return sub(a->value, b->value, k); });
      }
      case NodeKind::AnnAssign: {
        const auto* a = static_cast<const AnnAssign*>(p);
        const auto* b = static_cast<const AnnAssign*>(c);
        return sub(a->target, b->target, [&] {
          return sub(a->annotation, b->annotation, [&] { return a->value == nullptr ? k() : sub(a->value, b->value, k); });
        });
      }
      case NodeKind::Return: return sub(static_cast<const Return*>(p)->value, static_cast<const Return*>(c)->value, k);
      case NodeKind::Delete:
        return sequence(static_cast<const Delete*>(p)->targets, 0, static_cast<const Delete*>(c)->targets, 0, k, depth);
      case NodeKind::Raise: {
        const auto* a = static_cast<const Raise*>(p);
        const auto* b = static_cast<const Raise*>(c);
        return sub(a->exc, b->exc, [&] { return a->cause == nullptr ? k() : sub(a->cause, b->cause, k); });
      }
      case NodeKind::Assert: {
        const auto* a = static_cast<const Assert*>(p);
        const auto* b = static_cast<const Assert*>(c);
        return sub(a->test, b->test, [&] { return a->msg == nullptr ? k() : sub(a->msg, b->msg, k); });
      }
      case NodeKind::If: {
        const auto* a = static_cast<const If*>(p);
        const auto* b = static_cast<const If*>(c);
        return sub(a->test, b->test, [&] { return block(a->body, b->body, [&] { return optional_else(a->orelse, b->orelse, k); }); });
      }
      case NodeKind::While: {
        const auto* a = static_cast<const While*>(p);
        const auto* b = static_cast<const While*>(c);
        return sub(a->test, b->test, [&] { return block(a->body, b->body, [&] { return optional_else(a->orelse, b->orelse, k); }); });
      }
      case NodeKind::For: return for_loop(*static_cast<const For*>(p), *static_cast<const For*>(c), k, depth);
      case NodeKind::AsyncFor:
        return for_loop(*static_cast<const AsyncFor*>(p), *static_cast<const AsyncFor*>(c), k, depth);
      case NodeKind::With: return with(*static_cast<const With*>(p), *static_cast<const With*>(c), k, depth);
      case NodeKind::AsyncWith:
        return with(*static_cast<const AsyncWith*>(p), *static_cast<const AsyncWith*>(c), k, depth);
      case NodeKind::FunctionDef:
      case NodeKind::AsyncFunctionDef: {
        const auto with_code = [&](const auto& a) {
          if (c->kind == NodeKind::FunctionDef) return function(a, *static_cast<const FunctionDef*>(c), k, depth);
          return function(a, *static_cast<const AsyncFunctionDef*>(c), k, depth);
        };
        if (p->kind == NodeKind::FunctionDef) return with_code(*static_cast<const FunctionDef*>(p));
        return with_code(*static_cast<const AsyncFunctionDef*>(p));
      }
      case NodeKind::ClassDef: {
        const auto* a = static_cast<const ClassDef*>(p);
        const auto* b = static_cast<const ClassDef*>(c);
        const std::size_t name_at = identifier_offset(*b, b->name, b->decorator_list.empty() ? b->start : b->decorator_list.back()->end);
        return identifier(a->name, b->name, name_at, [&] {
          const auto rest = [&] {
            std::vector<bool> used(b->decorator_list.size(), false);
            return decorators(a->decorator_list, b->decorator_list, 0, used, [&] { return body(a->body, b->body, k, depth + 1); }, depth);
          };
          if (a->bases.empty() && a->keywords.empty()) return rest();
          return sequence(a->bases, 0, b->bases, 0, rest, depth);
        });
      }
      case NodeKind::Import: return aliases(static_cast<const Import*>(p)->names, static_cast<const Import*>(c)->names, 0, k);
      case NodeKind::ImportFrom: {
        const auto* a = static_cast<const ImportFrom*>(p);
        const auto* b = static_cast<const ImportFrom*>(c);
        if (a->level != b->level) return false;
        return identifier(a->module, b->module, b->start, [&] { return aliases(a->names, b->names, 0, k); });
      }
      case NodeKind::Try: return try_statement(*static_cast<const Try*>(p), *static_cast<const Try*>(c), k, depth);
      case NodeKind::TryStar:
        return try_statement(*static_cast<const TryStar*>(p), *static_cast<const TryStar*>(c), k, depth);
      case NodeKind::Global:
        return std::ranges::equal(static_cast<const Global*>(p)->names, static_cast<const Global*>(c)->names) ? k() : false;
      case NodeKind::Nonlocal:
        return std::ranges::equal(static_cast<const Nonlocal*>(p)->names, static_cast<const Nonlocal*>(c)->names) ? k()
                                                                                                                  : false;
      case NodeKind::Pass:
      case NodeKind::Break:
      case NodeKind::Continue: return k();
      default: return false;
    }
  }

  bool else_block(NodeList<Stmt> a, NodeList<Stmt> b, Continuation k, int depth) {
    return a.empty() ? k() : body(a, b, k, depth + 1);
  }

  template <typename Loop>
  bool for_loop(const Loop& a, const Loop& b, Continuation k, int depth) {
    return expr(a.target, b.target, [&] {
      return expr(a.iter, b.iter, [&] {
        return body(a.body, b.body, [&] { return else_block(a.orelse, b.orelse, k, depth); }, depth + 1);
      }, depth + 1);
    }, depth + 1);
  }

  template <typename WithStatement>
  bool with(const WithStatement& a, const WithStatement& b, Continuation k, int depth) {
    return with_items(a.items, b.items, 0, [&] { return body(a.body, b.body, k, depth + 1); }, depth);
  }

  template <typename PatternDef, typename CodeDef>
  bool function(const PatternDef& a, const CodeDef& b, Continuation k, int depth) {
    const std::size_t name_at =
        identifier_offset(b, b.name, b.decorator_list.empty() ? b.start : b.decorator_list.back()->end);
    return identifier(a.name, b.name, name_at, [&] {
      return parameters(*a.args, *b.args, [&] {
        const auto rest = [&] {
          const auto after_returns = [&] { return body(a.body, b.body, k, depth + 1); };
          return a.returns == nullptr ? after_returns() : expr(a.returns, b.returns, after_returns, depth + 1);
        };
        std::vector<bool> used(b.decorator_list.size(), false);
        return decorators(a.decorator_list, b.decorator_list, 0, used, rest, depth);
      }, depth);
    });
  }

  template <typename TryStatement>
  bool try_statement(const TryStatement& a, const TryStatement& b, Continuation k, int depth) {
    return body(a.body, b.body, [&] {
      return handlers(a.handlers, b.handlers, 0, [&] {
        return else_block(a.orelse, b.orelse, [&] { return else_block(a.finalbody, b.finalbody, k, depth); }, depth);
      }, depth);
    }, depth + 1);
  }

  // An expression-statement pattern also matches a simple statement (assignment, return, ...) whose
  // expressions contain a match, as Semgrep's deep statement matching does.
  bool deep_statement(const Expr* p, const Stmt& c, Continuation k, int depth) {
    switch (c.kind) {
      case NodeKind::ExprStmt:
      case NodeKind::Assign:
      case NodeKind::AugAssign:
      case NodeKind::AnnAssign:
      case NodeKind::Return:
      case NodeKind::Raise:
      case NodeKind::Assert:
      case NodeKind::Delete: break;
      default: return false;
    }
    bool stop = false;
    for_each_child(c, [&](const Node& child) {
      if (stop || !is_expr(child.kind)) return;
      walk(child, [&](const Node& inner) {
        if (stop) return false;
        if (&inner == &child && c.kind == NodeKind::ExprStmt) return true;  // tried directly already
        if (is_expr(inner.kind) && expr(p, static_cast<const Expr*>(&inner), k, depth + 1)) stop = true;
        return !stop;
      });
    });
    return stop;
  }

  bool with_items(NodeList<WithItem> p, NodeList<WithItem> c, std::size_t i, Continuation k, int depth) {
    if (i == p.size()) return i == c.size() ? k() : false;
    if (i >= c.size()) return false;
    const WithItem& a = *p[i];
    const WithItem& b = *c[i];
    return expr(a.context_expr, b.context_expr, [&] {
      const auto rest = [&] { return with_items(p, c, i + 1, k, depth); };
      if (a.optional_vars == nullptr) return rest();
      // `as ...` needs an `as`.
      return b.optional_vars != nullptr && expr(a.optional_vars, b.optional_vars, rest, depth + 1);
    }, depth + 1);
  }

  bool handlers(NodeList<ExceptHandler> p, NodeList<ExceptHandler> c, std::size_t i, Continuation k, int depth) {
    if (i == p.size()) return k();
    for (std::size_t j = 0; j < c.size(); ++j) {
      const ExceptHandler& a = *p[i];
      const ExceptHandler& b = *c[j];
      const auto handler_body = [&] {
        return body(a.body, b.body, [&] { return handlers(p, c, i + 1, k, depth); }, depth + 1);
      };
      // `except ...:` also matches a bare `except:`.
      const bool stop = expr(a.type, b.type, handler_body, depth + 1);
      if (stop) return true;
    }
    return false;
  }

  // Every pattern alias is among the code's imported names (a subset; `...` entries are ignored).
  bool aliases(NodeList<Alias> p, NodeList<Alias> c, std::size_t i, Continuation k) {
    if (i == p.size()) return k();
    const Alias& a = *p[i];
    if (a.name == "...") return aliases(p, c, i + 1, k);
    for (const Alias* b : c) {
      // `import xmlrpc` also matches `import xmlrpc.server`.
      const bool submodule = a.asname.empty() && !is_metavariable(a.name) && b->name != a.name &&
                             within_module(a.name, b->name);
      const bool stop = submodule ? aliases(p, c, i + 1, k) : identifier(a.name, b->name, b->start, [&] {
        if (a.asname.empty()) return aliases(p, c, i + 1, k);
        return identifier(a.asname, b->asname, b->end - b->asname.size(), [&] { return aliases(p, c, i + 1, k); });
      });
      if (stop) return true;
    }
    return false;
  }

 private:
  const CompiledPattern::Impl& pattern_;
  const FileContext& file_;
};

NodeList<Expr> decorators_of(const Stmt& stmt) {
  if (const auto* function = dyn_cast<FunctionDef>(&stmt)) return function->decorator_list;
  if (const auto* function = dyn_cast<AsyncFunctionDef>(&stmt)) return function->decorator_list;
  if (const auto* klass = dyn_cast<ClassDef>(&stmt)) return klass->decorator_list;
  return {};
}

// A decorated definition's range starts at its first decorator, as Semgrep reports it.
std::size_t decorated_start(const Stmt& stmt) {
  const NodeList<Expr> decorators = decorators_of(stmt);
  if (decorators.empty()) return stmt.start;
  // The decorator expression starts after its '@'.
  return std::min<std::size_t>(stmt.start, decorators.front()->start - 1);
}

bool within(const Node& node, Span window) { return node.start >= window.start && node.end <= window.end; }

// For the rewriters of pattern text below: copies text[i] when it lies inside a string literal
// (an escape brings the next character along) and returns true; otherwise notes an opening quote
// and returns false, leaving the character to the caller.
bool copied_inside_string(std::string_view text, std::size_t& i, char& quote, std::string& out) {
  const char c = text[i];
  if (quote == 0) {
    if (c == '"' || c == '\'') quote = c;
    return false;
  }
  out += c;
  if (c == '\\' && i + 1 < text.size()) out += text[++i];
  else if (c == quote) quote = 0;
  return true;
}

// Rewrites, outside string literals, `. ...` (a chain) into `.__moat_chain__` and drops `, ...`
// at the end of import lists (import patterns match a subset of names anyway).
std::string rewrite_pattern(std::string_view text) {
  std::string out;
  char quote = 0;
  struct Bracket {
    char open;
    bool keyword_seen;
  };
  std::vector<Bracket> brackets;
  const auto previous_significant = [&out]() -> char {
    for (auto it = out.rbegin(); it != out.rend(); ++it)
      if (*it != ' ' && *it != '\t' && *it != '\n') return *it;
    return '\0';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (copied_inside_string(text, i, quote, out)) continue;
    if (c == '(' || c == '[' || c == '{') brackets.push_back({c, false});
    else if ((c == ')' || c == ']' || c == '}') && !brackets.empty()) brackets.pop_back();
    else if (c == '=' && !brackets.empty() && brackets.back().open == '(' && i + 1 < text.size() &&
             text[i + 1] != '=' && std::string_view("=!<>").find(previous_significant()) == std::string_view::npos)
      brackets.back().keyword_seen = true;
    if (text.substr(i).starts_with("...") && !brackets.empty()) {
      std::size_t after = i + 3;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      const char next = after < text.size() ? text[after] : '\0';
      const char before = previous_significant();
      const bool item = (before == '(' || before == ',' || before == '{') && (next == ',' || next == ')' || next == '}');
      const Bracket& top = brackets.back();
      if (item && (top.open == '{' || (top.open == '(' && top.keyword_seen))) {
        out += "**";
        out += kEllipsisMarker;
        i += 2;
        continue;
      }
    }
    if (text.substr(i).starts_with("for ...")) {
      std::size_t after = i + 7;
      if (after < text.size() && (text[after] == ' ' || text[after] == '\t')) {
        out += "for ";
        out += kEllipsisMarker;
        i += 6;
        continue;
      }
    }
    if (c == '.' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) {
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      const bool chain = text.substr(j).starts_with("...") &&
                         (j + 3 >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[j + 3])) ||
                                                    text[j + 3] == '_' || text[j + 3] == '.'));
      if (chain) {
        out += ".";
        out += kChainMarker;
        i = j + 2;
        continue;
      }
    }
    if (c == ',') {
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      const std::size_t line_start = out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1;
      const bool import_list = out.find("import ", line_start) != std::string::npos;
      if (import_list && text.substr(j).starts_with("...") && (j + 3 >= text.size() || text[j + 3] == '\n')) {
        i = j + 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

struct TypedMetavariable {
  std::size_t offset;  // of the `$X` in the rewritten pattern
  std::string type;
};

// Rewrites typed metavariables `$X: int` standing as a call argument or in parentheses into `$X`,
// recording each one's type. A `:` after a metavariable elsewhere (dict entry, lambda, slice,
// annotation) is left alone.
std::string strip_metavariable_types(std::string_view text, std::vector<TypedMetavariable>& typed) {
  std::string out;
  char quote = 0;
  std::vector<bool> parentheses;  // per open bracket: true for `(` not opening a def's parameters
  const auto word_before = [&out](std::size_t end) {
    while (end > 0 && (out[end - 1] == ' ' || out[end - 1] == '\t')) --end;
    std::size_t start = end;
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(out[start - 1])) || out[start - 1] == '_' ||
                         out[start - 1] == '$'))
      --start;
    return std::pair{start, std::string_view(out).substr(start, end - start)};
  };
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (copied_inside_string(text, i, quote, out)) continue;
    if (c == '(') {
      const auto [name_start, name] = word_before(out.size());
      parentheses.push_back(name.empty() || word_before(name_start).second != "def");
    } else if (c == '[' || c == '{') {
      parentheses.push_back(false);
    } else if ((c == ')' || c == ']' || c == '}') && !parentheses.empty()) {
      parentheses.pop_back();
    } else if (c == ':' && !parentheses.empty() && parentheses.back()) {
      const auto [start, name] = word_before(out.size());
      std::size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      std::size_t end = j;
      while (end < text.size() && (is_word(text[end]) || text[end] == '.')) ++end;
      std::size_t after = end;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      if (is_metavariable(name) && end > j && after < text.size() && (text[after] == ',' || text[after] == ')')) {
        typed.push_back({start, std::string(text.substr(j, end - j))});
        out.erase(start + name.size());
        i = end - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

void collect_words(const ParseResult& parsed, std::vector<std::string>& words) {
  std::unordered_set<std::string> seen;
  const auto add = [&](std::string_view word) {
    if (word.empty() || word == "..." || word == kChainMarker || word == kEllipsisMarker || word.starts_with('$'))
      return;
    if (seen.emplace(word).second) words.emplace_back(word);
  };
  const Node* root = parsed.expression() != nullptr ? static_cast<const Node*>(parsed.expression())
                                                    : static_cast<const Node*>(&parsed.module());
  walk(*root, [&](const Node& node) {
    if (node.kind == NodeKind::DeepEllipsis) return true;
    if (const auto* name = dyn_cast<Name>(&node)) add(name->id);
    else if (const auto* attribute = dyn_cast<Attribute>(&node)) add(attribute->attr);
    else if (const auto* keyword = dyn_cast<Keyword>(&node)) add(keyword->arg);
    return true;
  });
}

}  // namespace

CompiledPattern::~CompiledPattern() = default;

Result<std::shared_ptr<const CompiledPattern>> CompiledPattern::compile(std::string_view text) {
  std::string source(text);
  // A standalone decorator (`@app.route(...)`) matches as the expression it applies.
  std::string_view trimmed = text;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);
  if (trimmed.starts_with('@') && trimmed.find('\n') == std::string_view::npos) source = std::string(trimmed.substr(1));

  python::ParseOptions options;
  options.patterns = true;
  auto impl = std::make_unique<Impl>(Impl{parse_pattern(source, options), nullptr, {}, false, false, {}, {}, {}});
  if (!impl->parsed.ok()) {
    // Pattern forms the parser does not know: `X. ...` chains, `import a, ...` lists and typed
    // metavariables.
    std::vector<TypedMetavariable> typed;
    const std::string rewritten = rewrite_pattern(source);
    const std::string untyped = strip_metavariable_types(rewritten, typed);
    for (const std::string_view retry_source : {std::string_view(rewritten), std::string_view(untyped)}) {
      if (retry_source == source) continue;
      auto retry = std::make_unique<Impl>(Impl{parse_pattern(retry_source, options), nullptr, {}, false, false, {}, {}, {}});
      if (!retry->parsed.ok()) continue;
      impl = std::move(retry);
      if (retry_source == rewritten) typed.clear();  // the types were not needed
      break;
    }
    if (impl->parsed.ok() && !typed.empty()) {
      const auto* root = static_cast<const Node*>(impl->parsed.expression());
      if (root == nullptr) root = &impl->parsed.module();
      walk(*root, [&](const Node& node) {
        if (const Name* name = metavariable(&node))
          for (const auto& [offset, type] : typed)
            if (offset == name->start) impl->metavariable_types.emplace(name, type);
        return true;
      });
    }
  }
  if (!impl->parsed.ok()) {
    const auto& error = impl->parsed.errors().front();
    return fail("", error.message + " (pattern line " + std::to_string(error.line) + ", column " +
                        std::to_string(error.column) + ")");
  }
  impl->expression = impl->parsed.expression();
  if (impl->expression == nullptr) {
    const auto& body = impl->parsed.module().body;
    if (body.empty()) return fail("", "empty pattern");
    std::size_t first = 0;
    if (is_ellipsis_statement(body[0]) && body.size() > 1) {
      impl->leading_ellipsis = true;
      first = 1;
    }
    impl->statements.assign(body.begin() + static_cast<std::ptrdiff_t>(first), body.end());
    if (impl->statements.size() == 1) {
      if (const auto* expression = dyn_cast<ExprStmt>(impl->statements[0])) {
        impl->expression = expression->value;
        impl->statements.clear();
      }
    }
  }
  if (impl->expression != nullptr && is_ellipsis(impl->expression)) impl->any_statement = true;
  // Compile string patterns with regexes or `...`/`$X` inside.
  const Node* root = impl->expression != nullptr ? static_cast<const Node*>(impl->expression)
                                                 : static_cast<const Node*>(&impl->parsed.module());
  std::optional<Error> regex_error;
  walk(*root, [&](const Node& node) {
    const auto* constant = dyn_cast<Constant>(&node);
    if (constant == nullptr || !constant->value.is_string()) return true;
    const std::string_view content = constant->value.text;
    std::optional<std::string> regex;
    if (content.starts_with("=~/") && content.size() >= 4) {
      const std::size_t close = content.rfind('/');
      std::string flags(content.substr(close + 1));
      regex = (flags.find('i') != std::string::npos ? "(?i)" : "") + std::string(content.substr(3, close - 3));
    } else if (content != "..." && !is_metavariable(content)) {
      regex = string_template_regex(content);
    }
    if (!regex) return true;
    auto compiled = Regex::compile(*regex);
    if (!compiled) regex_error = compiled.error();
    else impl->string_regexes.emplace(&node, std::move(*compiled));
    return true;
  });
  if (regex_error) return std::unexpected(*regex_error);
  collect_words(impl->parsed, impl->required_words);
  std::shared_ptr<CompiledPattern> pattern(new CompiledPattern());
  pattern->text_ = std::string(text);
  pattern->impl_ = std::move(impl);
  return pattern;
}

bool CompiledPattern::may_match(const FileContext& file) const {
  return file.parsed() != nullptr && std::ranges::all_of(impl_->required_words, [&](const std::string& word) {
    return file.trigrams().may_contain(word);
  });
}

std::string_view CompiledPattern::lone_metavariable() const {
  std::string_view name;
  if (const Name* bare = metavariable(impl_->expression)) {
    name = bare->id;
  } else if (const auto* string = dyn_cast<Constant>(impl_->expression); string != nullptr && string->value.is_string()) {
    // `"$X"` binds the content of each string (or the name holding one), inside the expression.
    name = raw_string_content(impl_->parsed.text(*string)).value_or(string->value.text);
    if (!is_metavariable(name)) name = {};
  }
  return name == "$_" || name.starts_with("$...") ? std::string_view{} : name;
}

void CompiledPattern::find(const FileContext& file, Span window, std::vector<RangeMatch>& out,
                           const SpanSet* must_contain) const {
  if (!may_match(file)) return;
  if (must_contain != nullptr && must_contain->empty()) return;
  const auto wanted = [&](Span span) { return must_contain == nullptr || must_contain->any_inside(span); };
  Matcher matcher(*impl_, file);
  std::size_t found = 0;
  const auto record = [&](Span span) {
    if (!wanted(span)) return false;
    out.push_back({span, matcher.env, RangeMatch::Kind::plain});
    return ++found >= kMaxMatchesPerPattern;
  };

  std::vector<const Node*> scratch;
  if (impl_->any_statement) {
    for (const Node* node : file.nodes_within(file.statements(), window, scratch))
      if (record({node->start, node->end})) return;
    // Inside an expression (a metavariable-pattern's window), `...` matches its expressions.
    if (found == 0)
      for (const Node* node : file.nodes_within(file.expressions(), window, scratch))
        if (record({node->start, node->end})) return;
    return;
  }
  if (impl_->expression != nullptr) {
    const Expr* pattern = impl_->expression;
    // Candidates: nodes of the pattern's kind; any expression for metavariables and deep patterns.
    NodeKind kind = pattern->kind;
    if (const auto* attribute = dyn_cast<Attribute>(pattern); attribute != nullptr && is_ellipsis(attribute->value))
      kind = NodeKind::Module;  // `....x` also matches a bare name
    const bool dotted = kind == NodeKind::Attribute || kind == NodeKind::Name;
    const bool constant = kind == NodeKind::Constant;
    const auto& candidates = metavariable(pattern) != nullptr || kind == NodeKind::DeepEllipsis ||
                                     kind == NodeKind::Module || dotted || constant
                                 ? file.expressions()
                                 : file.nodes_of(kind);
    for (const Node* node : file.nodes_within(candidates, window, scratch)) {
      if (!wanted({node->start, node->end})) continue;  // every match here has the node's span
      const auto* expression = static_cast<const Expr*>(node);
      const bool stop = matcher.expr(pattern, expression, [&] { return record({node->start, node->end}); });
      if (stop) return;
    }
    // `f(...)` also matches a bare decorator `@f`, as Semgrep sees `@f` as a call.
    if (const Expr* callee = bare_callee(pattern)) {
      for (const NodeKind definition : {NodeKind::FunctionDef, NodeKind::AsyncFunctionDef, NodeKind::ClassDef})
        for (const Node* node : file.nodes_of(definition))
          for (const Expr* decorator : decorators_of(static_cast<const Stmt&>(*node))) {
            if (decorator->kind == NodeKind::Call || !within(*decorator, window)) continue;
            if (matcher.expr(callee, decorator, [&] { return record({decorator->start, decorator->end}); })) return;
          }
    }
    return;
  }
  const NodeList<Stmt> pattern(impl_->statements.data(), impl_->statements.size());
  for (const auto& block : file.blocks()) {
    for (std::size_t start = 0; start < block.size(); ++start) {
      const Stmt* first = block[start];
      if (!within(*first, window)) continue;
      const std::size_t begin = decorated_start(*first);
      const bool stop = matcher.statements(pattern, 0, block, start, first->end, [&](std::size_t end) {
        if (end > window.end) return false;
        return record({begin, end});
      }, 0);
      if (stop) return;
    }
  }
}

}  // namespace moat::pattern
