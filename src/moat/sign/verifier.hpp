#pragma once
// Offline Sigstore bundle verification (trust.md §3.3): signing times from RFC 3161 timestamps and
// Rekor inclusion promises, the Fulcio chain and SCT at those times, the Rekor entry (promise,
// inclusion proof, checkpoint, body consistent with this bundle), the content signature, and the
// identity policy. A failure names the first check that failed in Error::subject.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "moat/sign/bundle.hpp"
#include "moat/sign/certificate.hpp"
#include "moat/sign/crypto.hpp"
#include "moat/sign/trusted_root.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

/// What was signed: its SHA-256, and its bytes when available (Ed25519 message signatures need them).
struct Artifact {
  Sha256 digest{};
  std::optional<std::string> bytes;
};
Artifact artifact_from_bytes(std::string bytes);

/// Accepts or rejects the signer of a keyless bundle; the error message says why not.
using IdentityCheck = std::function<Result<void>(const CertificateIdentity&)>;
/// Exact SAN and exact issuer.
IdentityCheck identity_is(std::string san, std::string issuer);

struct Policy {
  IdentityCheck identity;  // keyless bundles
  PublicKey key;           // managed-key bundles
  /// For DSSE in-toto payloads: the artifact digest must be a subject's sha256.
  bool require_subject_digest = true;
  /// Verification happens "now"; tests pin it.
  std::optional<std::int64_t> now;
};

struct VerifiedBundle {
  std::optional<CertificateIdentity> identity;  // keyless only
  std::vector<std::int64_t> signing_times;
  std::int64_t log_index = 0;
  std::string log_url;
  std::string entry_kind;  // kind/version
  std::string payload;     // DSSE payload (the in-toto statement), empty for message signatures
  std::string payload_type;
};

Result<VerifiedBundle> verify_bundle(const Bundle& bundle, const Artifact& artifact, const TrustedRoot& root,
                                     const Policy& policy);

}  // namespace moat::sign
