#pragma once
// Byte encodings and SHA-256 shared by every component (RECORD digests, hash pins, tokens,
// Sigstore): one implementation each, the digests through OpenSSL.
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "moat/util/error.hpp"

namespace moat {

/// Decodes base64 in the standard or URL-safe alphabet, with or without '=' padding, skipping CR
/// and LF. Fails on any other character or an impossible length.
Result<std::string> base64_decode(std::string_view text);

enum class Base64Alphabet { standard, urlsafe };
/// Encodes bytes; `padded` false drops the '=' padding (as wheel RECORD digests are written).
std::string base64_encode(std::string_view bytes, Base64Alphabet alphabet = Base64Alphabet::standard,
                          bool padded = true);

std::string hex_encode(std::string_view bytes);  // lowercase
Result<std::string> hex_decode(std::string_view text);  // either case

using Sha256Digest = std::array<unsigned char, 32>;

/// SHA-256 of bytes in one call.
Sha256Digest sha256(std::string_view bytes);
/// The digest's 32 bytes as a string_view (valid while the digest lives).
std::string_view digest_bytes(const Sha256Digest& digest);

/// SHA-256 over data fed in pieces (archive entries are streamed).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void update(std::string_view bytes);
  /// The digest of everything since construction or the previous finish(); starts over.
  Sha256Digest finish();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace moat
