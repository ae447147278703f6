#include "moat/sign/bundle.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace moat::sign {

namespace {

using nlohmann::json;

Result<std::string> decode(const json& object, const char* key, bool required = true) {
  if (!object.is_object() || !object.contains(key) || object[key].is_null()) {
    if (required) return fail("", std::string("missing ") + key);
    return std::string();
  }
  if (!object[key].is_string()) return fail("", std::string(key) + " is not a string");
  auto decoded = base64_decode(object[key].get<std::string>());
  if (!decoded) return fail("", std::string("bad base64 in ") + key);
  return decoded;
}

/// Protobuf int64 fields arrive as JSON strings (numbers are accepted too).
Result<std::int64_t> integer(const json& object, const char* key, bool required = true) {
  if (!object.is_object() || !object.contains(key)) {
    if (required) return fail("", std::string("missing ") + key);
    return 0;
  }
  const json& value = object[key];
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    std::int64_t parsed = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error == std::errc{} && end == text.data() + text.size()) return parsed;
  }
  return fail("", std::string(key) + " is not an integer");
}

Result<TlogEntry> parse_entry(const json& object) {
  TlogEntry entry;
  auto index = integer(object, "logIndex");
  if (!index) return std::unexpected(index.error());
  if (*index < 0) return fail("", "negative logIndex");
  entry.log_index = *index;
  auto log_id = decode(object.value("logId", json::object()), "keyId");
  if (!log_id) return fail("", "logId: " + log_id.error().message);
  entry.log_id = *log_id;
  const json& kind_version = object.value("kindVersion", json::object());
  entry.kind = kind_version.value("kind", "");
  entry.kind_version = kind_version.value("version", "");
  if (entry.kind.empty() || entry.kind_version.empty()) return fail("", "missing kindVersion");
  auto time = integer(object, "integratedTime", false);
  if (!time) return std::unexpected(time.error());
  entry.integrated_time = *time;
  if (object.contains("inclusionPromise")) {
    auto set = decode(object["inclusionPromise"], "signedEntryTimestamp");
    if (!set) return fail("", "inclusionPromise: " + set.error().message);
    entry.signed_entry_timestamp = *set;
  }
  if (object.contains("inclusionProof")) {
    const json& proof_json = object["inclusionProof"];
    InclusionProof proof;
    auto proof_index = integer(proof_json, "logIndex");
    auto tree_size = integer(proof_json, "treeSize");
    auto root_hash = decode(proof_json, "rootHash");
    if (!proof_index || !tree_size || !root_hash) return fail("", "malformed inclusionProof");
    proof.log_index = *proof_index;
    proof.tree_size = *tree_size;
    proof.root_hash = *root_hash;
    for (const json& hash : proof_json.value("hashes", json::array())) {
      if (!hash.is_string()) return fail("", "inclusionProof hash is not a string");
      auto decoded = base64_decode(hash.get<std::string>());
      if (!decoded) return fail("", "bad base64 in inclusionProof hashes");
      proof.hashes.push_back(*decoded);
    }
    const json& checkpoint = proof_json.value("checkpoint", json::object());
    if (checkpoint.is_object() && checkpoint.contains("envelope") && checkpoint["envelope"].is_string())
      proof.checkpoint = checkpoint["envelope"].get<std::string>();
    entry.inclusion_proof = std::move(proof);
  }
  auto body = decode(object, "canonicalizedBody");
  if (!body) return std::unexpected(body.error());
  entry.canonicalized_body = *body;
  return entry;
}

Result<int> media_type_version(const std::string& media_type) {
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.1") return 1;
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.2") return 2;
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.3" ||
      media_type == "application/vnd.dev.sigstore.bundle.v0.3+json")
    return 3;
  return fail("", "unsupported bundle media type '" + media_type + "'");
}

Result<void> parse_material(const json& material, Bundle& bundle) {
  if (!material.is_object()) return fail("", "missing verificationMaterial");
  if (material.contains("x509CertificateChain")) {
    if (bundle.minor_version >= 3) return fail("", "v0.3 bundles carry a single certificate, not a chain");
    const json& certificates = material["x509CertificateChain"].value("certificates", json::array());
    if (!certificates.is_array() || certificates.empty()) return fail("", "empty certificate chain");
    for (const json& certificate : certificates) {
      auto raw = decode(certificate, "rawBytes");
      if (!raw) return fail("", "certificate: " + raw.error().message);
      auto parsed = parse_certificate(*raw);
      if (!parsed) return std::unexpected(parsed.error());
      if (bundle.certificates.empty()) bundle.certificate_der = *raw;
      bundle.certificates.push_back(*parsed);
    }
  } else if (material.contains("certificate")) {
    auto raw = decode(material["certificate"], "rawBytes");
    if (!raw) return fail("", "certificate: " + raw.error().message);
    auto parsed = parse_certificate(*raw);
    if (!parsed) return std::unexpected(parsed.error());
    bundle.certificate_der = *raw;
    bundle.certificates.push_back(*parsed);
  } else if (material.contains("publicKey")) {
    bundle.has_public_key = true;
  } else {
    return fail("", "no certificate or public key in verificationMaterial");
  }
  for (const json& entry : material.value("tlogEntries", json::array())) {
    auto parsed = parse_entry(entry);
    if (!parsed) return fail("", "tlog entry: " + parsed.error().message);
    bundle.tlog_entries.push_back(std::move(*parsed));
  }
  const json& timestamps =
      material.value("timestampVerificationData", json::object()).value("rfc3161Timestamps", json::array());
  for (const json& timestamp : timestamps) {
    auto signed_timestamp = decode(timestamp, "signedTimestamp");
    if (!signed_timestamp) return fail("", "rfc3161 timestamp: " + signed_timestamp.error().message);
    bundle.rfc3161_timestamps.push_back(*signed_timestamp);
  }
  return {};
}

}  // namespace

static Result<Bundle> parse_bundle_unchecked(std::string_view text) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return fail("", "not a JSON object");
  Bundle bundle;
  auto version = media_type_version(document.value("mediaType", ""));
  if (!version) return std::unexpected(version.error());
  bundle.minor_version = *version;
  if (auto material = parse_material(document.value("verificationMaterial", json()), bundle); !material)
    return std::unexpected(material.error());
  if (document.contains("messageSignature")) {
    const json& object = document["messageSignature"];
    MessageSignature signature;
    if (object.contains("messageDigest")) {
      signature.digest_algorithm = object["messageDigest"].value("algorithm", "");
      auto digest = decode(object["messageDigest"], "digest");
      if (!digest) return fail("", "messageDigest: " + digest.error().message);
      signature.digest = *digest;
    }
    auto signature_bytes = decode(object, "signature");
    if (!signature_bytes) return fail("", "messageSignature: " + signature_bytes.error().message);
    signature.signature = *signature_bytes;
    bundle.message_signature = std::move(signature);
  } else if (document.contains("dsseEnvelope")) {
    const json& object = document["dsseEnvelope"];
    DsseEnvelope envelope;
    auto payload = decode(object, "payload");
    if (!payload) return fail("", "dsseEnvelope: " + payload.error().message);
    envelope.payload = *payload;
    envelope.payload_type = object.value("payloadType", "");
    for (const json& signature : object.value("signatures", json::array())) {
      auto sig = decode(signature, "sig");
      if (!sig) return fail("", "dsseEnvelope signature: " + sig.error().message);
      envelope.signatures.push_back(*sig);
    }
    bundle.dsse = std::move(envelope);
  } else {
    return fail("", "bundle has neither messageSignature nor dsseEnvelope");
  }
  return bundle;
}

Result<Bundle> parse_bundle(std::string_view text) {
  // nlohmann::json throws on type mismatches deep in hostile input; none may escape the library.
  try {
    return parse_bundle_unchecked(text);
  } catch (const nlohmann::json::exception& error) {
    return fail("bundle", std::string("malformed JSON: ") + error.what());
  }
}

}  // namespace moat::sign
