#pragma once
// Detached OpenPGP signatures through GPGME (the real gpg engine). GPGME reports a bad signature as
// a successful operation; the verdict lives in each signature's status, which is what we return.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::sign {

enum class GpgVerdict { Good, BadSignature, ExpiredKey, RevokedKey, UnknownKey, ExpiredSignature, Error };

std::string_view to_string(GpgVerdict verdict);

struct GpgSignature {
  GpgVerdict verdict = GpgVerdict::Error;
  std::string fingerprint;  // full fingerprint when the key is known, else what the signature names
  std::int64_t created = 0;
  bool key_valid = false;   // the keyring's web of trust vouches for the key (summary VALID)
  std::string detail;       // gpg's wording of a non-good status
};

/// Verifies a detached (armored or binary) signature over `data`. `home_dir` selects the keyring
/// (empty: $GNUPGHOME or ~/.gnupg). An error means no verdict could be reached (no signature data).
Result<std::vector<GpgSignature>> gpg_verify_detached(std::string_view data, std::string_view signature,
                                                      const std::string& home_dir);

struct GpgDetachedSignature {
  std::string armored;
  std::string fingerprint;  // of the signing key
};

/// Armored detached signature by `key_id` (empty: gpg's default key).
Result<GpgDetachedSignature> gpg_sign_detached(std::string_view data, const std::string& key_id,
                                               const std::string& home_dir);

}  // namespace moat::sign
