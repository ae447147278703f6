#include "moat/pattern/rule_docs.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "moat/pattern/builtin_rules.hpp"

namespace moat::pattern {

namespace {

std::string metadata_text(const Rule& rule, const char* key) {
  if (!rule.metadata.contains(key)) return {};
  const auto& value = rule.metadata[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

struct DocTable {
  std::deque<std::string> storage;  // stable addresses for the string_views
  std::vector<RuleDoc> docs;

  std::string_view keep(std::string text) { return storage.emplace_back(std::move(text)); }

  DocTable() {
    RuleSet set;
    load_builtin_rules(set);
    std::ranges::sort(set.rules, {}, &Rule::id);
    for (const Rule& rule : set.rules) {
      std::string title = metadata_text(rule, "title");
      docs.push_back(RuleDoc{keep(rule.id), keep(title.empty() ? rule.id : title),
                             keep(metadata_text(rule, "what").empty() ? rule.message : metadata_text(rule, "what")),
                             keep(metadata_text(rule, "why")), keep(rule.message), keep(metadata_text(rule, "fix")),
                             keep(metadata_text(rule, "references"))});
    }
  }
};

}  // namespace

std::span<const RuleDoc> pattern_rule_docs() {
  static const DocTable table;
  return table.docs;
}

}  // namespace moat::pattern
