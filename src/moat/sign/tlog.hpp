#pragma once
// Rekor transparency log proofs: the signed entry timestamp (inclusion promise), the RFC 6962
// Merkle inclusion proof and the C2SP signed-note checkpoint that commits to its root.
#include "moat/sign/bundle.hpp"
#include "moat/sign/trusted_root.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

/// The SET: the log's signature over canonical {body, integratedTime, logID, logIndex}.
Result<void> verify_signed_entry_timestamp(const TlogEntry& entry, const TransparencyLog& log);

/// The Merkle inclusion proof of the entry's body and the checkpoint signed by the log.
Result<void> verify_inclusion_proof(const TlogEntry& entry, const TransparencyLog& log);

/// RFC 6962 root from a leaf hash and an audit path (exposed for tests).
Result<std::string> merkle_root_from_proof(std::string_view leaf_hash, std::int64_t index, std::int64_t size,
                                           const std::vector<std::string>& hashes);

}  // namespace moat::sign
