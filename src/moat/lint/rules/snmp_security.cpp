// B508 snmp_insecure_version (SNMPv1/v2c) and B509 snmp_weak_cryptography (SNMPv3 without privacy).
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB508;
const RuleDoc kDocB508{
    "B508", "snmp_insecure_version",
    "`pysnmp` `CommunityData(..., mpModel=0|1)`: SNMPv1/v2c.",
    "SNMPv1 and v2c send the community string in clear text and have no real authentication.",
    "CommunityData(\"public\", mpModel=0)",
    "Use SNMPv3 (`UsmUserData`) with authentication and privacy.",
    "https://cwe.mitre.org/data/definitions/319.html"};
extern const RuleDoc kDocB509;
const RuleDoc kDocB509{
    "B509", "snmp_weak_cryptography",
    "`pysnmp` `UsmUserData` created without both an authentication and a privacy key.",
    "noAuthNoPriv and authNoPriv send SNMPv3 traffic unencrypted.",
    "UsmUserData(\"user\")",
    "Give both keys: `UsmUserData(\"user\", auth_key, priv_key)`.",
    "https://cwe.mitre.org/data/definitions/319.html"};

void snmp_security(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  if (qualname == "pysnmp.hlapi.CommunityData" && checker.enabled(Check::B508)) {
    const ArgValue model = checker.keyword_value("mpModel");
    if (model.kind == ArgValue::Kind::integer && (model.text == "0" || model.text == "1"))
      checker.report(Check::B508, "The use of SNMPv1 and SNMPv2 is insecure. You should use SNMPv3 if able.",
                     checker.keyword_line("CommunityData"));
  } else if (qualname == "pysnmp.hlapi.UsmUserData" && checker.enabled(Check::B509)) {
    if (checker.call().args.size() < 3)
      checker.report(Check::B509, "You should not use SNMPv3 without encryption. noAuthNoPriv & authNoPriv is insecure",
                     checker.keyword_line("UsmUserData"));
  }
}

}  // namespace moat::lint::rules
