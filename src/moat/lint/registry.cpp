#include "moat/lint/registry.hpp"

#include <array>

#include "moat/lint/rules/rule_docs.hpp"

namespace moat::lint {

namespace {

constexpr std::array<CheckInfo, kCheckCount> kChecks{{
#define MOAT_BANDIT_CHECK(id, name, test_name, severity, confidence, cwe) \
  {Check::id, #id, #name, #test_name, Severity::severity, Confidence::confidence, cwe},
#include "moat/lint/checks.def"
#undef MOAT_BANDIT_CHECK
}};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

const CheckInfo& info(Check check) { return kChecks[index(check)]; }

std::span<const CheckInfo> all_checks() { return kChecks; }

std::optional<Check> find_check_by_id(std::string_view id) {
  for (const auto& check : kChecks)
    if (check.id == id) return check.check;
  return std::nullopt;
}

std::optional<Check> find_check_by_name(std::string_view name) {
  for (const auto& check : kChecks)
    if (check.name == name) return check.check;
  return std::nullopt;
}

namespace {

std::string build_more_info_url(Check check) {
  const CheckInfo& checked = info(check);
  std::string base = "https://bandit.readthedocs.io/en/1.9.4/";
  if (!checked.is_blacklist()) return base + "plugins/" + lower(checked.id) + "_" + std::string(checked.test_name) + ".html";
  const bool is_call = checked.id[1] == '3';
  std::string anchor;
  if (checked.id == "B304" || checked.id == "B305") {
    anchor = "b304-b305-ciphers-and-modes";
  } else {
    std::string name(checked.name);
    for (char& c : name)
      if (c == '_') c = '-';
    const int number = std::stoi(std::string(checked.id.substr(1)));
    anchor = number >= 313 && number <= 320 ? "b313-b320-" + name : lower(checked.id) + "-" + name;
  }
  return base + "blacklists/blacklist_" + (is_call ? "calls" : "imports") + ".html#" + lower(anchor);
}

}  // namespace

const std::string& more_info_url(Check check) {
  // Built once: every finding of a scan carries one.
  static const auto kUrls = [] {
    std::array<std::string, kCheckCount> urls;
    for (const auto& checked : kChecks) urls[index(checked.check)] = build_more_info_url(checked.check);
    return urls;
  }();
  return kUrls[index(check)];
}

CheckSet checks_matching(std::string_view code) {
  CheckSet selected;
  std::string normalised(code);
  if (!normalised.empty() && normalised[0] == 'S') normalised[0] = 'B';  // ruff's flake8-bandit codes
  for (const auto& check : kChecks) {
    const bool blacklist_group = normalised == "B001" && check.is_blacklist();
    if (blacklist_group || check.id.starts_with(normalised)) selected.set(index(check.check));
  }
  return selected;
}

std::span<const RuleDoc> bandit_rule_docs() {
  static const std::array<RuleDoc, kCheckCount> docs{{
#define MOAT_BANDIT_CHECK(id, name, test_name, severity, confidence, cwe) rules::kDoc##id,
#include "moat/lint/checks.def"
#undef MOAT_BANDIT_CHECK
  }};
  return docs;
}

const RuleDoc& rule_doc(Check check) { return bandit_rule_docs()[index(check)]; }

}  // namespace moat::lint
