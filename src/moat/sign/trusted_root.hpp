#pragma once
// Sigstore trusted_root.json: the Fulcio CAs, Rekor logs, CT logs and timestamp authorities a
// verifier trusts, each with the closed time interval in which it may be used.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/sign/crypto.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

/// A closed interval [start, end] in seconds since the epoch; no end = still valid.
struct Validity {
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
  [[nodiscard]] bool contains(std::int64_t time) const { return time >= start && (!end || time <= *end); }
};

/// A Rekor log or CT log: a key and the ids it is known by.
struct TransparencyLog {
  std::string base_url;
  std::string host;                // the checkpoint key name (host of base_url)
  PublicKey key;
  std::string log_id;              // raw bytes
  std::string checkpoint_key_id;   // raw bytes; Rekor v2 logs, may be empty
  Validity validity;
};

/// A Fulcio CA or a timestamp authority: chain from the issuing cert to the trust anchor (last).
struct CertificateAuthority {
  std::string uri;
  std::vector<Certificate> chain;
  Validity validity;
};

struct TrustedRoot {
  std::vector<TransparencyLog> tlogs;
  std::vector<CertificateAuthority> certificate_authorities;
  std::vector<TransparencyLog> ctlogs;
  std::vector<CertificateAuthority> timestamp_authorities;
  std::string sha256_hex;  // of the JSON it was loaded from

  [[nodiscard]] const TransparencyLog* find_tlog(std::string_view log_id) const;
  [[nodiscard]] const TransparencyLog* find_ctlog(std::string_view log_id) const;
};

/// Parses trusted_root.json (media types v0.1 and v0.2) or a ClientTrustConfig wrapping one.
Result<TrustedRoot> parse_trusted_root(std::string_view json);

/// The embedded public-good roots (see src/moat/sign/roots/README.md).
std::string_view embedded_production_trusted_root_json();
std::string_view embedded_staging_trusted_root_json();
/// Parsed once and cached.
const TrustedRoot& production_trusted_root();
const TrustedRoot& staging_trusted_root();

}  // namespace moat::sign
