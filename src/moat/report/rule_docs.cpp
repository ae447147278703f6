#include "moat/report/rule_docs.hpp"

#include <string>

#include "moat/deps/audit.hpp"
#include "moat/dist/rules.hpp"
#include "moat/lint/registry.hpp"
#include "moat/native/native.hpp"
#include "moat/pattern/rule_docs.hpp"
#include "moat/publish/publish.hpp"

namespace moat::report {

std::vector<std::span<const RuleDoc>> rule_doc_tables() {
  return {
      lint::bandit_rule_docs(),  pattern::pattern_rule_docs(), deps::deps_rule_docs(),
      dist_rule_docs(),          native::native_rule_docs(),   publish_rule_docs(),
  };
}

const RuleDoc* find_rule_doc(std::string_view id) {
  std::string wanted(id);
  for (const auto& table : rule_doc_tables())
    for (const RuleDoc& doc : table)
      if (doc.id == wanted) return &doc;
  if (wanted.size() > 1 && wanted[0] == 'S') return find_rule_doc("B" + wanted.substr(1));
  return nullptr;
}

}  // namespace moat::report
