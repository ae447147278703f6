#include "moat/sign/verifier.hpp"

#include <nlohmann/json.hpp>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <initializer_list>

#include "moat/sign/timestamp.hpp"
#include "moat/sign/tlog.hpp"

namespace moat::sign {

namespace {

using nlohmann::json;

constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";
constexpr std::int64_t kClockSkewSeconds = 60;
constexpr std::size_t kMaxTimestamps = 32;

/// Walks nested objects; a missing or non-object step yields null.
const json& at(const json& root, std::initializer_list<const char*> keys) {
  static const json kNull;
  const json* node = &root;
  for (const char* key : keys) {
    if (!node->is_object()) return kNull;
    auto found = node->find(key);
    if (found == node->end()) return kNull;
    node = &*found;
  }
  return *node;
}

std::string text(const json& value) { return value.is_string() ? value.get<std::string>() : std::string(); }

std::string decoded(const json& value) {
  auto bytes = base64_decode(text(value));
  return bytes ? *bytes : std::string();
}

std::string pae(std::string_view type, std::string_view payload) {
  return "DSSEv1 " + std::to_string(type.size()) + " " + std::string(type) + " " + std::to_string(payload.size()) +
         " " + std::string(payload);
}

/// The key material the bundle is verified with and how to recognise it in a log entry.
struct Signer {
  EVP_PKEY* key = nullptr;
  X509* leaf = nullptr;  // keyless only
  std::string leaf_der;
  std::string key_der;

  /// A PEM/DER certificate or public key from a log body: is it this signer?
  [[nodiscard]] bool is(std::string_view material) const {
    if (material.empty()) return false;
    if (leaf != nullptr) {
      auto cert = parse_certificate(material);
      return cert && certificate_der(cert->get()) == leaf_der;
    }
    auto parsed = parse_public_key(material);
    return parsed && public_key_der(parsed->get()) == key_der;
  }
};

Result<void> check_structure(const Bundle& bundle) {
  if (bundle.tlog_entries.size() != 1)
    return fail("transparency log", "the bundle must hold exactly one tlog entry (it has " +
                                        std::to_string(bundle.tlog_entries.size()) + ")");
  const TlogEntry& entry = bundle.tlog_entries.front();
  if (entry.kind_version != "0.0.1" && entry.kind_version != "0.0.2")
    return fail("transparency log", "unsupported entry version " + entry.kind_version);
  const bool has_checkpoint = entry.inclusion_proof && !entry.inclusion_proof->checkpoint.empty();
  if (bundle.minor_version == 1) {
    if (entry.signed_entry_timestamp.empty()) return fail("transparency log", "v0.1 bundles need an inclusion promise");
  } else {
    if (!entry.inclusion_proof) return fail("transparency log", "the bundle has no inclusion proof");
    if (!has_checkpoint) return fail("transparency log", "the inclusion proof has no checkpoint");
    if (entry.signed_entry_timestamp.empty() && bundle.rfc3161_timestamps.empty())
      return fail("signing time", "no inclusion promise and no RFC 3161 timestamp");
  }
  if (bundle.dsse && bundle.dsse->signatures.size() != 1)
    return fail("dsse", "the envelope must hold exactly one signature (it has " +
                            std::to_string(bundle.dsse->signatures.size()) + ")");
  for (std::size_t index = 1; index < bundle.certificates.size(); ++index)
    if (X509_check_issued(bundle.certificates[index].get(), bundle.certificates[index].get()) == X509_V_OK)
      return fail("certificate", "the bundle's chain contains a self-signed root");
  return {};
}

Result<void> check_subject(const std::string& payload, const Sha256& digest) {
  const json statement = json::parse(payload, nullptr, false);
  if (statement.is_discarded() || !statement.is_object()) return fail("statement", "the payload is not JSON");
  const json& subjects = at(statement, {"subject"});
  if (!subjects.is_array()) return fail("statement", "the statement has no subject list");
  const std::string expected = hex_encode(as_bytes(digest));
  for (const json& subject : subjects) {
    std::string value = text(at(subject, {"digest", "sha256"}));
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
    if (value == expected) return {};
  }
  return fail("subject", "the artifact's sha256 " + expected + " is not a subject of the statement");
}

Result<void> check_content(const Bundle& bundle, const Artifact& artifact, const Signer& signer, const Policy& policy) {
  if (bundle.message_signature) {
    const MessageSignature& message = *bundle.message_signature;
    if (!message.digest_algorithm.empty()) {
      if (message.digest_algorithm != "SHA2_256")
        return fail("artifact", "unsupported message digest " + message.digest_algorithm);
      if (message.digest != as_bytes(artifact.digest))
        return fail("artifact", "the artifact's sha256 differs from the bundle's message digest");
    }
    bool good = false;
    if (EVP_PKEY_get_base_id(signer.key) == EVP_PKEY_ED25519) {
      if (!artifact.bytes) return fail("signature", "an Ed25519 message signature needs the artifact, not its digest");
      good = verify_message(signer.key, *artifact.bytes, message.signature);
    } else {
      good = verify_prehashed_sha256(signer.key, artifact.digest, message.signature);
    }
    if (!good) return fail("signature", "the signature over the artifact does not verify");
    return {};
  }
  const DsseEnvelope& envelope = *bundle.dsse;
  if (!verify_message(signer.key, pae(envelope.payload_type, envelope.payload), envelope.signatures.front()))
    return fail("signature", "the DSSE signature does not verify");
  if (!policy.require_subject_digest) return {};
  if (envelope.payload_type != kInTotoPayloadType)
    return fail("subject", "payload type '" + envelope.payload_type + "' is not in-toto, so nothing binds the artifact");
  return check_subject(envelope.payload, artifact.digest);
}

/// The log entry's body must describe this bundle's signature, key and artifact (CVE-2022-36056).
Result<void> check_body(const Bundle& bundle, const TlogEntry& entry, const Artifact& artifact, const Signer& signer) {
  const json body = json::parse(entry.canonicalized_body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return fail("log entry", "the entry body is not JSON");
  if (text(at(body, {"kind"})) != entry.kind || text(at(body, {"apiVersion"})) != entry.kind_version)
    return fail("log entry", "the entry body's kind differs from the bundle's kindVersion");
  const std::string kind = entry.kind + " " + entry.kind_version;
  const std::string& signature =
      bundle.message_signature ? bundle.message_signature->signature : bundle.dsse->signatures.front();
  auto mismatch = [](const char* what) { return fail("log entry", std::string("the entry's ") + what + " differs from the bundle's"); };

  if (kind == "hashedrekord 0.0.1") {
    if (!bundle.message_signature) return fail("log entry", "a DSSE bundle logged as hashedrekord 0.0.1");
    const json& spec = at(body, {"spec"});
    if (text(at(spec, {"data", "hash", "algorithm"})) != "sha256" ||
        text(at(spec, {"data", "hash", "value"})) != hex_encode(as_bytes(artifact.digest)))
      return mismatch("artifact digest");
    if (decoded(at(spec, {"signature", "content"})) != signature) return mismatch("signature");
    if (!signer.is(decoded(at(spec, {"signature", "publicKey", "content"})))) return mismatch("signing key");
    return {};
  }
  if (kind == "hashedrekord 0.0.2") {
    const json& spec = at(body, {"spec", "hashedRekordV002"});
    const std::string expected_digest =
        bundle.message_signature
            ? std::string(as_bytes(artifact.digest))
            : std::string(as_bytes(sha256(pae(bundle.dsse->payload_type, bundle.dsse->payload))));
    if (text(at(spec, {"data", "algorithm"})) != "SHA2_256" || decoded(at(spec, {"data", "digest"})) != expected_digest)
      return mismatch("digest");
    if (decoded(at(spec, {"signature", "content"})) != signature) return mismatch("signature");
    const json& verifier = at(spec, {"signature", "verifier"});
    const std::string material = signer.leaf != nullptr ? decoded(at(verifier, {"x509Certificate", "rawBytes"}))
                                                        : decoded(at(verifier, {"publicKey", "rawBytes"}));
    if (!signer.is(material)) return mismatch("signing key");
    return {};
  }
  if (!bundle.dsse) return fail("log entry", "a message signature logged as " + entry.kind);
  const std::string payload_hash = hex_encode(as_bytes(sha256(bundle.dsse->payload)));
  if (kind == "dsse 0.0.1") {
    const json& spec = at(body, {"spec"});
    if (text(at(spec, {"payloadHash", "algorithm"})) != "sha256" || text(at(spec, {"payloadHash", "value"})) != payload_hash)
      return mismatch("payload hash");
    const json& signatures = at(spec, {"signatures"});
    if (!signatures.is_array() || signatures.size() != 1) return mismatch("signature list");
    if (decoded(at(signatures[0], {"signature"})) != signature) return mismatch("signature");
    if (!signer.is(decoded(at(signatures[0], {"verifier"})))) return mismatch("signing key");
    return {};
  }
  if (kind == "dsse 0.0.2") {
    const json& spec = at(body, {"spec", "dsseV002"});
    if (text(at(spec, {"payloadHash", "algorithm"})) != "SHA2_256" ||
        decoded(at(spec, {"payloadHash", "digest"})) != as_bytes(sha256(bundle.dsse->payload)))
      return mismatch("payload hash");
    const json& signatures = at(spec, {"signatures"});
    if (!signatures.is_array() || signatures.size() != 1) return mismatch("signature list");
    if (decoded(at(signatures[0], {"content"})) != signature) return mismatch("signature");
    const json& verifier = at(signatures[0], {"verifier"});
    const std::string material = signer.leaf != nullptr ? decoded(at(verifier, {"x509Certificate", "rawBytes"}))
                                                        : decoded(at(verifier, {"publicKey", "rawBytes"}));
    if (!signer.is(material)) return mismatch("signing key");
    return {};
  }
  if (kind == "intoto 0.0.2") {
    const json& content = at(body, {"spec", "content"});
    if (text(at(content, {"payloadHash", "value"})) != payload_hash) return mismatch("payload hash");
    const json& envelope = at(content, {"envelope"});
    // Rekor stores the payload and signatures base64-encoded twice.
    if (at(envelope, {"payload"}).is_string() && decoded(at(envelope, {"payload"})) != base64_encode(bundle.dsse->payload))
      return mismatch("payload");
    const json& signatures = at(envelope, {"signatures"});
    if (!signatures.is_array() || signatures.size() != 1) return mismatch("signature list");
    auto inner = base64_decode(decoded(at(signatures[0], {"sig"})));
    if (!inner || *inner != signature) return mismatch("signature");
    if (!signer.is(decoded(at(signatures[0], {"publicKey"})))) return mismatch("signing key");
    return {};
  }
  return fail("log entry", "unsupported entry kind " + kind);
}

}  // namespace

Artifact artifact_from_bytes(std::string bytes) {
  Artifact artifact;
  artifact.digest = sha256(bytes);
  artifact.bytes = std::move(bytes);
  return artifact;
}

IdentityCheck identity_is(std::string san, std::string issuer) {
  return [san = std::move(san), issuer = std::move(issuer)](const CertificateIdentity& identity) -> Result<void> {
    if (identity.san != san)
      return fail("identity", "the certificate's identity '" + identity.san + "' is not '" + san + "'");
    if (identity.issuer != issuer)
      return fail("identity", "the certificate's issuer '" + identity.issuer + "' is not '" + issuer + "'");
    return {};
  };
}

Result<VerifiedBundle> verify_bundle(const Bundle& bundle, const Artifact& artifact, const TrustedRoot& root,
                                     const Policy& policy) {
  if (auto structure = check_structure(bundle); !structure) return std::unexpected(structure.error());
  const TlogEntry& entry = bundle.tlog_entries.front();
  const TransparencyLog* log = root.find_tlog(entry.log_id);
  if (log == nullptr)
    return fail("transparency log", "no log in the trusted root has id " + base64_encode(entry.log_id));

  Signer signer;
  if (bundle.certificates.empty()) {
    if (!policy.key) return fail("public key", "the bundle is signed with a managed key; give its public key");
    signer.key = policy.key.get();
    signer.key_der = public_key_der(signer.key);
  } else {
    if (!policy.identity) return fail("identity", "the bundle is keyless; give the expected identity and issuer");
    signer.leaf = bundle.certificates.front().get();
    signer.leaf_der = certificate_der(signer.leaf);
    signer.key = X509_get0_pubkey(signer.leaf);
    if (signer.key == nullptr) return fail("certificate", "the certificate's public key is unusable");
  }

  if (auto content = check_content(bundle, artifact, signer, policy); !content) return std::unexpected(content.error());

  // Signing times: every RFC 3161 timestamp and the inclusion promise, each verified.
  VerifiedBundle verified;
  const std::string& signature =
      bundle.message_signature ? bundle.message_signature->signature : bundle.dsse->signatures.front();
  if (bundle.rfc3161_timestamps.size() > kMaxTimestamps) return fail("timestamp", "too many RFC 3161 timestamps");
  for (std::size_t index = 0; index < bundle.rfc3161_timestamps.size(); ++index) {
    const auto& token = bundle.rfc3161_timestamps[index];
    if (std::find(bundle.rfc3161_timestamps.begin(), bundle.rfc3161_timestamps.begin() + static_cast<long>(index),
                  token) != bundle.rfc3161_timestamps.begin() + static_cast<long>(index))
      return fail("timestamp", "duplicate RFC 3161 timestamp");
    auto time = verify_rfc3161_timestamp(token, signature, root);
    if (!time) return std::unexpected(time.error());
    verified.signing_times.push_back(*time);
  }
  if (!entry.signed_entry_timestamp.empty()) {
    if (auto promise = verify_signed_entry_timestamp(entry, *log); !promise) return std::unexpected(promise.error());
    verified.signing_times.push_back(entry.integrated_time);
  }
  if (entry.inclusion_proof && !entry.inclusion_proof->checkpoint.empty())
    if (auto proof = verify_inclusion_proof(entry, *log); !proof) return std::unexpected(proof.error());
  if (verified.signing_times.empty()) return fail("signing time", "no verified signing time");
  const std::int64_t now = policy.now.value_or(static_cast<std::int64_t>(std::time(nullptr)));
  for (std::int64_t time : verified.signing_times) {
    if (time > now + kClockSkewSeconds) return fail("signing time", "signing time " + format_utc(time) + " is in the future");
    if (!log->validity.contains(time))
      return fail("transparency log", "the log key of " + log->base_url + " is not valid at " + format_utc(time));
  }

  if (signer.leaf != nullptr) {
    Certificate issuer;
    for (std::int64_t time : verified.signing_times) {
      auto chain_issuer = validate_chain(signer.leaf, root, time);
      if (!chain_issuer) return std::unexpected(chain_issuer.error());
      issuer = *chain_issuer;
    }
    if (auto sct = verify_sct(signer.leaf, issuer.get(), root); !sct) return std::unexpected(sct.error());
  }

  if (auto body = check_body(bundle, entry, artifact, signer); !body) return std::unexpected(body.error());

  if (signer.leaf != nullptr) {
    CertificateIdentity identity = certificate_identity(signer.leaf);
    if (auto accepted = policy.identity(identity); !accepted) return std::unexpected(accepted.error());
    verified.identity = std::move(identity);
  }
  verified.log_index = entry.log_index;
  verified.log_url = log->base_url;
  verified.entry_kind = entry.kind + "/" + entry.kind_version;
  if (bundle.dsse) {
    verified.payload = bundle.dsse->payload;
    verified.payload_type = bundle.dsse->payload_type;
  }
  return verified;
}

}  // namespace moat::sign
