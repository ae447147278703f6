#pragma once
// RFC 3161 signed timestamps from a timestamp authority of the trusted root.
#include <cstdint>
#include <string_view>

#include "moat/sign/trusted_root.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

/// Verifies a DER TimeStampResp over `signature` (its message imprint must hash those bytes) with a
/// TSA valid at the token's time; returns that time in seconds since the epoch.
Result<std::int64_t> verify_rfc3161_timestamp(std::string_view response_der, std::string_view signature,
                                              const TrustedRoot& root);

}  // namespace moat::sign
