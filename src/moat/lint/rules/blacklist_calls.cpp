// B301-B323: calls whose resolved name is on Bandit's call blacklist (exact match). The import
// blacklist (B4xx) is applied to calls too, exactly, after the call blacklist.
#include <array>

#include "moat/lint/rules/blacklist.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"
#include "moat/util/string_hash.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB301;
const RuleDoc kDocB301{
    "B301", "pickle",
    "Calls to pickle, dill, shelve, jsonpickle and pandas.read_pickle loaders.",
    "Unpickling runs code chosen by whoever wrote the data.",
    "pickle.loads(data)",
    "Use a data-only format (JSON) for untrusted input, or sign the data.",
    "https://docs.python.org/3/library/pickle.html\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/502.html"};
extern const RuleDoc kDocB302;
const RuleDoc kDocB302{
    "B302", "marshal",
    "Calls to marshal.load and marshal.loads.",
    "marshal is not secure against malformed or malicious data.",
    "marshal.loads(data)",
    "Use JSON or another data-only format.",
    "https://docs.python.org/3/library/marshal.html\nhttps://cwe.mitre.org/data/definitions/502.html"};
extern const RuleDoc kDocB303;
const RuleDoc kDocB303{
    "B303", "md5",
    "Calls to MD2/MD4/MD5/SHA1 constructors from PyCrypto, PyCryptodome and cryptography.",
    "These hashes are broken for security purposes.",
    "Crypto.Hash.MD5.new()",
    "Use SHA-256 or better.",
    "https://cwe.mitre.org/data/definitions/327.html"};
extern const RuleDoc kDocB304;
const RuleDoc kDocB304{
    "B304", "ciphers",
    "Calls to ARC2, ARC4, Blowfish, DES, XOR, CAST5, IDEA, SEED and TripleDES ciphers.",
    "These ciphers are broken or have small blocks or keys.",
    "Crypto.Cipher.DES.new(key)",
    "Use AES (GCM) or ChaCha20-Poly1305.",
    "https://cwe.mitre.org/data/definitions/327.html"};
extern const RuleDoc kDocB305;
const RuleDoc kDocB305{
    "B305", "cipher_modes",
    "Calls to the ECB cipher mode.",
    "ECB encrypts equal blocks to equal ciphertext, leaking patterns.",
    "modes.ECB()",
    "Use an authenticated mode such as GCM.",
    "https://cwe.mitre.org/data/definitions/327.html"};
extern const RuleDoc kDocB306;
const RuleDoc kDocB306{
    "B306", "mktemp_q",
    "Calls to tempfile.mktemp.",
    "The returned name may be taken by another process before you open it (race condition).",
    "tempfile.mktemp()",
    "Use tempfile.mkstemp or NamedTemporaryFile.",
    "https://docs.python.org/3/library/tempfile.html#tempfile.mktemp\nhttps://cwe.mitre.org/data/definitions/377.html"};
extern const RuleDoc kDocB307;
const RuleDoc kDocB307{
    "B307", "eval",
    "Calls to the builtin eval.",
    "eval executes arbitrary expressions.",
    "eval(expr)",
    "Use ast.literal_eval for literals, or a parser.",
    "https://docs.python.org/3/library/functions.html#eval\nhttps://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB308;
const RuleDoc kDocB308{
    "B308", "mark_safe",
    "Calls to django.utils.safestring.mark_safe.",
    "Marking text safe disables escaping and may allow XSS.",
    "mark_safe(html)",
    "Use format_html or escape inputs.",
    "https://cwe.mitre.org/data/definitions/79.html"};
extern const RuleDoc kDocB310;
const RuleDoc kDocB310{
    "B310", "urllib_urlopen",
    "Calls to urllib.request.urlopen, urlretrieve, URLopener and FancyURLopener.",
    "These accept file:// and custom schemes, so a URL from outside may read local files.",
    "urllib.request.urlopen(url)",
    "Check the scheme (http/https) before opening, or use a client that only speaks HTTP.",
    "https://docs.python.org/3/library/urllib.request.html\nhttps://cwe.mitre.org/data/definitions/22.html"};
extern const RuleDoc kDocB311;
const RuleDoc kDocB311{
    "B311", "random",
    "Calls to functions of the random module.",
    "The Mersenne Twister generator is predictable and unsuitable for secrets.",
    "random.randint(0, 9)",
    "Use the secrets module or os.urandom.",
    "https://docs.python.org/3/library/random.html\nhttps://docs.python.org/3/library/secrets.html\nhttps://cwe.mitre.org/data/definitions/330.html"};
extern const RuleDoc kDocB312;
const RuleDoc kDocB312{
    "B312", "telnetlib",
    "Calls to telnetlib.Telnet.",
    "Telnet sends everything, passwords included, in clear text.",
    "telnetlib.Telnet(host)",
    "Use SSH.",
    "https://docs.python.org/3/library/telnetlib.html\nhttps://cwe.mitre.org/data/definitions/319.html"};
extern const RuleDoc kDocB313;
const RuleDoc kDocB313{
    "B313", "xml_bad_cElementTree",
    "Calls to xml.etree.cElementTree parsers.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.etree.cElementTree.parse(f)",
    "Use defusedxml.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB314;
const RuleDoc kDocB314{
    "B314", "xml_bad_ElementTree",
    "Calls to xml.etree.ElementTree parsers.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.etree.ElementTree.fromstring(s)",
    "Use defusedxml.ElementTree.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB315;
const RuleDoc kDocB315{
    "B315", "xml_bad_expatreader",
    "Calls to xml.sax.expatreader.create_parser.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.sax.expatreader.create_parser()",
    "Use defusedxml.expatreader.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB316;
const RuleDoc kDocB316{
    "B316", "xml_bad_expatbuilder",
    "Calls to xml.dom.expatbuilder parsers.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.dom.expatbuilder.parse(f)",
    "Use defusedxml.expatbuilder.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB317;
const RuleDoc kDocB317{
    "B317", "xml_bad_sax",
    "Calls to xml.sax parsers.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.sax.parseString(s, handler)",
    "Use defusedxml.sax.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB318;
const RuleDoc kDocB318{
    "B318", "xml_bad_minidom",
    "Calls to xml.dom.minidom parsers.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.dom.minidom.parseString(s)",
    "Use defusedxml.minidom.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB319;
const RuleDoc kDocB319{
    "B319", "xml_bad_pulldom",
    "Calls to xml.dom.pulldom parsers.",
    "The standard XML parsers are open to entity-expansion and related attacks on untrusted XML.",
    "xml.dom.pulldom.parse(f)",
    "Use defusedxml.pulldom.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities\nhttps://cwe.mitre.org/data/definitions/20.html"};
extern const RuleDoc kDocB321;
const RuleDoc kDocB321{
    "B321", "ftplib",
    "Calls to ftplib.FTP.",
    "FTP sends credentials and data in clear text.",
    "ftplib.FTP(host)",
    "Use SFTP/SCP or FTP_TLS.",
    "https://docs.python.org/3/library/ftplib.html\nhttps://cwe.mitre.org/data/definitions/319.html"};
extern const RuleDoc kDocB323;
const RuleDoc kDocB323{
    "B323", "unverified_context",
    "Calls to ssl._create_unverified_context.",
    "The context does not verify certificates or host names.",
    "ssl._create_unverified_context()",
    "Use ssl.create_default_context().",
    "https://docs.python.org/3/library/ssl.html#security-considerations\nhttps://cwe.mitre.org/data/definitions/295.html"};

namespace {

constexpr std::string_view kXmlMessage =
    "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Replace {name} with its "
    "defusedxml equivalent function or make sure defusedxml.defuse_stdlib() is called";

constexpr std::array<BlacklistEntry, 20> kCallBlacklist{{
    {Check::B301,
     {"pickle.loads", "pickle.load", "pickle.Unpickler", "dill.loads", "dill.load", "dill.Unpickler", "shelve.open",
      "shelve.DbfilenameShelf", "jsonpickle.decode", "jsonpickle.unpickler.decode", "jsonpickle.unpickler.Unpickler",
      "pandas.read_pickle"},
     "Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue."},
    {Check::B302, {"marshal.load", "marshal.loads"}, "Deserialization with the marshal module is possibly dangerous."},
    {Check::B303,
     {"Crypto.Hash.MD2.new", "Crypto.Hash.MD4.new", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA.new",
      "Cryptodome.Hash.MD2.new", "Cryptodome.Hash.MD4.new", "Cryptodome.Hash.MD5.new", "Cryptodome.Hash.SHA.new",
      "cryptography.hazmat.primitives.hashes.MD5", "cryptography.hazmat.primitives.hashes.SHA1"},
     "Use of insecure MD2, MD4, MD5, or SHA1 hash function."},
    {Check::B304,
     {"Crypto.Cipher.ARC2.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.Blowfish.new", "Crypto.Cipher.DES.new",
      "Crypto.Cipher.XOR.new", "Cryptodome.Cipher.ARC2.new", "Cryptodome.Cipher.ARC4.new",
      "Cryptodome.Cipher.Blowfish.new", "Cryptodome.Cipher.DES.new", "Cryptodome.Cipher.XOR.new",
      "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
      "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
      "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
      "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
      "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
      "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES"},
     "Use of insecure cipher {name}. Replace with a known secure cipher such as AES."},
    {Check::B305, {"cryptography.hazmat.primitives.ciphers.modes.ECB"}, "Use of insecure cipher mode {name}."},
    {Check::B306, {"tempfile.mktemp"}, "Use of insecure and deprecated function (mktemp)."},
    {Check::B307, {"eval"}, "Use of possibly insecure function - consider using safer ast.literal_eval."},
    {Check::B308, {"django.utils.safestring.mark_safe"},
     "Use of mark_safe() may expose cross-site scripting vulnerabilities and should be reviewed."},
    {Check::B310,
     {"urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.request.URLopener",
      "urllib.request.FancyURLopener", "six.moves.urllib.request.urlopen", "six.moves.urllib.request.urlretrieve",
      "six.moves.urllib.request.URLopener", "six.moves.urllib.request.FancyURLopener"},
     "Audit url open for permitted schemes. Allowing use of file:/ or custom schemes is often unexpected."},
    {Check::B311,
     {"random.Random", "random.random", "random.randrange", "random.randint", "random.choice", "random.choices",
      "random.uniform", "random.triangular", "random.randbytes", "random.sample", "random.getrandbits"},
     "Standard pseudo-random generators are not suitable for security/cryptographic purposes."},
    {Check::B312, {"telnetlib.Telnet"},
     "Telnet-related functions are being called. Telnet is considered insecure. Use SSH or some other encrypted "
     "protocol."},
    {Check::B313,
     {"xml.etree.cElementTree.parse", "xml.etree.cElementTree.iterparse", "xml.etree.cElementTree.fromstring",
      "xml.etree.cElementTree.XMLParser"},
     kXmlMessage},
    {Check::B314,
     {"xml.etree.ElementTree.parse", "xml.etree.ElementTree.iterparse", "xml.etree.ElementTree.fromstring",
      "xml.etree.ElementTree.XMLParser"},
     kXmlMessage},
    {Check::B315, {"xml.sax.expatreader.create_parser"}, kXmlMessage},
    {Check::B316, {"xml.dom.expatbuilder.parse", "xml.dom.expatbuilder.parseString"}, kXmlMessage},
    {Check::B317, {"xml.sax.parse", "xml.sax.parseString", "xml.sax.make_parser"}, kXmlMessage},
    {Check::B318, {"xml.dom.minidom.parse", "xml.dom.minidom.parseString"}, kXmlMessage},
    {Check::B319, {"xml.dom.pulldom.parse", "xml.dom.pulldom.parseString"}, kXmlMessage},
    {Check::B321, {"ftplib.FTP"},
     "FTP-related functions are being called. FTP is considered insecure. Use SSH/SFTP/SCP or some other encrypted "
     "protocol."},
    {Check::B323, {"ssl._create_unverified_context"},
     "By default, Python will create a secure, verified ssl context for use in such classes as HTTPSConnection. "
     "However, it still allows using an insecure context via the _create_unverified_context that  reverts to the "
     "previous behavior that does not validate certificates or perform hostname checks."},
}};

/// The name Bandit matches for a call: the resolved name; for __import__ its literal first
/// argument; for importlib.import_module/__import__ the first argument (literal or identifier) or
/// name=.
std::optional<std::string_view> blacklist_name(const Checker& checker) {
  const py::Call& call = checker.call();
  if (const auto* function = py::dyn_cast<py::Name>(call.func); function != nullptr && function->id == "__import__") {
    if (call.args.empty()) return std::string_view();
    if (is_str_constant(call.args[0])) return str_value(*call.args[0]);
    return std::string_view("UNKNOWN");
  }
  const std::string_view qualname = checker.qualname();
  if (qualname == "importlib.import_module" || qualname == "importlib.__import__") {
    const ArgValue module = call.args.empty() ? checker.keyword_value("name") : checker.positional(0);
    if (module.kind != ArgValue::Kind::text) return std::nullopt;
    return module.text;
  }
  return std::string_view(qualname);
}

}  // namespace

std::string blacklist_message(std::string_view message, std::string_view name) {
  std::string text;
  std::size_t start = 0;
  while (true) {
    const auto found = message.find("{name}", start);
    text += message.substr(start, found == std::string_view::npos ? std::string_view::npos : found - start);
    if (found == std::string_view::npos) return text;
    text += name;
    start = found + 6;
  }
}

namespace {

/// The entries listing `name`, call blacklist first, each in ID order; null when none does.
const std::vector<const BlacklistEntry*>* listed_entries(std::string_view name) {
  static const auto kByName = [] {
    std::unordered_map<std::string_view, std::vector<const BlacklistEntry*>> by_name;
    for (const auto entries : {std::span<const BlacklistEntry>(kCallBlacklist), import_blacklist()})
      for (const BlacklistEntry& entry : entries)
        for (const std::string_view listed : entry.names)
          if (!listed.empty()) by_name[listed].push_back(&entry);
    return by_name;
  }();
  static const NameShapes kListedShapes = [] {
    NameShapes shapes;
    for (const auto& [listed, entries] : kByName) shapes.add(listed);
    return shapes;
  }();
  if (!kListedShapes.may_contain(name)) return nullptr;
  const auto found = kByName.find(name);
  return found != kByName.end() ? &found->second : nullptr;
}

}  // namespace

bool call_may_be_blacklisted(const Checker& checker) {
  if (const auto* function = py::dyn_cast<py::Name>(checker.call().func); function != nullptr && function->id == "__import__")
    return true;
  const std::string_view qualname = checker.qualname();
  return qualname == "importlib.import_module" || qualname == "importlib.__import__" || listed_entries(qualname) != nullptr;
}

void blacklist_calls(Checker& checker) {
  const auto name = blacklist_name(checker);
  if (!name || name->empty()) return;
  const auto* entries = listed_entries(*name);
  if (entries == nullptr) return;
  // Only enabled entries take part; the first one that lists the name wins (one issue per call).
  for (const BlacklistEntry* entry : *entries) {
    if (!checker.enabled(entry->check)) continue;
    checker.report(entry->check, info(entry->check).severity, Confidence::high, blacklist_message(entry->message, *name));
    return;
  }
}

}  // namespace moat::lint::rules
