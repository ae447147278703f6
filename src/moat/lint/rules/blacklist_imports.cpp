// B401-B415: imports of modules on Bandit's import blacklist (prefix match on the dotted name).
#include "moat/lint/rules/blacklist.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB401;
const RuleDoc kDocB401{
    "B401", "import_telnetlib",
    "Imports of the telnetlib module.",
    "Telnet is a clear-text protocol.",
    "import telnetlib",
    "Use SSH.",
    "https://cwe.mitre.org/data/definitions/319.html"};
extern const RuleDoc kDocB402;
const RuleDoc kDocB402{
    "B402", "import_ftplib",
    "Imports of the ftplib module.",
    "FTP is a clear-text protocol.",
    "import ftplib",
    "Use SFTP/SCP or FTP_TLS.",
    "https://cwe.mitre.org/data/definitions/319.html"};
extern const RuleDoc kDocB403;
const RuleDoc kDocB403{
    "B403", "import_pickle",
    "Imports of pickle, cPickle, dill and shelve.",
    "These modules deserialize by running code; review how their input is obtained.",
    "import pickle",
    "Prefer data-only formats for untrusted input.",
    "https://docs.python.org/3/library/pickle.html\nhttps://cwe.mitre.org/data/definitions/502.html"};
extern const RuleDoc kDocB404;
const RuleDoc kDocB404{
    "B404", "import_subprocess",
    "Imports of the subprocess module.",
    "A reminder to review how commands are built.",
    "import subprocess",
    "Make sure commands are not built from untrusted input.",
    "https://docs.python.org/3/library/subprocess.html#security-considerations\nhttps://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB405;
const RuleDoc kDocB405{
    "B405", "import_xml_etree",
    "Imports of xml.etree.cElementTree and xml.etree.ElementTree.",
    "Vulnerable to XML attacks when parsing untrusted data.",
    "import xml.etree.ElementTree",
    "Use defusedxml or call defusedxml.defuse_stdlib().",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB406;
const RuleDoc kDocB406{
    "B406", "import_xml_sax",
    "Imports of xml.sax.",
    "Vulnerable to XML attacks when parsing untrusted data.",
    "import xml.sax",
    "Use defusedxml.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB407;
const RuleDoc kDocB407{
    "B407", "import_xml_expat",
    "Imports of xml.dom.expatbuilder.",
    "Vulnerable to XML attacks when parsing untrusted data.",
    "import xml.dom.expatbuilder",
    "Use defusedxml.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB408;
const RuleDoc kDocB408{
    "B408", "import_xml_minidom",
    "Imports of xml.dom.minidom.",
    "Vulnerable to XML attacks when parsing untrusted data.",
    "from xml.dom import minidom",
    "Use defusedxml.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB409;
const RuleDoc kDocB409{
    "B409", "import_xml_pulldom",
    "Imports of xml.dom.pulldom.",
    "Vulnerable to XML attacks when parsing untrusted data.",
    "import xml.dom.pulldom",
    "Use defusedxml.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB411;
const RuleDoc kDocB411{
    "B411", "import_xmlrpclib",
    "Imports of xmlrpc.",
    "XML-RPC parses untrusted XML with the vulnerable standard parsers.",
    "import xmlrpc.client",
    "Call defusedxml.xmlrpc.monkey_patch().",
    "https://docs.python.org/3/library/xmlrpc.html\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB412;
const RuleDoc kDocB412{
    "B412", "import_httpoxy",
    "Imports of wsgiref.handlers.CGIHandler and twisted CGI resources.",
    "CGI handlers expose the httpoxy issue: a client Proxy header becomes HTTP_PROXY.",
    "from wsgiref.handlers import CGIHandler",
    "Do not run WSGI apps through CGI, or strip the Proxy header.",
    "https://httpoxy.org/\nhttps://cwe.mitre.org/data/definitions/284.html"};
extern const RuleDoc kDocB413;
const RuleDoc kDocB413{
    "B413", "import_pycrypto",
    "Imports of the pyCrypto library (Crypto.*).",
    "pyCrypto is unmaintained and has known vulnerabilities.",
    "from Crypto.Cipher import AES",
    "Use pyca/cryptography.",
    "https://cwe.mitre.org/data/definitions/327.html"};
extern const RuleDoc kDocB415;
const RuleDoc kDocB415{
    "B415", "import_pyghmi",
    "Imports of pyghmi.",
    "IPMI is an insecure protocol.",
    "import pyghmi",
    "Use an encrypted management protocol.",
    "https://cwe.mitre.org/data/definitions/319.html"};

namespace {

constexpr std::string_view kXmlImportMessage =
    "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Replace {name} with the "
    "equivalent defusedxml package, or make sure defusedxml.defuse_stdlib() is called.";

constexpr std::array<BlacklistEntry, 13> kImportBlacklist{{
    {Check::B401, {"telnetlib"},
     "A telnet-related module is being imported.  Telnet is considered insecure. Use SSH or some other encrypted "
     "protocol."},
    {Check::B402, {"ftplib"},
     "A FTP-related module is being imported.  FTP is considered insecure. Use SSH/SFTP/SCP or some other encrypted "
     "protocol."},
    {Check::B403, {"pickle", "cPickle", "dill", "shelve"},
     "Consider possible security implications associated with {name} module."},
    {Check::B404, {"subprocess"}, "Consider possible security implications associated with the subprocess module."},
    {Check::B405, {"xml.etree.cElementTree", "xml.etree.ElementTree"}, kXmlImportMessage},
    {Check::B406, {"xml.sax"}, kXmlImportMessage},
    {Check::B407, {"xml.dom.expatbuilder"}, kXmlImportMessage},
    {Check::B408, {"xml.dom.minidom"}, kXmlImportMessage},
    {Check::B409, {"xml.dom.pulldom"}, kXmlImportMessage},
    {Check::B411, {"xmlrpc"},
     "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Use "
     "defusedxml.xmlrpc.monkey_patch() function to monkey-patch xmlrpclib and mitigate XML vulnerabilities."},
    {Check::B412, {"wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory"},
     "Consider possible security implications associated with {name} module."},
    {Check::B413,
     {"Crypto.Cipher", "Crypto.Hash", "Crypto.IO", "Crypto.Protocol", "Crypto.PublicKey", "Crypto.Random",
      "Crypto.Signature", "Crypto.Util"},
     "The pyCrypto library and its module {name} are no longer actively maintained and have been deprecated. "
     "Consider using pyca/cryptography library."},
    {Check::B415, {"pyghmi"},
     "An IPMI-related module is being imported. IPMI is considered insecure. Use an encrypted protocol."},
}};

}  // namespace

std::span<const BlacklistEntry> import_blacklist() { return kImportBlacklist; }

namespace {

struct ListedPrefix {
  std::size_t entry;  // index into kImportBlacklist
  std::string_view name;
};

/// The listed names by first byte: a dotted name is compared only with those that can prefix it.
const std::array<std::vector<ListedPrefix>, 256>& listed_by_first_byte() {
  static const auto kByFirstByte = [] {
    std::array<std::vector<ListedPrefix>, 256> by_first{};
    for (std::size_t entry = 0; entry < kImportBlacklist.size(); ++entry)
      for (const std::string_view listed : kImportBlacklist[entry].names)
        if (!listed.empty()) by_first[static_cast<unsigned char>(listed.front())].push_back({entry, listed});
    return by_first;
  }();
  return kByFirstByte;
}

}  // namespace

void blacklist_imports(Checker& checker) {
  // Bandit: `from m import a, b` matches "m.a", "m.b" by prefix; the message names the alias's
  // own name. Relative imports have lost their dots; `from . import x` is checked as `import x`.
  std::string prefix;
  NodeList<py::Alias> names;
  if (const auto* from = py::dyn_cast<py::ImportFrom>(&checker.node())) {
    if (!from->module.empty()) prefix = std::string(from->module) + ".";
    names = from->names;
  } else {
    names = static_cast<const py::Import&>(checker.node()).names;
  }
  // Bandit tries the entries in order, each against every name: the issue is for the first entry
  // that lists a prefix of some name, and of its names the first.
  std::size_t best_entry = kImportBlacklist.size();
  const py::Alias* best_alias = nullptr;
  std::string dotted;
  for (const py::Alias* alias : names) {
    dotted.assign(prefix).append(alias->name);
    if (dotted.empty()) continue;
    for (const ListedPrefix& listed : listed_by_first_byte()[static_cast<unsigned char>(dotted.front())]) {
      if (listed.entry >= best_entry || !checker.enabled(kImportBlacklist[listed.entry].check)) continue;
      if (!dotted.starts_with(listed.name)) continue;
      best_entry = listed.entry;
      best_alias = alias;
    }
  }
  if (best_alias == nullptr) return;
  const BlacklistEntry& entry = kImportBlacklist[best_entry];
  checker.report(entry.check, info(entry.check).severity, Confidence::high, blacklist_message(entry.message, best_alias->name));
}

}  // namespace moat::lint::rules
