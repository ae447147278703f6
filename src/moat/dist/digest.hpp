#pragma once
// The digest spellings archives use (RECORD: urlsafe base64 without padding; conda: hex), over
// moat's shared SHA-256 and encodings (util/encoding.hpp).
#include <string>
#include <string_view>

#include "moat/util/encoding.hpp"

namespace moat::dist {

using Sha256 = ::moat::Sha256Digest;
using ::moat::Sha256Hasher;

inline Sha256 sha256_of(std::string_view bytes) { return ::moat::sha256(bytes); }
inline std::string to_hex(const Sha256& digest) { return hex_encode(digest_bytes(digest)); }
/// URL-safe base64 without '=' padding, as wheel RECORD files write digests.
inline std::string to_urlsafe_base64_nopad(std::string_view bytes) {
  return base64_encode(bytes, Base64Alphabet::urlsafe, false);
}
/// Decodes standard or URL-safe base64 with or without padding; false on a bad character.
inline bool decode_base64(std::string_view text, std::string& out) {
  auto decoded = ::moat::base64_decode(text);
  if (!decoded) return false;
  out = std::move(*decoded);
  return true;
}

}  // namespace moat::dist
