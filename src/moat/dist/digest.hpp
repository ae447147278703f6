#pragma once
// SHA-256 helpers shared by RECORD, conda paths.json and duplicate detection.
#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace moat::dist {

using Sha256 = std::array<unsigned char, 32>;

/// Incremental SHA-256 (OpenSSL EVP); reusable after finish().
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void update(std::string_view bytes);
  /// The digest of everything since construction or the previous finish(); starts over.
  Sha256 finish();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

Sha256 sha256_of(std::string_view bytes);
std::string to_hex(const Sha256& digest);
/// URL-safe base64 without '=' padding, as wheel RECORD files write digests.
std::string to_urlsafe_base64_nopad(std::string_view bytes);
/// Decodes standard or URL-safe base64 with or without padding; false on a bad character.
bool decode_base64(std::string_view text, std::string& out);

}  // namespace moat::dist
