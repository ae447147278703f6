#include "moat/sign/trusted_root.hpp"

#include <nlohmann/json.hpp>
#include <openssl/x509.h>

namespace moat::sign {

namespace {

using nlohmann::json;

constexpr std::string_view kRootV01 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
constexpr std::string_view kRootV02 = "application/vnd.dev.sigstore.trustedroot.v0.2+json";
constexpr std::string_view kClientTrustConfig = "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json";

Result<std::string> bytes_field(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string())
    return fail("", std::string("missing ") + key);
  auto decoded = base64_decode(object[key].get<std::string>());
  if (!decoded) return fail("", std::string("bad base64 in ") + key);
  return decoded;
}

Result<Validity> parse_validity(const json& object) {
  if (!object.is_object() || !object.contains("start") || !object["start"].is_string())
    return fail("", "validFor has no start");
  Validity validity;
  auto start = parse_rfc3339(object["start"].get<std::string>());
  if (!start) return std::unexpected(start.error());
  validity.start = *start;
  if (object.contains("end") && object["end"].is_string()) {
    auto end = parse_rfc3339(object["end"].get<std::string>());
    if (!end) return std::unexpected(end.error());
    validity.end = *end;
  }
  return validity;
}

std::string host_of(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  return std::string(url.substr(0, url.find('/')));
}

Result<TransparencyLog> parse_log(const json& entry) {
  TransparencyLog log;
  log.base_url = entry.value("baseUrl", "");
  log.host = host_of(log.base_url);
  const json& public_key = entry.value("publicKey", json::object());
  auto raw = bytes_field(public_key, "rawBytes");
  if (!raw) return fail(log.base_url, "log public key: " + raw.error().message);
  // Older roots carry RSA keys as PKCS#1 RSAPublicKey rather than SubjectPublicKeyInfo.
  if (public_key.value("keyDetails", "").starts_with("PKCS1_RSA")) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(raw->data());
    EVP_PKEY* rsa = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, static_cast<long>(raw->size()));
    if (rsa == nullptr) return fail(log.base_url, "not a PKCS#1 RSA public key: " + openssl_error());
    log.key = PublicKey(rsa, PkeyFree{});
  } else {
    auto key = parse_public_key(*raw);
    if (!key) return fail(log.base_url, key.error().message);
    log.key = *key;
  }
  auto validity = parse_validity(public_key.value("validFor", json::object()));
  if (!validity) return fail(log.base_url, validity.error().message);
  log.validity = *validity;
  auto log_id = bytes_field(entry.value("logId", json::object()), "keyId");
  if (!log_id) return fail(log.base_url, "logId: " + log_id.error().message);
  log.log_id = *log_id;
  if (entry.contains("checkpointKeyId") && !entry["checkpointKeyId"].is_null()) {
    auto checkpoint_id = bytes_field(entry["checkpointKeyId"], "keyId");
    if (!checkpoint_id) return fail(log.base_url, "checkpointKeyId: " + checkpoint_id.error().message);
    log.checkpoint_key_id = *checkpoint_id;
  }
  return log;
}

Result<CertificateAuthority> parse_authority(const json& entry) {
  CertificateAuthority authority;
  authority.uri = entry.value("uri", "");
  const json& certificates = entry.value("certChain", json::object()).value("certificates", json::array());
  if (!certificates.is_array() || certificates.empty()) return fail(authority.uri, "empty certificate chain");
  for (const json& certificate : certificates) {
    auto raw = bytes_field(certificate, "rawBytes");
    if (!raw) return fail(authority.uri, "certificate: " + raw.error().message);
    auto parsed = parse_certificate(*raw);
    if (!parsed) return fail(authority.uri, parsed.error().message);
    authority.chain.push_back(*parsed);
  }
  auto validity = parse_validity(entry.value("validFor", json::object()));
  if (!validity) return fail(authority.uri, validity.error().message);
  authority.validity = *validity;
  return authority;
}

const TransparencyLog* find_log(const std::vector<TransparencyLog>& logs, std::string_view log_id) {
  for (const auto& log : logs)
    if (log.log_id == log_id || (!log.checkpoint_key_id.empty() && log.checkpoint_key_id == log_id)) return &log;
  return nullptr;
}

}  // namespace

const TransparencyLog* TrustedRoot::find_tlog(std::string_view log_id) const { return find_log(tlogs, log_id); }
const TransparencyLog* TrustedRoot::find_ctlog(std::string_view log_id) const { return find_log(ctlogs, log_id); }

static Result<TrustedRoot> parse_trusted_root_unchecked(std::string_view text) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return fail("", "trusted root is not a JSON object");
  if (document.value("mediaType", "") == kClientTrustConfig) document = document.value("trustedRoot", json::object());
  const std::string media_type = document.value("mediaType", "");
  if (media_type != kRootV01 && media_type != kRootV02)
    return fail("", "unsupported trusted root media type '" + media_type + "'");
  TrustedRoot root;
  root.sha256_hex = hex_encode(as_bytes(sha256(text)));
  auto each = [&document](const char* key, auto&& parse, auto& into) -> Result<void> {
    const json& list = document.value(key, json::array());
    if (!list.is_array()) return fail("", std::string(key) + " is not an array");
    for (const json& entry : list) {
      auto parsed = parse(entry);
      if (!parsed) return fail(std::string(key), parsed.error().to_string());
      into.push_back(std::move(*parsed));
    }
    return {};
  };
  if (auto done = each("tlogs", parse_log, root.tlogs); !done) return std::unexpected(done.error());
  if (auto done = each("ctlogs", parse_log, root.ctlogs); !done) return std::unexpected(done.error());
  if (auto done = each("certificateAuthorities", parse_authority, root.certificate_authorities); !done)
    return std::unexpected(done.error());
  if (auto done = each("timestampAuthorities", parse_authority, root.timestamp_authorities); !done)
    return std::unexpected(done.error());
  return root;
}

namespace {

/// An embedded root that does not parse is a build defect; an empty root then rejects everything.
TrustedRoot parse_embedded(std::string_view json_text) {
  auto root = parse_trusted_root(json_text);
  return root ? std::move(*root) : TrustedRoot{};
}

}  // namespace

const TrustedRoot& production_trusted_root() {
  static const TrustedRoot root = parse_embedded(embedded_production_trusted_root_json());
  return root;
}

const TrustedRoot& staging_trusted_root() {
  static const TrustedRoot root = parse_embedded(embedded_staging_trusted_root_json());
  return root;
}

Result<TrustedRoot> parse_trusted_root(std::string_view text) {
  // nlohmann::json throws on type mismatches deep in hostile input; none may escape the library.
  try {
    return parse_trusted_root_unchecked(text);
  } catch (const nlohmann::json::exception& error) {
    return fail("trusted root", std::string("malformed JSON: ") + error.what());
  }
}

}  // namespace moat::sign
