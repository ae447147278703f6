// B505 weak_cryptographic_key: RSA/DSA keys under 2048 bits, EC curves under 224 bits.
#include <array>
#include <utility>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB505;
const RuleDoc kDocB505{
    "B505", "weak_cryptographic_key",
    "RSA/DSA keys shorter than 2048 bits and EC keys on curves under 224 bits (cryptography, PyCrypto, PyCryptodome).",
    "Short keys can be factored or brute-forced with available computing power.",
    "rsa.generate_private_key(public_exponent=65537, key_size=1024)",
    "Use at least 2048-bit RSA/DSA (3072 recommended) or a 256-bit curve such as SECP256R1.",
    "https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/\nhttps://cwe.mitre.org/data/definitions/326.html"};

namespace {

enum class KeyType { dsa, rsa, ec };

std::string_view key_type_name(KeyType type) {
  switch (type) {
    case KeyType::dsa: return "DSA";
    case KeyType::rsa: return "RSA";
    case KeyType::ec: return "EC";
  }
  return "";
}

void classify(Checker& checker, KeyType type, double key_size) {
  const PluginOptions& o = checker.options().plugins;
  const std::array<std::pair<int, Severity>, 2> limits =
      type == KeyType::dsa   ? std::array{std::pair{o.weak_key_dsa_high, Severity::high}, std::pair{o.weak_key_dsa_medium, Severity::medium}}
      : type == KeyType::rsa ? std::array{std::pair{o.weak_key_rsa_high, Severity::high}, std::pair{o.weak_key_rsa_medium, Severity::medium}}
                             : std::array{std::pair{o.weak_key_ec_high, Severity::high}, std::pair{o.weak_key_ec_medium, Severity::medium}};
  for (const auto& [size, severity] : limits) {
    if (key_size < size) {
      checker.report(Check::B505, severity, Confidence::high,
                     std::string(key_type_name(type)) + " key sizes below " + std::to_string(size) +
                         " bits are considered breakable. ");
      return;
    }
  }
}

/// Bandit's `keyword or positional or 2048`: a falsy or missing value falls through.
std::optional<double> key_size(const Checker& checker, std::string_view keyword, std::size_t position) {
  for (const ArgValue& value : {checker.keyword_value(keyword), checker.positional(position)}) {
    if (!value.known()) continue;
    if (value.kind == ArgValue::Kind::integer || value.kind == ArgValue::Kind::number) {
      if (value.number != 0) return value.number;
      continue;
    }
    if (value.kind == ArgValue::Kind::text) {
      if (!value.text.empty()) return std::nullopt;  // a name: not evaluated
      continue;
    }
    return std::nullopt;  // containers: Bandit fails to compare them
  }
  return 2048;
}

int curve_size(std::string_view curve) {
  static constexpr std::array<std::pair<std::string_view, int>, 19> kCurves{{
      {"SECT571K1", 571}, {"SECT571R1", 570}, {"SECP521R1", 521}, {"BrainpoolP512R1", 512},
      {"SECT409K1", 409}, {"SECT409R1", 409}, {"BrainpoolP384R1", 384}, {"SECP384R1", 384},
      {"SECT283K1", 283}, {"SECT283R1", 283}, {"BrainpoolP256R1", 256}, {"SECP256K1", 256},
      {"SECP256R1", 256}, {"SECT233K1", 233}, {"SECT233R1", 233}, {"SECP224R1", 224},
      {"SECP192R1", 192}, {"SECT163K1", 163}, {"SECT163R2", 163},
  }};
  for (const auto& [name, size] : kCurves)
    if (name == curve) return size;
  return 224;
}

}  // namespace

void weak_cryptographic_key(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  constexpr std::string_view kAsymmetric = "cryptography.hazmat.primitives.asymmetric.";
  const std::string_view asymmetric = qualname.starts_with(kAsymmetric) ? qualname.substr(kAsymmetric.size()) : "";
  if (asymmetric == "dsa.generate_private_key" || asymmetric == "rsa.generate_private_key") {
    const KeyType type = qualname[kAsymmetric.size()] == 'd' ? KeyType::dsa : KeyType::rsa;
    if (const auto size = key_size(checker, "key_size", type == KeyType::dsa ? 0 : 1)) classify(checker, type, *size);
    return;
  }
  if (asymmetric == "ec.generate_private_key") {
    ArgValue curve = checker.keyword_value("curve");
    if (!curve.known() || (curve.kind == ArgValue::Kind::text && curve.text.empty())) curve = checker.positional(0);
    classify(checker, KeyType::ec, curve.kind == ArgValue::Kind::text ? curve_size(curve.text) : 224);
    return;
  }
  if (qualname == "Crypto.PublicKey.DSA.generate" || qualname == "Crypto.PublicKey.RSA.generate" ||
      qualname == "Cryptodome.PublicKey.DSA.generate" || qualname == "Cryptodome.PublicKey.RSA.generate") {
    const KeyType type = qualname.ends_with("DSA.generate") ? KeyType::dsa : KeyType::rsa;
    if (const auto size = key_size(checker, "bits", 0)) classify(checker, type, *size);
  }
}

}  // namespace moat::lint::rules
