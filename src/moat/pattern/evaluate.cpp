#include "moat/pattern/evaluate.hpp"

#include <algorithm>
#include <numeric>
#include <optional>

#include "moat/pattern/analysis.hpp"
#include "moat/pattern/comparison.hpp"

namespace moat::pattern {

namespace {

constexpr std::size_t kMaxRanges = 100'000;  // bound memory on adversarial files

RangeMatch left_merge(const RangeMatch& left, const RangeMatch& right) {
  RangeMatch merged = left;
  for (const auto& [name, binding] : right.bindings)
    if (find_binding(merged.bindings, name) == nullptr) merged.bindings.emplace_back(name, binding);
  return merged;
}

// Ranges ordered by start with the running maximum of their ends, so that the ranges containing a
// span, or contained in it, are found without comparing every pair (intersections and differences
// of thousands of ranges per file stay near linear).
class SpanIndex {
 public:
  explicit SpanIndex(const std::vector<RangeMatch>& ranges) : ranges_(ranges), order_(ranges.size()) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::ranges::stable_sort(order_, {}, [&](std::size_t i) { return ranges[i].span.start; });
    max_end_.reserve(order_.size());
    for (const std::size_t i : order_) max_end_.push_back(std::max(max_end_.empty() ? 0 : max_end_.back(), ranges[i].span.end));
  }

  /// The indices of the ranges whose span contains `span`, in their original order.
  std::vector<std::size_t> containing(Span span) const {
    std::vector<std::size_t> found;
    std::size_t k = first_starting_after(span.start);
    while (k-- > 0 && max_end_[k] >= span.end)
      if (ranges_[order_[k]].span.end >= span.end) found.push_back(order_[k]);
    std::ranges::sort(found);
    return found;
  }

  /// True when some range contained in `span` satisfies `test`.
  template <typename Test>
  bool any_inside(Span span, const Test& test) const {
    for (std::size_t k = first_starting_at_or_after(span.start); k < order_.size(); ++k) {
      const RangeMatch& range = ranges_[order_[k]];
      if (range.span.start > span.end) break;
      if (range.span.end <= span.end && test(range)) return true;
    }
    return false;
  }

 private:
  std::size_t first_starting_after(std::size_t offset) const {
    return static_cast<std::size_t>(std::ranges::upper_bound(order_, offset, {}, [&](std::size_t i) {
      return ranges_[i].span.start;
    }) - order_.begin());
  }
  std::size_t first_starting_at_or_after(std::size_t offset) const {
    return static_cast<std::size_t>(std::ranges::lower_bound(order_, offset, {}, [&](std::size_t i) {
      return ranges_[i].span.start;
    }) - order_.begin());
  }

  const std::vector<RangeMatch>& ranges_;
  std::vector<std::size_t> order_;    // indices by start
  std::vector<std::size_t> max_end_;  // largest end among order_[0..k]
};

// Semgrep's intersection: keep each range included in a range of the other side (an Inside range
// only survives inside another Inside one), merging metavariables.
std::vector<RangeMatch> intersect(const std::vector<RangeMatch>& xs, const std::vector<RangeMatch>& ys) {
  std::vector<RangeMatch> out;
  const auto left_included = [&out](const std::vector<RangeMatch>& us, const std::vector<RangeMatch>& vs) {
    const SpanIndex index(vs);
    for (const auto& u : us)
      for (const std::size_t j : index.containing(u.span)) {
        const RangeMatch& v = vs[j];
        if (u.kind == RangeMatch::Kind::inside && v.kind != RangeMatch::Kind::inside) continue;
        if (compatible(u.bindings, v.bindings) && out.size() < kMaxRanges) out.push_back(left_merge(u, v));
      }
  };
  left_included(xs, ys);
  left_included(ys, xs);
  deduplicate(out);
  return out;
}

std::vector<RangeMatch> difference(std::vector<RangeMatch> positives, const std::vector<RangeMatch>& negatives,
                                   RangeMatch::Kind kind) {
  const SpanIndex index(negatives);
  std::erase_if(positives, [&](const RangeMatch& x) {
    // A negative containing x (inside, regex), contained in it (regex), or both (plain: the same span).
    const auto containing = index.containing(x.span);
    const bool covered = std::ranges::any_of(containing, [&](std::size_t j) {
      const RangeMatch& y = negatives[j];
      return (kind != RangeMatch::Kind::plain || y.span == x.span) && compatible(x.bindings, y.bindings);
    });
    if (covered || kind != RangeMatch::Kind::regex) return covered;
    return index.any_inside(x.span, [&](const RangeMatch& y) { return compatible(y.bindings, x.bindings); });
  });
  return positives;
}

RangeMatch::Kind kind_of(const Formula& formula) {
  if (formula.kind == Formula::Kind::inside) return RangeMatch::Kind::inside;
  if (formula.kind == Formula::Kind::regex) return RangeMatch::Kind::regex;
  return RangeMatch::Kind::plain;
}

// The text a metavariable stands for: its source, or for `language: generic` a string's content.
std::string_view string_content(std::string_view literal) {
  std::size_t prefix = 0;
  while (prefix < literal.size() && prefix < 3 && std::isalpha(static_cast<unsigned char>(literal[prefix]))) ++prefix;
  std::string_view rest = literal.substr(prefix);
  if (rest.size() < 2 || (rest.front() != '"' && rest.front() != '\'') || rest.back() != rest.front()) return literal;
  const std::size_t width = rest.size() >= 6 && rest.starts_with(std::string(3, rest.front())) ? 3 : 1;
  return rest.substr(width, rest.size() - 2 * width);
}

std::vector<RangeMatch> apply_condition(std::vector<RangeMatch> ranges, const MetavarCondition& condition,
                                        const FileContext& file) {
  std::vector<RangeMatch> out;
  for (auto& range : ranges) {
    const Binding* binding =
        condition.metavariable.empty() ? nullptr : find_binding(range.bindings, condition.metavariable);
    switch (condition.kind) {
      case MetavarCondition::Kind::regex:
        if (binding != nullptr && condition.regex->matches_at_start(binding->text)) out.push_back(std::move(range));
        break;
      case MetavarCondition::Kind::comparison: {
        const auto lookup = [&](std::string_view name) -> std::optional<Value> {
          const Binding* bound = find_binding(range.bindings, name);
          if (bound == nullptr) return std::nullopt;
          if (bound->constant) return Value{*bound->constant};
          return value_of_code(bound->text);
        };
        if (condition.comparison->evaluate(lookup)) out.push_back(std::move(range));
        break;
      }
      case MetavarCondition::Kind::redos: {
        if (binding == nullptr) break;
        const std::string regex = binding->constant ? *binding->constant : std::string(string_content(binding->text));
        if (regex_may_backtrack_exponentially(regex)) out.push_back(std::move(range));
        break;
      }
      case MetavarCondition::Kind::type: {
        if (binding == nullptr) break;
        if (std::ranges::any_of(condition.types, [&](const std::string& type) { return has_type(*binding, type); }))
          out.push_back(std::move(range));
        break;
      }
      case MetavarCondition::Kind::pattern: {
        if (binding == nullptr) break;
        std::vector<RangeMatch> nested;
        if (condition.generic_text) {
          auto text = FileContext::text_only(file.path(), std::string(string_content(binding->text)));
          RangeMatch whole{{0, text->source().size()}, {}, RangeMatch::Kind::plain};
          nested = evaluate(*condition.formula, *text, whole.span, &whole);
          if (!nested.empty()) out.push_back(std::move(range));
          break;
        }
        RangeMatch scope{binding->span, range.bindings, RangeMatch::Kind::plain};
        nested = evaluate(*condition.formula, file, binding->span, &scope);
        if (nested.empty() && binding->node == nullptr && !binding->text.empty()) {
          // A bound name (`$CALL` in `subprocess.$CALL(...)`) is no expression node of the file:
          // match the pattern against the name parsed on its own, as Semgrep does.
          const FileContext snippet(file.path(), binding->text);
          const Span whole{0, snippet.source().size()};
          if (!evaluate(*condition.formula, snippet, whole).empty()) out.push_back(std::move(range));
          break;
        }
        bool kept = false;
        for (const auto& match : nested) {
          if (!compatible(match.bindings, range.bindings)) continue;
          if (!kept) out.push_back(range);
          kept = true;
          RangeMatch extended = left_merge(range, match);
          if (extended.bindings.size() > range.bindings.size()) out.push_back(std::move(extended));
        }
        break;
      }
    }
  }
  return out;
}

// Where a match of `formula` inside any window needs one of the returned spans wholly inside that
// window (the occurrences of its regexes' required literals), or nothing when not every match
// needs a regex literal.
std::optional<std::vector<Span>> literal_occurrences(const Formula& formula, const FileContext& file) {
  switch (formula.kind) {
    case Formula::Kind::regex: {
      const std::vector<Span>* hits = file.regex_literal_hits(*formula.regex);
      if (hits == nullptr) return std::nullopt;
      return *hits;
    }
    case Formula::Kind::any: {
      std::vector<Span> all;
      for (const auto& child : formula.children) {
        auto hits = literal_occurrences(child, file);
        if (!hits) return std::nullopt;
        all.insert(all.end(), hits->begin(), hits->end());
      }
      return all;
    }
    case Formula::Kind::all:
      // Every positive term must match inside the window: any one of them is a requirement.
      for (const auto& child : formula.children)
        if (child.kind != Formula::Kind::negation)
          if (auto hits = literal_occurrences(child, file)) return hits;
      return std::nullopt;
    case Formula::Kind::pattern:
    case Formula::Kind::inside:
    case Formula::Kind::negation: return std::nullopt;
  }
  return std::nullopt;
}

// A lone `$X` binds every expression of the file (`"$X"` every string). When a condition on $X can
// only hold where one of its regexes' literals occurs inside the bound code (metavariable-regex,
// or a metavariable-pattern made of such regexes, as in GuardDog's dll-hijacking), every
// expression without one inside would be dropped by that condition: the occurrences, for
// CompiledPattern::find() to skip those expressions.
std::optional<SpanSet> lone_metavariable_filter(const Formula& positive, const std::vector<MetavarCondition>& conditions,
                                                const FileContext& file) {
  if (positive.kind != Formula::Kind::pattern) return std::nullopt;
  const std::string_view name = positive.pattern->lone_metavariable();
  if (name.empty()) return std::nullopt;
  for (const auto& condition : conditions) {
    if (condition.metavariable != name) continue;
    std::optional<std::vector<Span>> hits;
    if (condition.kind == MetavarCondition::Kind::regex) {
      if (const std::vector<Span>* found = file.regex_literal_hits(*condition.regex)) hits = *found;
    } else if (condition.kind == MetavarCondition::Kind::pattern && !condition.generic_text) {
      // The bound expression's own span is the window the condition's formula runs in.
      hits = literal_occurrences(*condition.formula, file);
    }
    if (hits) return SpanSet(std::move(*hits));
  }
  return std::nullopt;
}

std::vector<RangeMatch> apply_focus(const std::vector<RangeMatch>& ranges,
                                    const std::vector<std::vector<std::string>>& focus) {
  std::vector<RangeMatch> out;
  for (const auto& range : ranges) {
    std::vector<RangeMatch> focused;
    for (std::size_t key = 0; key < focus.size(); ++key) {
      std::vector<RangeMatch> this_key;
      // The match narrowed to the binding: their intersection (none when they are disjoint).
      for (const auto& name : focus[key])
        if (const Binding* binding = find_binding(range.bindings, name)) {
          const Span overlap{std::max(binding->span.start, range.span.start), std::min(binding->span.end, range.span.end)};
          if (overlap.start < overlap.end) this_key.push_back({overlap, range.bindings, RangeMatch::Kind::plain});
        }
      focused = key == 0 ? std::move(this_key) : intersect(focused, this_key);
    }
    out.insert(out.end(), focused.begin(), focused.end());
  }
  return out;
}

}  // namespace

bool may_match(const Formula& formula, const FileContext& file) {
  switch (formula.kind) {
    case Formula::Kind::pattern: return formula.pattern->may_match(file);
    case Formula::Kind::regex: return file.regex_may_match(*formula.regex);
    case Formula::Kind::any:
      return std::ranges::any_of(formula.children, [&](const Formula& child) { return may_match(child, file); });
    case Formula::Kind::inside: return may_match(formula.children[0], file);
    case Formula::Kind::negation: return true;
    case Formula::Kind::all: {
      // Every positive term must match; negations only remove ranges. A metavariable-regex or
      // -pattern looks at bound code, which is part of the file, so its literals must be there too.
      const bool positives = std::ranges::all_of(formula.children, [&](const Formula& child) {
        return child.kind == Formula::Kind::negation || may_match(child, file);
      });
      return positives && std::ranges::all_of(formula.conditions, [&](const MetavarCondition& condition) {
        if (condition.kind == MetavarCondition::Kind::regex) return file.regex_may_match(*condition.regex);
        if (condition.kind == MetavarCondition::Kind::pattern) return may_match(*condition.formula, file);
        return true;
      });
    }
  }
  return true;
}

void deduplicate(std::vector<RangeMatch>& matches) {
  const auto same = [](const RangeMatch& kept, const RangeMatch& match) {
    if (!(kept.span == match.span) || kept.bindings.size() != match.bindings.size()) return false;
    for (const auto& [name, binding] : match.bindings) {
      const Binding* other = find_binding(kept.bindings, name);
      if (other == nullptr || !(other->span == binding.span)) return false;
    }
    return true;
  };
  // Only matches with the same span can be the same: compare within runs of equal spans, keeping
  // the first of each (in the original order).
  std::vector<std::size_t> order(matches.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
    const Span& x = matches[a].span;
    const Span& y = matches[b].span;
    return x.start != y.start ? x.start < y.start : x.end < y.end;
  });
  std::vector<bool> duplicate(matches.size(), false);
  for (std::size_t run = 0; run < order.size();) {
    std::size_t run_end = run + 1;
    while (run_end < order.size() && matches[order[run_end]].span == matches[order[run]].span) ++run_end;
    for (std::size_t i = run + 1; i < run_end; ++i)
      for (std::size_t j = run; j < i; ++j)
        if (!duplicate[order[j]] && same(matches[order[j]], matches[order[i]])) {
          duplicate[order[i]] = true;
          break;
        }
    run = run_end;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < matches.size(); ++i)
    if (!duplicate[i]) {
      if (kept != i) matches[kept] = std::move(matches[i]);
      ++kept;
    }
  matches.erase(matches.begin() + static_cast<std::ptrdiff_t>(kept), matches.end());
}

std::vector<RangeMatch> evaluate(const Formula& formula, const FileContext& file, Span window,
                                 const RangeMatch* context) {
  std::vector<RangeMatch> out;
  switch (formula.kind) {
    case Formula::Kind::pattern:
      if (file.parsed() != nullptr) formula.pattern->find(file, window, out);
      return out;
    case Formula::Kind::regex: {
      if (!file.regex_may_match_within(*formula.regex, window)) return out;
      const std::string_view text = file.source().substr(window.start, window.end - window.start);
      for (const Span& span : formula.regex->find_all(text, /*literals_checked=*/true))
        out.push_back({{span.start + window.start, span.end + window.start}, {}, RangeMatch::Kind::regex});
      return out;
    }
    case Formula::Kind::any:
      for (const auto& child : formula.children) {
        auto matches = evaluate(child, file, window, context);
        out.insert(out.end(), std::make_move_iterator(matches.begin()), std::make_move_iterator(matches.end()));
      }
      return out;
    case Formula::Kind::inside: {
      out = evaluate(formula.children[0], file, window, context);
      for (auto& match : out) match.kind = RangeMatch::Kind::inside;
      return out;
    }
    case Formula::Kind::negation:
      return out;  // only meaningful inside `patterns`, handled there
    case Formula::Kind::all: break;
  }

  // Positives first (pattern-inside last), each evaluated once.
  std::vector<const Formula*> positives;
  std::vector<const Formula*> negatives;
  for (const auto& child : formula.children) {
    if (child.kind == Formula::Kind::negation) negatives.push_back(&child.children[0]);
    else positives.push_back(&child);
  }
  std::stable_partition(positives.begin(), positives.end(),
                        [](const Formula* child) { return child->kind != Formula::Kind::inside; });
  std::vector<RangeMatch> ranges;
  if (!may_match(formula, file)) return ranges;
  if (positives.empty()) {
    ranges.push_back(context != nullptr ? *context : RangeMatch{window, {}, RangeMatch::Kind::plain});
  } else if (const auto filter = positives.size() == 1 && file.parsed() != nullptr
                                     ? lone_metavariable_filter(*positives.front(), formula.conditions, file)
                                     : std::nullopt) {
    positives.front()->pattern->find(file, window, ranges, &*filter);
  } else {
    ranges = evaluate(*positives.front(), file, window, context);
    for (std::size_t i = 1; i < positives.size() && !ranges.empty(); ++i)
      ranges = intersect(ranges, evaluate(*positives[i], file, window, context));
  }
  // A pattern-not-regex removes ranges by their span alone, and every metavariable condition maps
  // each range on its own, keeping its span: the two commute. The regexes (often over the whole
  // file, like GuardDog's docstring filters) run last, only when ranges survive the conditions.
  const auto subtract = [&](bool regexes) {
    for (const Formula* negative : negatives) {
      if (ranges.empty()) break;
      if ((negative->kind == Formula::Kind::regex) != regexes) continue;
      ranges = difference(std::move(ranges), evaluate(*negative, file, window, context), kind_of(*negative));
    }
  };
  subtract(false);
  for (const auto& condition : formula.conditions) {
    if (ranges.empty()) break;
    ranges = apply_condition(std::move(ranges), condition, file);
  }
  subtract(true);
  if (!formula.focus.empty()) ranges = apply_focus(ranges, formula.focus);
  deduplicate(ranges);
  return ranges;
}

}  // namespace moat::pattern
