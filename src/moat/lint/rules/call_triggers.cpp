// Which calls a call check could report on at all.
//
// Nine calls in ten in real code (the CPython standard library: 300,143 of 327,033) pass no keyword
// argument and have a name no call check looks at. Ruling such a call out once spares running the
// 27 call checks, each of which would only rule it out again (6 % of a Bandit-mode scan's
// instructions).
//
// The rule: every call check's condition implies one of the tests below. A check that needs a
// keyword argument (B106, B201, B501, B502, B508, B602, B604, B609 with shell=) is covered by the
// first. Keep the names in step when a check is added or changed: the corpus test runs every file
// with this shortcut and without it and wants the same issues.
#include <algorithm>
#include <array>
#include <string_view>

#include "moat/lint/rules/rules.hpp"
#include "moat/util/string_hash.hpp"

namespace moat::lint::rules {

namespace {

// The last dotted part of the names the checks compare the resolved callee with.
// The requests and httpx names (B113, B501) are asked of is_httpx_attribute(), which those checks use.
constexpr std::array<std::string_view, 25> kTriggerNames{
    "exec",                                                      // B102
    "exec_command",                                              // B601
    "extra", "RawSQL",                                           // B610, B611
    "wrap_socket",                                               // B504 ssl.wrap_socket
    "Environment",                                               // B701 jinja2.Environment
    "Template",                                                  // B702 mako
    "mark_safe", "SafeText", "SafeUnicode", "SafeString", "SafeBytes",  // B703
    "generate_private_key", "generate",                          // B505
    "load",                                                      // B506 yaml.load, B614 torch.load
    "set_missing_host_key_policy",                               // B507
    "CommunityData", "UsmUserData",                              // B508, B509
    "listen",                                                    // B612 logging.config.listen
    "Markup",                                                    // B704 markupsafe/flask
    "from_pretrained", "load_dataset", "hf_hub_download", "snapshot_download", "repository_id",  // B615
};

/// Whether the resolved name contains a substring a check searches for: "chmod" (B103) or
/// "extractall" (B202) in the call name, "hashlib" or "crypt" (B324). One pass over the name,
/// a table lookup per byte.
bool has_trigger_fragment(std::string_view qualname) {
  static constexpr std::array<bool, 256> kFirstBytes = [] {
    std::array<bool, 256> first{};
    for (const char c : {'c', 'e', 'h'}) first[static_cast<unsigned char>(c)] = true;
    return first;
  }();
  for (std::size_t i = 0; i < qualname.size(); ++i) {
    if (!kFirstBytes[static_cast<unsigned char>(qualname[i])]) continue;
    const std::string_view rest = qualname.substr(i);
    if (rest.starts_with("chmod") || rest.starts_with("crypt") || rest.starts_with("extractall") || rest.starts_with("hashlib"))
      return true;
  }
  return false;
}

}  // namespace

bool call_may_report(const Checker& checker) {
  if (!checker.call().keywords.empty()) return true;
  static const NameShapes kTriggerShapes = [] {
    NameShapes shapes;
    for (const std::string_view name : kTriggerNames) shapes.add(name);
    return shapes;
  }();
  const std::string_view name = checker.call_name();
  if (kTriggerShapes.may_contain(name) && std::ranges::find(kTriggerNames, name) != kTriggerNames.end()) return true;
  if (is_httpx_attribute(name)) return true;  // the requests verbs and httpx's names
  const std::string_view qualname = checker.qualname();
  if (has_trigger_fragment(qualname) || call_may_be_blacklisted(checker)) return true;  // B301-B323, B4xx called
  // The shell_injection lists (B602-B607, B609) and markupsafe's extra names come from the config.
  const Checker::ProcessLists lists = checker.process_lists();
  if (lists.subprocess || lists.shell || lists.no_shell) return true;
  return contains(checker.options().plugins.markup_names, qualname);
}

}  // namespace moat::lint::rules
