#include "moat/pattern/taint.hpp"

#include <algorithm>
#include <span>
#include <unordered_set>

#include "moat/pattern/evaluate.hpp"
#include "moat/python/visitor.hpp"

namespace moat::pattern {

using namespace moat::python;

namespace {

constexpr int kMaxDepth = 300;

std::vector<Span> spans_of(std::span<const Formula> formulas, const FileContext& file,
                           std::vector<RangeMatch::Kind>* kinds = nullptr, std::vector<Bindings>* bindings = nullptr) {
  std::vector<Span> spans;
  const Span whole{0, file.source().size()};
  for (const auto& formula : formulas)
    for (auto& match : evaluate(formula, file, whole)) {
      spans.push_back(match.span);
      if (kinds != nullptr) kinds->push_back(match.kind);
      if (bindings != nullptr) bindings->push_back(std::move(match.bindings));
    }
  return spans;
}

bool inside_any(const Node& node, const std::vector<Span>& spans) {
  return std::ranges::any_of(spans, [&](const Span& span) { return span.start <= node.start && node.end <= span.end; });
}

class Analysis {
 public:
  Analysis(const std::vector<Span>& sources, const std::vector<Span>& sanitizers)
      : sources_(sources), sanitizers_(sanitizers) {}

  std::vector<Span> tainted;  // every expression found tainted, in visit order

  // A function's parameters inside a source range (`focus-metavariable` on a parameter) start tainted.
  void scope(NodeList<Stmt> body, const Arguments* parameters = nullptr) {
    std::unordered_set<std::string_view> saved = std::move(variables_);
    const int saved_branch = branch_;
    variables_.clear();
    branch_ = 0;
    if (parameters != nullptr)
      walk(*parameters, [&](const Node& node) {
        const auto* parameter = dyn_cast<Arg>(&node);
        const auto name_end = static_cast<std::uint32_t>(node.start + (parameter ? parameter->arg.size() : 0));
        if (parameter != nullptr && std::ranges::any_of(sources_, [&](const Span& span) {
              return span.start <= node.start && name_end <= span.end;
            }))
          variables_.insert(parameter->arg);
        return !is_expr(node.kind);
      });
    block(body, 0);
    variables_ = std::move(saved);
    branch_ = saved_branch;
  }

 private:
  const std::vector<Span>& sources_;
  const std::vector<Span>& sanitizers_;
  std::unordered_set<std::string_view> variables_;
  int branch_ = 0;

  void block(NodeList<Stmt> body, int depth) {
    for (const Stmt* stmt : body) statement(*stmt, depth + 1);
  }

  void branch(NodeList<Stmt> body, int depth) {
    ++branch_;
    block(body, depth);
    --branch_;
  }

  void loop(NodeList<Stmt> body, int depth) {
    branch(body, depth);
    branch(body, depth);  // a second pass carries taint around the loop
  }

  void bind(const Expr* target, bool taint) {
    if (target == nullptr) return;
    if (const auto* name = dyn_cast<Name>(target)) {
      if (taint) variables_.insert(name->id);
      else if (branch_ == 0) variables_.erase(name->id);
      return;
    }
    if (const auto* tuple = dyn_cast<Tuple>(target)) {
      for (const Expr* element : tuple->elts) bind(element, taint);
    } else if (const auto* list = dyn_cast<List>(target)) {
      for (const Expr* element : list->elts) bind(element, taint);
    } else if (const auto* starred = dyn_cast<Starred>(target)) {
      bind(starred->value, taint);
    } else if (taint) {
      // `obj.attr = tainted` / `d[k] = tainted` taints the container variable.
      const Expr* base = target;
      while (true) {
        if (const auto* attribute = dyn_cast<Attribute>(base)) base = attribute->value;
        else if (const auto* subscript = dyn_cast<Subscript>(base)) base = subscript->value;
        else break;
      }
      if (const auto* name = dyn_cast<Name>(base)) variables_.insert(name->id);
    }
  }

  // Evaluates an expression: records every tainted sub-expression and returns whether it is tainted.
  bool expression(const Expr* expr, int depth) {
    if (expr == nullptr || depth > kMaxDepth) return false;
    bool taint = inside_any(*expr, sources_);
    if (const auto* name = dyn_cast<Name>(expr)) {
      taint = taint || (name->ctx == ExprContext::Load && variables_.contains(name->id));
    } else if (const auto* lambda = dyn_cast<Lambda>(expr)) {
      taint = expression(lambda->body, depth + 1) || taint;
    } else if (is_comprehension(*expr)) {
      taint = comprehension(*expr, depth) || taint;
    } else if (const auto* named = dyn_cast<NamedExpr>(expr)) {
      taint = expression(named->value, depth + 1) || taint;
      bind(named->target, taint);
    } else {
      for_each_child(*expr, [&](const Node& child) {
        if (is_expr(child.kind)) taint = expression(static_cast<const Expr*>(&child), depth + 1) || taint;
        else if (const auto* keyword = dyn_cast<Keyword>(&child)) taint = expression(keyword->value, depth + 1) || taint;
      });
    }
    if (taint && inside_any(*expr, sanitizers_)) taint = false;
    if (taint) tainted.push_back({expr->start, expr->end});
    return taint;
  }

  static bool is_comprehension(const Expr& expr) {
    return expr.kind == NodeKind::ListComp || expr.kind == NodeKind::SetComp || expr.kind == NodeKind::DictComp ||
           expr.kind == NodeKind::GeneratorExp;
  }

  bool comprehension(const Expr& expr, int depth) {
    bool taint = false;
    for_each_child(expr, [&](const Node& child) {
      if (const auto* generator = dyn_cast<Comprehension>(&child)) {
        const bool iter = expression(generator->iter, depth + 1);
        bind(generator->target, iter);
        taint = taint || iter;
        for (const Expr* condition : generator->ifs) expression(condition, depth + 1);
      }
    });
    for_each_child(expr, [&](const Node& child) {
      if (is_expr(child.kind)) taint = expression(static_cast<const Expr*>(&child), depth + 1) || taint;
    });
    return taint;
  }

  template <typename Loop>
  void for_loop(const Loop& loop_statement, int depth) {
    bind(loop_statement.target, expression(loop_statement.iter, depth));
    loop(loop_statement.body, depth);
    branch(loop_statement.orelse, depth);
  }

  template <typename WithStatement>
  void with(const WithStatement& statement, int depth) {
    for (const WithItem* item : statement.items) bind(item->optional_vars, expression(item->context_expr, depth));
    block(statement.body, depth);
  }

  template <typename TryStatement>
  void attempt(const TryStatement& statement, int depth) {
    block(statement.body, depth);
    for (const ExceptHandler* handler : statement.handlers) branch(handler->body, depth);
    branch(statement.orelse, depth);
    block(statement.finalbody, depth);
  }

  void statement(const Stmt& stmt, int depth) {
    if (depth > kMaxDepth) return;
    switch (stmt.kind) {
      case NodeKind::FunctionDef:
      case NodeKind::AsyncFunctionDef:
      case NodeKind::ClassDef:
        // Decorators and defaults run here; bodies are separate scopes (see match_taint).
        for_each_child(stmt, [&](const Node& child) {
          if (is_expr(child.kind)) expression(static_cast<const Expr*>(&child), depth + 1);
        });
        if (stmt.kind == NodeKind::ClassDef) block(static_cast<const ClassDef&>(stmt).body, depth);
        return;
      case NodeKind::Assign: {
        const auto& assign = static_cast<const Assign&>(stmt);
        const bool taint = expression(assign.value, depth);
        for (const Expr* target : assign.targets) {
          bind(target, taint);
          if (!dyn_cast<Name>(target)) expression(target, depth);
        }
        return;
      }
      case NodeKind::AugAssign: {
        const auto& assign = static_cast<const AugAssign&>(stmt);
        if (expression(assign.value, depth)) bind(assign.target, true);
        return;
      }
      case NodeKind::AnnAssign: {
        const auto& assign = static_cast<const AnnAssign&>(stmt);
        if (assign.value != nullptr) bind(assign.target, expression(assign.value, depth));
        return;
      }
      case NodeKind::For: return for_loop(static_cast<const For&>(stmt), depth);
      case NodeKind::AsyncFor: return for_loop(static_cast<const AsyncFor&>(stmt), depth);
      case NodeKind::While: {
        const auto& loop_statement = static_cast<const While&>(stmt);
        expression(loop_statement.test, depth);
        loop(loop_statement.body, depth);
        branch(loop_statement.orelse, depth);
        return;
      }
      case NodeKind::If: {
        const auto& condition = static_cast<const If&>(stmt);
        expression(condition.test, depth);
        branch(condition.body, depth);
        branch(condition.orelse, depth);
        return;
      }
      case NodeKind::With: return with(static_cast<const With&>(stmt), depth);
      case NodeKind::AsyncWith: return with(static_cast<const AsyncWith&>(stmt), depth);
      case NodeKind::Try: return attempt(static_cast<const Try&>(stmt), depth);
      case NodeKind::TryStar: return attempt(static_cast<const TryStar&>(stmt), depth);
      case NodeKind::Match: {
        const auto& match = static_cast<const Match&>(stmt);
        expression(match.subject, depth);
        for (const MatchCase* match_case : match.cases) branch(match_case->body, depth);
        return;
      }
      default:
        for_each_child(stmt, [&](const Node& child) {
          if (is_expr(child.kind)) expression(static_cast<const Expr*>(&child), depth + 1);
        });
        return;
    }
  }
};

}  // namespace

std::vector<RangeMatch> match_taint(const Rule& rule, const FileContext& file) {
  std::vector<RangeMatch> findings;
  if (file.parsed() == nullptr) return findings;
  const auto may_match_any = [&](const std::vector<Formula>& formulas) {
    return std::ranges::any_of(formulas, [&](const Formula& formula) { return may_match(formula, file); });
  };
  if (!may_match_any(rule.sources) || !may_match_any(rule.sinks)) return findings;
  const std::vector<Span> sources = spans_of(rule.sources, file);
  if (sources.empty()) return findings;
  std::vector<RangeMatch::Kind> sink_kinds;
  std::vector<Bindings> sink_bindings;
  const std::vector<Span> sinks = spans_of(rule.sinks, file, &sink_kinds, &sink_bindings);
  if (sinks.empty()) return findings;
  std::vector<Span> sanitizers;
  for (const auto& sanitizer : rule.sanitizers) {
    std::vector<Span> spans = spans_of(std::span<const Formula>(&sanitizer, 1), file);
    // A `not_conflicting` sanitizer does not apply to what is also a source or a sink.
    if (sanitizer.not_conflicting)
      std::erase_if(spans, [&](const Span& span) {
        return std::ranges::find(sources, span) != sources.end() || std::ranges::find(sinks, span) != sinks.end();
      });
    sanitizers.insert(sanitizers.end(), spans.begin(), spans.end());
  }

  Analysis analysis(sources, sanitizers);
  analysis.scope(file.parsed()->module().body);
  for (const Node* node : file.nodes_of(NodeKind::FunctionDef)) {
    const auto* function = static_cast<const FunctionDef*>(node);
    analysis.scope(function->body, function->args);
  }
  for (const Node* node : file.nodes_of(NodeKind::AsyncFunctionDef)) {
    const auto* function = static_cast<const AsyncFunctionDef*>(node);
    analysis.scope(function->body, function->args);
  }

  std::vector<Span> tainted = std::move(analysis.tainted);
  std::ranges::sort(tainted, [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    const Span& sink = sinks[i];
    auto it = std::ranges::lower_bound(tainted, sink.start, {}, &Span::start);
    for (; it != tainted.end() && it->start < sink.end; ++it) {
      if (it->end > sink.end) continue;
      const Span reported = sink_kinds[i] == RangeMatch::Kind::inside ? *it : sink;
      findings.push_back({reported, sink_bindings[i], RangeMatch::Kind::plain});
      break;
    }
  }
  return findings;
}

}  // namespace moat::pattern
