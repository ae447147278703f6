#pragma once
// The Sigstore bundle (protobuf-specs JSON, media types v0.1 to v0.3), parsed into plain values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/sign/crypto.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

struct InclusionProof {
  std::int64_t log_index = 0;  // tree-local index
  std::int64_t tree_size = 0;
  std::string root_hash;       // raw bytes
  std::vector<std::string> hashes;
  std::string checkpoint;      // signed note text; empty when absent
};

struct TlogEntry {
  std::int64_t log_index = 0;
  std::string log_id;          // raw bytes
  std::string kind;            // hashedrekord, dsse, intoto
  std::string kind_version;    // 0.0.1, 0.0.2
  std::int64_t integrated_time = 0;
  std::string signed_entry_timestamp;  // raw bytes; empty when there is no inclusion promise
  std::optional<InclusionProof> inclusion_proof;
  std::string canonicalized_body;      // raw bytes (JSON)
};

struct MessageSignature {
  std::string digest_algorithm;  // SHA2_256 ... ; empty when the optional digest is absent
  std::string digest;            // raw bytes
  std::string signature;
};

struct DsseEnvelope {
  std::string payload;
  std::string payload_type;
  std::vector<std::string> signatures;
};

struct Bundle {
  int minor_version = 3;                  // 1, 2 or 3 (media type version 0.N)
  std::vector<Certificate> certificates;  // leaf first; empty for public-key bundles
  std::string certificate_der;            // DER of the leaf, as carried in the bundle
  bool has_public_key = false;            // verificationMaterial.publicKey (managed key)
  std::vector<TlogEntry> tlog_entries;
  std::vector<std::string> rfc3161_timestamps;  // DER TimeStampResp
  std::optional<MessageSignature> message_signature;
  std::optional<DsseEnvelope> dsse;
};

/// Parses a bundle's JSON; the error names what is malformed.
Result<Bundle> parse_bundle(std::string_view json);

}  // namespace moat::sign
