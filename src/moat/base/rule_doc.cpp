#include "moat/base/rule_doc.hpp"

namespace moat {

std::string format_rule_doc(const RuleDoc& doc) {
  std::string out;
  out.append(doc.id).append(": ").append(doc.title).append("\n\n");
  auto section = [&out](std::string_view heading, std::string_view body) {
    if (body.empty()) return;
    out.append("## ").append(heading).append("\n").append(body);
    if (!body.ends_with('\n')) out.push_back('\n');
    out.push_back('\n');
  };
  section("What it does", doc.what);
  section("Why is this bad?", doc.why);
  section("Example", doc.example);
  section("Use instead", doc.fix);
  section("References", doc.references);
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace moat
